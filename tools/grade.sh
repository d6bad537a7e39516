#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make grade [LAB=N] [SOLUTION=student|reference]: build the chosen lab files and grade them.
# Writes build/grade-<solution>/results.json (Gradescope) and junit.xml.
set -euo pipefail
solution=${1:-student}
lab=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
case $solution in
    student | reference) ;;
    *) echo "grade: SOLUTION must be student or reference, not '$solution'" >&2; exit 2 ;;
esac
if [[ $solution == reference && ! -d $top/reference-solution ]]; then
    echo "grade: this tree has no reference-solution/ (a student handout)" >&2
    exit 2
fi
build=$top/build/grade-$solution
cmake -S "$top" -B "$build" -DMV_SOLUTION="$solution" >/dev/null
targets=()
if [[ -n $lab ]]; then targets=(--target "autograder-lab$lab"); fi
args=(--manifest "$top/labs/manifest.json" --build-dir "$build"
      --results "$build/results.json" --junit "$build/junit.xml")
if [[ -n $lab ]]; then args+=(--lab "$lab"); fi
if ! cmake --build "$build" -j2 "${targets[@]}" >"$build/build.log" 2>&1; then
    # A score of 0 that says why, in the table, results.json and junit.xml: never a stale one.
    echo "grade: the build failed (the whole log: $build/build.log)" >&2
    args+=(--build-failed "$build/build.log")
fi
exec python3 "$top/tools/grade.py" "${args[@]}"
