#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make gradescope LAB=N [CATCHUP=1]: the autograder zip Gradescope asks for, for lab N.

The zip's root holds setup.sh and run_autograder (Gradescope's autograder specification) and
the student edition (tools/handout.sh: no reference-solution/), plus the
instructor's hidden tests (autograder/hidden/) and tools/gradescope/lab (the lab it grades).
With CATCHUP=1 it also holds the catch-up objects of the labs before N (make catchup-kit), so
a submission is graded on its lab N alone. Never the reference's source.
"""

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def handout(where):
    """The student edition, as make handout writes it (tools/handout.sh): its files."""
    subprocess.run(["bash", str(TOP / "tools" / "handout.sh"), str(where)], check=True, stdout=subprocess.DEVNULL)
    return sorted(f for f in where.rglob("*") if f.is_file())


def add(z, path, arcname, executable=False):
    info = zipfile.ZipInfo.from_file(path, arcname)
    if executable or path.stat().st_mode & 0o111:
        info.external_attr = (0o100755 << 16)
    else:
        info.external_attr = (0o100644 << 16)
    with open(path, "rb") as f:
        z.writestr(info, f.read(), compress_type=zipfile.ZIP_DEFLATED)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lab", required=True, type=int)
    p.add_argument("--out", required=True, type=Path, help="folder for lab<N>-autograder.zip")
    p.add_argument("--catchup", metavar="KIT", type=Path,
                   help="a catch-up kit (make catchup-kit LAB=N) to put in the zip as catchup/")
    args = p.parse_args(argv)
    labs = [lab["id"] for lab in json.loads((TOP / "labs/manifest.json").read_text())["labs"]]
    if args.lab not in labs:
        print(f"gradescope: no lab {args.lab} in labs/manifest.json (labs: {labs})", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    zip_path = args.out / f"lab{args.lab}-autograder.zip"
    hidden = sorted(f for f in (TOP / "autograder/hidden").rglob("*") if f.is_file()) \
        if (TOP / "autograder/hidden").is_dir() else []
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp, zipfile.ZipFile(zip_path, "w") as z:
        add(z, HERE / "setup.sh", "setup.sh", executable=True)
        add(z, HERE / "run_autograder", "run_autograder", executable=True)
        tree = Path(tmp) / "handout"
        for f in handout(tree):
            add(z, f, f.relative_to(tree).as_posix())
        for f in hidden:
            add(z, f, str(f.relative_to(TOP)))
        z.writestr(zipfile.ZipInfo("tools/gradescope/lab", (2024, 1, 1, 0, 0, 0)), f"{args.lab}\n")
        if args.catchup:
            with tarfile.open(args.catchup) as kit:
                for m in kit.getmembers():
                    if m.isfile():
                        info = zipfile.ZipInfo(m.name, (2024, 1, 1, 0, 0, 0))
                        info.external_attr = (0o100644 << 16)
                        z.writestr(info, kit.extractfile(m).read(), compress_type=zipfile.ZIP_DEFLATED)
    print(f"gradescope: {zip_path} (lab {args.lab}; {len(hidden)} hidden-test files"
          f"{'; catch-up objects from ' + str(args.catchup) if args.catchup else ''})")
    print("gradescope: upload it as the assignment's autograder (Configure Autograder, Zip file upload)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
