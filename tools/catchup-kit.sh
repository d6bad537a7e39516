#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make catchup-kit LAB=N: the catch-up kit for lab N, OUT/catchup-lab<N>.tar.gz.
#
# It holds the reference's lab files of the labs before N as prebuilt objects, for the host
# (the autograder, gcc with its sanitizers) and for the board (arm-none-eabi, LTO objects),
# under catchup/, with catchup/catchup.cmake naming the labs. Unpacked at the top of a
# student's tree, the build links those objects instead of the student's files of those labs
# (microvisor/sources.cmake), so lab N can be done and graded without them; make grade does
# not grade them. Lab N and the labs after it are not in the kit, in any form.
set -euo pipefail
lab=${1:-}
out=${2:-build/catchup}
top=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! $lab =~ ^[0-9]+$ ]]; then
    echo "catchup-kit: which lab is it for? make catchup-kit LAB=N (the kit holds the labs before N)" >&2
    exit 2
fi
if [[ ! -d $top/reference-solution ]]; then
    echo "catchup-kit: this tree has no reference-solution/: build the kit in the instructor's tree" >&2
    exit 2
fi
mapfile -t labs < <(python3 -c 'import json, sys
print("\n".join(str(l["id"]) for l in json.load(open(sys.argv[1]))["labs"] if l["id"] < int(sys.argv[2])))' \
    "$top/labs/manifest.json" "$lab")
if ((${#labs[@]} == 0)); then
    echo "catchup-kit: no lab comes before lab $lab: there is nothing to catch up on" >&2
    exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
build=$out/build
stage=$out/stage-lab$lab
rm -rf "$stage"
mkdir -p "$stage/catchup"

# The same options as a student's build (the default preset), with every lab from the reference.
cmake -S "$top" -B "$build" -DMV_SOLUTION=reference -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
host_targets=(--target mv-sysgen)
for k in "${labs[@]}"; do host_targets+=(--target "mv_host_lab$k"); done
cmake --build "$build" -j2 "${host_targets[@]}"
# The board's objects: the cross project as the top-level build configures it (CMakeLists.txt).
cmake -S "$top/cmake/cross" -B "$build/cross-kit" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/arm-none-eabi.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DMV_TOP="$top" -DMV_SOLUTION=reference -DMV_IMAGE_DIR="$build/cross-kit/images" \
    -DMV_SYSGEN="$build/tools/sysgen/mv-sysgen" -DMV_EXTRA_SYSTEMS= >/dev/null
cross_targets=()
for k in "${labs[@]}"; do cross_targets+=(--target "mv_lab$k"); done
cmake --build "$build/cross-kit" -j2 "${cross_targets[@]}"

# Each lab file's object, found by its source path below the group's object folder
# (.o on the host, .obj in the cross build).
for k in "${labs[@]}"; do
    mapfile -t files < <(python3 -c 'import json, sys
print("\n".join(next(l for l in json.load(open(sys.argv[1]))["labs"] if l["id"] == int(sys.argv[2]))["files"]))' \
        "$top/labs/manifest.json" "$k")
    for kind in generic armv7; do
        if [[ $kind == generic ]]; then dir=$build/autograder/CMakeFiles/mv_host_lab$k.dir
        else dir=$build/cross-kit/microvisor/CMakeFiles/mv_lab$k.dir; fi
        for f in "${files[@]}"; do
            obj=$(find "$dir" \( -path "*/reference-solution/$f.o" -o -path "*/reference-solution/$f.obj" \) \
                  -print -quit)
            [[ -n $obj ]] || { echo "catchup-kit: no object of reference-solution/$f in $dir" >&2; exit 1; }
            mkdir -p "$(dirname "$stage/catchup/lab$k/$kind/$f")"
            cp "$obj" "$stage/catchup/lab$k/$kind/$f.o"
        done
    done
done
cat >"$stage/catchup/catchup.cmake" <<EOF
# Catch-up kit for lab $lab (make catchup-kit LAB=$lab): the reference's labs ${labs[*]} as objects.
# microvisor/sources.cmake links them instead of your files of those labs; make grade does
# not grade those labs. Remove this folder (catchup/) to build and grade your own again.
set(MV_CATCHUP_LABS ${labs[*]})
set(MV_CATCHUP_FOR_LAB $lab)
EOF
cat >"$stage/catchup/README.md" <<EOF
# Catch-up objects for lab $lab

Your instructor's prebuilt solution of labs ${labs[*]}, as object files: with this folder at the
top of your tree, \`make qemu\` and \`make grade LAB=$lab\` use them instead of your own files of
those labs, so you can do lab $lab without them. \`make grade\` does not grade those labs.
Remove \`catchup/\` to use your own files again.
EOF
tar -C "$stage" -czf "$out/catchup-lab$lab.tar.gz" catchup
echo "catchup-kit: $out/catchup-lab$lab.tar.gz: labs ${labs[*]} as objects (host and board), for lab $lab"
echo "catchup-kit: students unpack it at the top of their tree: tar xzf catchup-lab$lab.tar.gz"
