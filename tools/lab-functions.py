#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""lab-functions.py: student and reference lab files define the same functions.

Compares the external symbols that each lab file's object defines in the
student tree (microvisor/) and in reference-solution/, and checks that every
function the manifest lists for a lab is defined by the file it names (for a
guest's lab file, such as Lab 6's Linux driver in C, by its text).
Usage: lab-functions.py MANIFEST --student OBJ;OBJ... --reference OBJ;OBJ...
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path


def defined_symbols(obj):
    """The strong external definitions of an object: functions and data the
    file itself defines (weak ones, like inline functions, are left out)."""
    out = subprocess.run(["nm", "-C", "--defined-only", "-g", obj], check=True,
                         capture_output=True, text=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "TDBRGS":
            symbols.add(parts[2])
    return symbols


def object_for(objects, lab_file):
    matches = [o for o in objects if o.endswith("/" + lab_file + ".o")]
    if len(matches) != 1:
        sys.exit(f"lab-functions: expected one object for {lab_file}, found {matches}")
    return matches[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("--student", required=True)
    ap.add_argument("--reference", required=True)
    args = ap.parse_args()
    student = args.student.split(";")
    reference = args.reference.split(";")
    manifest = json.load(open(args.manifest))
    top = Path(args.manifest).resolve().parent.parent  # labs/manifest.json
    problems = 0
    checked = 0
    for lab in manifest["labs"]:
        for f in lab["files"]:
            s = defined_symbols(object_for(student, f))
            r = defined_symbols(object_for(reference, f))
            for sym in sorted(r - s):
                print(f"lab {lab['id']}: {f}: the reference defines {sym}, the student file does not")
                problems += 1
            for sym in sorted(s - r):
                print(f"lab {lab['id']}: {f}: the student file defines {sym}, the reference does not")
                problems += 1
            checked += 1
        guest_files = lab.get("guest_files", [])
        for f in guest_files:
            checked += 1
        for fn in lab["functions"]:
            if fn["file"] in guest_files:
                # A guest's lab file (Lab 6's Linux driver, C for the kernel) is not compiled
                # for the host: both variants must define the function, by its text.
                for variant, path in (("student", top / fn["file"]), ("reference", top / "reference-solution" / fn["file"])):
                    if not re.search(rf"^\w[\w \*]*\b{re.escape(fn['name'])}\(", path.read_text(), re.MULTILINE):
                        print(f"lab {lab['id']}: the manifest names {fn['name']}() in {fn['file']}, which the "
                              f"{variant}'s does not define")
                        problems += 1
                continue
            syms = defined_symbols(object_for(student, fn["file"]))
            if not any(sym.split("(")[0].endswith("::" + fn["name"]) or sym.split("(")[0] == fn["name"]
                       for sym in syms):
                print(f"lab {lab['id']}: the manifest names {fn['name']}() in {fn['file']}, which does not define it")
                problems += 1
    print(f"lab-functions: {checked} lab files compared, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
