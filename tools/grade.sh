#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make grade [LAB=N] [SOLUTION=student|reference]: build the chosen lab files and grade them.
#
# The build folder is the one `make qemu` uses (build/default) when the tree's default
# preset compiles the same lab files (a student's tree, or SOLUTION=reference in the
# instructor's), so a student builds once; otherwise build/grade-<solution>.
# Writes results.json (Gradescope) and junit.xml into that folder.
# With autograder/hidden/manifest.json (instructors: not in the handout) its tests count too.
# Labs that come from the catch-up objects (catchup/, make catchup-kit) are not graded.
set -euo pipefail
solution=${1:-student}
lab=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
case $solution in
    student | reference) ;;
    *) echo "grade: SOLUTION must be student or reference, not '$solution'" >&2; exit 2 ;;
esac
default=student
if [[ -d $top/reference-solution ]]; then default=reference; fi
if [[ $solution == reference && $default != reference ]]; then
    echo "grade: this tree has no reference-solution/ (a student handout)" >&2
    exit 2
fi

# Catch-up: the labs whose reference objects the instructor handed out are not the student's work.
catchup=""
if [[ -f $top/catchup/catchup.cmake ]]; then
    catchup=$(sed -n 's/^set(MV_CATCHUP_LABS \(.*\))$/\1/p' "$top/catchup/catchup.cmake")
fi
labs=()
if [[ -n $lab ]]; then
    if [[ " $catchup " == *" $lab "* ]]; then
        echo "grade: lab $lab comes from the catch-up objects in catchup/ (the reference's): nothing of yours" \
             "to grade. Remove catchup/ to grade your own lab $lab." >&2
        exit 2
    fi
    labs=("$lab")
elif [[ -n $catchup ]]; then
    labs=($(python3 -c 'import json, sys
skip = set(sys.argv[2].split())
print(" ".join(str(l["id"]) for l in json.load(open(sys.argv[1]))["labs"] if str(l["id"]) not in skip))' \
        "$top/labs/manifest.json" "$catchup"))
fi
if [[ -n $catchup ]]; then
    echo "grade: labs $catchup come from the catch-up objects (catchup/): graded are labs ${labs[*]:-none}" >&2
fi

if [[ $solution == "$default" ]]; then
    build=$top/build/default
    (cd "$top" && cmake --preset default >/dev/null)
else
    build=$top/build/grade-$solution
    cmake -S "$top" -B "$build" -DMV_SOLUTION="$solution" >/dev/null
fi
# Build what grading runs, the labs' autograders (and the images they boot), not the
# project's own tests: a student waits for no more than that.
build_labs=("${labs[@]}")
if [[ ${#build_labs[@]} -eq 0 ]]; then
    build_labs=($(python3 -c 'import json, sys; print(" ".join(str(l["id"]) for l in json.load(open(sys.argv[1]))["labs"]))' \
        "$top/labs/manifest.json"))
fi
targets=()
for l in "${build_labs[@]}"; do targets+=(--target "autograder-lab$l"); done
manifest=$top/labs/manifest.json
if [[ -f $top/autograder/hidden/manifest.json ]]; then
    manifest=$build/manifest-with-hidden.json
    python3 "$top/tools/hidden-manifest.py" "$top/labs/manifest.json" "$top/autograder/hidden/manifest.json" \
        "$manifest"
fi
args=(--manifest "$manifest" --build-dir "$build" --results "$build/results.json" --junit "$build/junit.xml")
for l in "${labs[@]}"; do args+=(--lab "$l"); done
if ! cmake --build "$build" -j2 "${targets[@]}" >"$build/build.log" 2>&1; then
    # A score of 0 that says why, in the table, results.json and junit.xml: never a stale one.
    echo "grade: the build failed (the whole log: $build/build.log)" >&2
    args+=(--build-failed "$build/build.log")
fi
echo "grade: results in ${build#"$top"/}/results.json and junit.xml" >&2
exec python3 "$top/tools/grade.py" "${args[@]}"
