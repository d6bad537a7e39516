#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""seeded-bugs.py: each bug seeded into a reference lab file is caught by its lab's autograder.

Copies the tree to a scratch folder, builds the reference there once, then for
each seed: applies it to the reference lab file, rebuilds (incrementally) and
grades that lab, which must then score below full marks. A seed whose text no
longer appears in the file is an error, so the list cannot rot silently.
The seeds live with their lab's tests, in autograder/lab<N>/seeds.py.
Usage: seeded-bugs.py [--quick] [--lab N] TOP SCRATCH
  --quick  only the seeds marked quick=True (what `make test` runs);
           `make mutants` runs them all and prints caught/total per lab.
"""
import argparse
import re
import shutil
import os
import subprocess
import sys
from pathlib import Path

class Seed:
    """One bug: `good` (appearing once in reference-solution/<file>) becomes `bad`."""

    def __init__(self, file, good, bad, what, quick=False):
        self.file, self.good, self.bad, self.what, self.quick = file, good, bad, what, quick


def load_seeds(top, labs):
    """The seeds of autograder/lab<N>/seeds.py, as (lab, Seed), for each lab in `labs`."""
    seeds = []
    for lab in labs:
        ns = {"Seed": Seed}
        exec((top / f"autograder/lab{lab}/seeds.py").read_text(), ns)
        seeds += [(lab, s) for s in ns["SEEDS"]]
    return seeds


def run(cmd, **kw):
    # A seeded bug fails tests on purpose: no traced re-run of each failure (harness: trace_hint.cpp).
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "MV_TRACE_HINT": "0"}, **kw)


def score(top, build, lab):
    out = run([sys.executable, str(top / "tools/grade.py"), "--manifest", str(top / "labs/manifest.json"),
               "--build-dir", str(build), "--lab", str(lab), "--fail-fast"]).stdout
    m = re.search(r"^Score: (\d+)/(\d+)$", out, re.M)
    if not m:
        sys.exit(f"seeded-bugs: no score from grade.py:\n{out[-3000:]}")
    return int(m.group(1)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--lab", type=int, action="append")
    ap.add_argument("top")
    ap.add_argument("scratch")
    args = ap.parse_args()
    top, scratch = Path(args.top).resolve(), Path(args.scratch).resolve()
    labs = args.lab or sorted(int(p.parent.name[3:]) for p in top.glob("autograder/lab[0-9]*/seeds.py"))
    seeds = [(lab, s) for lab, s in load_seeds(top, labs) if s.quick or not args.quick]
    src = scratch / "src"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(top, src, ignore=shutil.ignore_patterns("build", ".git", "compile_commands.json"))
    build = scratch / "build"
    # Only the system images the graded labs boot (CMakeLists.txt: MV_CROSS_LABS).
    cross_labs = "-DMV_CROSS_LABS=" + ";".join(str(lab) for lab in labs)
    if run(["cmake", "-S", str(src), "-B", str(build), "-DMV_SOLUTION=reference", cross_labs]).returncode != 0:
        sys.exit("seeded-bugs: configure failed")
    failures = 0
    per_lab = {lab: [0, 0] for lab in labs}
    for lab, seed in seeds:
        rel, good, bad, what = seed.file, seed.good, seed.bad, seed.what
        per_lab[lab][1] += 1
        path = src / "reference-solution" / rel
        text = path.read_text()
        if text.count(good) != 1:
            print(f"STALE  lab {lab} {rel}: the seed's text is not in the file once: {good!r}")
            failures += 1
            continue
        path.write_text(text.replace(good, bad))
        try:
            b = run(["cmake", "--build", str(build), "-j2", "--target", f"autograder-lab{lab}"])
            if b.returncode != 0:
                print(f"BUILD  lab {lab} {rel}: {what}: the seeded tree does not build\n{b.stdout[-1500:]}")
                failures += 1
                continue
            got, full = score(src, build, lab)
            caught = got < full
            failures += 0 if caught else 1
            per_lab[lab][0] += 1 if caught else 0
            print(f"{'caught' if caught else 'MISSED'} lab {lab} {rel}: {what}: {got}/{full}")
        finally:
            path.write_text(text)
    for lab, (caught, total) in per_lab.items():
        print(f"lab {lab}: {caught}/{total} seeded bugs caught")
    print(f"seeded-bugs: {len(seeds) - failures} of {len(seeds)} seeded bugs caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
