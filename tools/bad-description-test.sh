#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A wrong system description stops the build with the file, the line and the problem.
# Usage: bad-description-test.sh <top> <scratch dir> <mv-sysgen>
set -uo pipefail
top=$1 dir=$2 sysgen=$3
rm -rf "$dir" && mkdir -p "$dir"
bad=$dir/overlap.toml
cat >"$bad" <<'TOML'
[system]
name = "overlap"

[[vm]]
name = "a"
image = "lab1-traps"
  [[vm.region]]
  gpa = 0x4800_0000
  size = "16M"

[[vm]]
name = "b"
image = "lab1-traps"
  [[vm.region]]
  gpa = 0x4800_0000
  pa = 0x4880_0000
  size = "16M"
TOML
cmake -S "$top/cmake/cross" -B "$dir/build" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/arm-none-eabi.cmake" \
    -DMV_TOP="$top" -DMV_SYSGEN="$sysgen" -DMV_IMAGE_DIR="$dir/images" -DMV_EXTRA_SYSTEMS="$bad" >/dev/null || exit 1
out=$(cmake --build "$dir/build" -j2 --target system-overlap 2>&1)
rc=$?
echo "$out" | grep -E "error|overlap" | head -n 10
if [[ $rc -eq 0 ]]; then echo "FAIL: the build succeeded with an overlapping description"; exit 1; fi
if ! echo "$out" | grep -qE "overlap\.toml:1[3-7]:[0-9]+: error: .*overlap"; then
    echo "FAIL: expected '$bad:<line of VM b's region>:<col>: error: ... overlap ...' in the build output"
    exit 1
fi
[[ -e $dir/images/overlap.elf ]] && { echo "FAIL: an image was written anyway"; exit 1; }
echo "bad description test: passed (the build stopped at the description's line)"
