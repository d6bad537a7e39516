#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make handout: the student edition of the course, from the instructor's tree.
# Everything tracked by git except reference-solution/ and autograder/hidden/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/handout}
rm -rf "$out"
mkdir -p "$out"
cd "$top"
git ls-files -z | grep -zv -e '^reference-solution/' -e '^autograder/hidden/' |
    xargs -0 cp --parents -t "$out"
echo "handout: $(git ls-files | grep -cv -e '^reference-solution/' -e '^autograder/hidden/') files in $out"
echo "handout: builds with every lab from the student tree (no reference-solution/)"
