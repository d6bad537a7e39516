#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make handout: the student edition of the course, from the instructor's tree.
# Everything tracked by git except reference-solution/ and autograder/hidden/, with a README
# for students: README.md without its sections marked "<!-- handout: leave out -->" (from the
# mark to the next "## " heading), and a first line that says which edition it is. The files
# keep their dates, so a tree unpacked over a built copy of the handout rebuilds nothing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/handout}
rm -rf "$out"
mkdir -p "$out"
cd "$top"
git ls-files -z | grep -zv -e '^reference-solution/' -e '^autograder/hidden/' |
    xargs -0 cp --parents --preserve=mode,timestamps -t "$out"
python3 - "$top/README.md" "$out/README.md" <<'PY'
import sys
lines, out, skipping = open(sys.argv[1], encoding="utf-8").read().splitlines(), [], ""
for line in lines:
    if line.strip() == "<!-- handout: leave out -->":
        skipping = "mark"
        continue
    if skipping and line.startswith("## "):
        skipping = "section" if skipping == "mark" else ""  # its own heading, then the next one
    if not skipping:
        out.append(line)
title = out.index(next(l for l in out if l.startswith("# ")))
out[title + 1:title + 1] = ["", "*The student edition: your lab files are the stubs in `microvisor/`; "
                            "`make grade` scores them and `make qemu` boots what they support.*"]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
echo "handout: $(git ls-files | grep -cv -e '^reference-solution/' -e '^autograder/hidden/') files in $out"
echo "handout: builds with every lab from the student tree (no reference-solution/)"
