#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The handout (make handout) is complete on its own: it has no reference-solution/, no hidden
# tests and a README for students; it builds as a student builds it (build/default, the one
# tree make qemu and make grade share), its lab 1 scores 0 with every failure naming a
# function to write, and make qemu exits by itself at Lab 1's first stub, saying so.
# The tree it leaves in DIR/handout is the one tools/gradescope/test.sh grades again.
set -euo pipefail
# Stubs fail every scenario on purpose: no traced rerun of each failure (trace_hint.cpp), which
# would build and boot a traced image per failure and say nothing these checks read.
export MV_TRACE_HINT=0
top=$1 dir=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$dir"
bash "$top/tools/handout.sh" "$dir/handout" | tail -n 1
cd "$dir/handout"
[[ ! -e reference-solution ]] || fail "the handout has reference-solution/"
[[ ! -e autograder/hidden ]] || fail "the handout has the hidden tests (autograder/hidden/)"
if grep -n -e 'reference-solution' -e 'SOLUTION=reference' -e 'catchup-kit' -e 'make gradescope' README.md; then
    fail "the student README describes the instructor's tree (the lines above)"
fi
ids=$(python3 -c 'import json; print(";".join(str(l["id"]) for l in json.load(open("labs/manifest.json"))["labs"]))')
cmake --preset default -DMV_CROSS_LABS="$ids" | grep "Lab files"  # the labs' images: what grading boots
# What make grade and make qemu build: every lab's autograder (with the images) and mv-run.
targets=(--target mv-run)
for id in $(python3 -c 'import json; print(" ".join(str(l["id"]) for l in json.load(open("labs/manifest.json"))["labs"]))'); do
    targets+=(--target "autograder-lab$id")
done
cmake --build --preset default "${targets[@]}" >"$dir/build.log" 2>&1 || { tail -n 40 "$dir/build.log"; exit 1; }
python3 tools/grade.py --manifest labs/manifest.json --build-dir build/default --expect zero | tail -n 2
# make qemu: Lab 1's system, its first stub, status 3, and a line that says why.
set +e
out=$(make --no-print-directory qemu 2>&1)
rc=$?
set -e
echo "$out" | grep '^make qemu:' || true
[[ $rc -ne 0 ]] || fail "make qemu on the stubs exited 0"
for s in 'make qemu: lab 1 is not finished' 'booting SYSTEM=lab1-traps' \
         'MV_LAB_TODO: lab 1: handle_trap()' 'MV_EXIT: 3'; do
    grep -qF "$s" <<<"$out" || { echo "$out" | tail -n 20; fail "make qemu: expected '$s'"; }
done
echo "handout test: passed"
