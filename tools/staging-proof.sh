#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The staging proof for lab k (run by ctest as staging.lab<k>_stubbed):
#  1. labs before k from the reference, lab k and later from the student tree:
#     the tree builds, lab k scores 0 with every failure naming a function to
#     write, and every lab before k still scores full marks;
#  2. only lab k from the student tree (every other lab from the reference):
#     lab k scores 0 the same way.
set -euo pipefail
top=$1 root=$2 k=$3
ids=$(python3 -c "import json,sys; print(' '.join(str(l['id']) for l in json.load(open(sys.argv[1]))['labs']))" "$top/labs/manifest.json")
before=() others=()
for id in $ids; do
    ((id < k)) && before+=("$id")
    ((id != k)) && others+=("$id")
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
for id in "${before[@]}"; do grade "$sol" "lab$k-and-later-stubbed" "$id" full; done
sol=$(join "${others[@]}"); [[ -n $sol ]] || sol=student
if [[ $sol != "$(join "${before[@]}")" && ! ( $sol == student && ${#before[@]} -eq 0 ) ]]; then
    grade "$sol" "only-lab$k-stubbed" "$k" zero
fi
echo "staging proof for lab $k: passed"
