#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The handout (make handout) is complete on its own: it has no reference-solution/,
# it configures as the student tree, builds everything, and its lab 1 scores 0
# with every failure naming a function to write.
set -euo pipefail
top=$1 dir=$2
rm -rf "$dir"
bash "$top/tools/handout.sh" "$dir/handout" | tail -n 1
[[ ! -e $dir/handout/reference-solution ]] || { echo "FAIL: the handout has reference-solution/"; exit 1; }
cmake -S "$dir/handout" -B "$dir/build" | grep "Lab files"
cmake --build "$dir/build" -j2 >"$dir/build.log" 2>&1 || { tail -n 40 "$dir/build.log"; exit 1; }
python3 "$dir/handout/tools/grade.py" --manifest "$dir/handout/labs/manifest.json" --build-dir "$dir/build" \
    --expect zero | tail -n 2
echo "handout test: passed"
