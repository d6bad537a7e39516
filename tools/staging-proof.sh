#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The staging proof for lab k (run by ctest as staging.lab<k>_stubbed): labs
# before k from the reference, lab k and later from the student tree: the tree
# builds, lab k scores 0 with every failure naming a function to write, and
# lab k-1 still scores full marks.
#
# That is all there is to check. An image or autograder of lab j links the
# files of labs 1..j and the stand-ins of later labs, never a later lab's file
# (microvisor/sources.cmake), so lab j's score cannot depend on whether later
# labs are stubbed: "every lab before k still scores full marks with k and later
# stubbed" is lab j's proof with j + 1 and later stubbed, done once, by lab
# j + 1's; and lab k's score with only lab k stubbed is its score here.
set -euo pipefail
# Stubs fail every scenario on purpose: no traced rerun of each failure (trace_hint.cpp), which
# would build and boot a traced image per failure and say nothing these checks read.
export MV_TRACE_HINT=0
top=$1 root=$2 k=$3
ids=$(python3 -c "import json,sys; print(' '.join(str(l['id']) for l in json.load(open(sys.argv[1]))['labs']))" "$top/labs/manifest.json")
before=()
for id in $ids; do
    ((id < k)) && before+=("$id")
done
join() { local IFS=,; echo "$*"; }

# One build folder for every variant (and for every lab's proof: ctest runs them one at a
# time): switching MV_SOLUTION recompiles only the lab files whose variant changed.
grade() {  # grade <solution> <what> <lab> <expect>
    local dir=$root/tree
    echo "== MV_SOLUTION='$1': lab $3 must score $4"
    cmake -S "$top" -B "$dir" -DMV_SOLUTION="$1" -DMV_CROSS_LABS="$3" >/dev/null
    if ! cmake --build "$dir" -j2 --target "autograder-lab$3" >"$dir/build.log" 2>&1; then
        echo "the build failed with MV_SOLUTION='$1':"; tail -n 40 "$dir/build.log"; return 1
    fi
    python3 "$top/tools/grade.py" --manifest "$top/labs/manifest.json" --build-dir "$dir" \
        --lab "$3" --expect "$4" | tail -n 3
}

sol=$(join "${before[@]}"); [[ -n $sol ]] || sol=student
grade "$sol" "lab$k-and-later-stubbed" "$k" zero
if ((${#before[@]} > 0)); then grade "$sol" "lab$k-and-later-stubbed" "${before[-1]}" full; fi
echo "staging proof for lab $k: passed"
