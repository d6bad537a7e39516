#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Gradescope: grade one submission (run_autograder calls this).

1. Copies the submission's lab files into the pristine tree: lab N's and, unless the
   catch-up objects stand in for them (catchup/), the earlier labs' (labs/manifest.json).
   Nothing else of the submission is used, so it cannot change the tests. A file is found
   as .../microvisor/<file>, .../<file>, or by its name alone (files uploaded one by one).
2. Runs make grade's tools/grade.sh for lab N (a failed build scores 0 with its first error).
3. Writes results/results.json in Gradescope's format: every test with its score, max_score,
   status, output and visibility; hidden tests (autograder/hidden/manifest.json) keep their
   own visibility (after_published unless they say otherwise) and stay out of the visible
   summary; the run's stdout (build log, full table) is for instructors only.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def manifest_labs(src):
    return json.loads((src / "labs" / "manifest.json").read_text(encoding="utf-8"))["labs"]


def catchup_labs(src):
    f = src / "catchup" / "catchup.cmake"
    m = re.search(r"set\(MV_CATCHUP_LABS([^)]*)\)", f.read_text(encoding="utf-8")) if f.is_file() else None
    return {int(x) for x in m.group(1).split()} if m else set()


def find(submission, name, files):
    """The submitted file for lab file `name` (kernel/hsr.cpp), or None."""
    rel = [(p, p.relative_to(submission).as_posix()) for p in files]
    for suffix in (f"microvisor/{name}", name):
        hits = [p for p, r in rel if r == suffix or r.endswith("/" + suffix)]
        if hits:
            return min(hits, key=lambda p: len(p.parts))
    base = [p for p, _ in rel if p.name == Path(name).name]
    return base[0] if len(base) == 1 else None


def copy_submission(src, submission, labs, lab, catchup):
    notes = []
    files = [p for p in submission.rglob("*") if p.is_file() and "__MACOSX" not in p.parts] \
        if submission.is_dir() else []
    for entry in labs:
        if entry["id"] > lab or entry["id"] in catchup:
            continue
        for name in entry["files"]:
            found = find(submission, name, files)
            if found is None:
                notes.append(f"lab {entry['id']}: {name} is not in the submission: graded as the stub "
                             f"(its tests score 0)")
                continue
            shutil.copyfile(found, src / "microvisor" / name)
            notes.append(f"lab {entry['id']}: {name} from {found.relative_to(submission).as_posix()}")
        for name in entry.get("guest_files", []):  # a guest's lab file (Lab 6's Linux driver), from the top
            found = find(submission, name, files)
            if found is None:
                notes.append(f"lab {entry['id']}: {name} is not in the submission: graded as the stub "
                             f"(its tests score 0)")
                continue
            shutil.copyfile(found, src / name)
            notes.append(f"lab {entry['id']}: {name} from {found.relative_to(submission).as_posix()}")
    if catchup:
        notes.append(f"labs {', '.join(map(str, sorted(catchup)))}: the reference's objects (catch-up)")
    return notes


def hidden_tests(src):
    """{(lab id, test name): visibility} of autograder/hidden/manifest.json."""
    f = src / "autograder" / "hidden" / "manifest.json"
    if not f.is_file():
        return {}
    data = json.loads(f.read_text(encoding="utf-8"))
    return {(lab["id"], t["name"]): t.get("visibility", "after_published")
            for lab in data.get("labs", []) for t in lab.get("tests", [])}


def gradescope_results(graded, hidden, notes, elapsed):
    """Gradescope's results.json from grade.py's, with the visibility of each test."""
    tests, shown = [], []
    for t in graded["tests"]:
        m = re.match(r"Lab (\d+) / (.*)$", t["name"])
        visibility = hidden.get((int(m.group(1)), m.group(2)), "visible") if m else "visible"
        tests.append({"name": t["name"], "score": t["score"], "max_score": t["max_score"],
                      "status": t.get("status", "passed" if t["score"] == t["max_score"] else "failed"),
                      "output": t.get("output", ""), "visibility": visibility})
        if visibility == "visible":
            shown.append(t)
    width = max([len(t["name"]) for t in shown] + [5])
    lines = ["Submission:"] + [f"  {n}" for n in notes] + [""]
    lines += [f"{t['name']:<{width}}  {t['score']:g}/{t['max_score']:g}  "
              f"{'PASS' if t['score'] == t['max_score'] else 'FAIL'}" for t in shown]
    lines.append(f"{'visible tests':<{width}}  {sum(t['score'] for t in shown):g}/"
                 f"{sum(t['max_score'] for t in shown):g}")
    concealed = [t for t in tests if t["visibility"] != "visible"]
    if concealed:
        worth = sum(t["max_score"] for t in concealed)
        lines.append(f"hidden tests: {len(concealed)}, worth {worth:g} point{'' if worth == 1 else 's'} "
                     f"(their results appear when grades are published)")
    return {"score": graded["score"], "execution_time": round(elapsed), "output": "\n".join(lines) + "\n",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def failure(message, elapsed):
    return {"score": 0, "execution_time": round(elapsed), "visibility": "visible", "stdout_visibility": "hidden",
            "output": f"The autograder could not grade this submission: {message}\n"
                      "Tell your instructor; this is not a score of your work.", "tests": []}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", required=True, type=Path, help="Gradescope's /autograder")
    args = p.parse_args(argv)
    start = time.monotonic()
    src, out = args.root / "source", args.root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        lab = int((src / "tools" / "gradescope" / "lab").read_text().strip())
        labs, catchup = manifest_labs(src), catchup_labs(src)
        notes = copy_submission(src, args.root / "submission", labs, lab, catchup)
        print("\n".join(notes), flush=True)
        produced = src / "build" / "default" / "results.json"
        produced.unlink(missing_ok=True)  # never a stale one
        rc = subprocess.run(["bash", str(src / "tools" / "grade.sh"), "student", str(lab)], cwd=src).returncode
        if not produced.is_file():
            raise RuntimeError(f"tools/grade.sh ended with status {rc} without a result (see the stdout)")
        results = gradescope_results(json.loads(produced.read_text(encoding="utf-8")), hidden_tests(src),
                                     notes, time.monotonic() - start)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        print(f"autograde.py: {e}", file=sys.stderr)
        results = failure(str(e), time.monotonic() - start)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"autograde.py: {out}: {results['score']:g} points", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
