#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A wrong system description stops the build with the file, the line and the problem.
# Usage: bad-description-test.sh <top> <scratch dir> <mv-sysgen>
set -uo pipefail
top=$1 dir=$2 sysgen=$3
rm -rf "$dir" && mkdir -p "$dir"

# Two VMs "a" and "b" of system $1 (lab $2), b's memory at physical $3; the
# caller appends what is wrong. Lines 1-13: a's region on 8, b's on 13.
two_vms() {
    cat <<TOML
[system]
name = "$1"
lab = $2

[[vm]]
name = "a"
image = "lab1-traps"
region = [{ gpa = 0x4800_0000, size = "16M" }]

[[vm]]
name = "b"
image = "lab1-traps"
region = [{ gpa = 0x4800_0000, pa = $3, size = "16M" }]
TOML
}

# overlap: b's region overlaps a's in physical memory (line 13).
two_vms overlap 1 0x4880_0000 >"$dir/overlap.toml"
# Lab 4's interrupts: each description is wrong on the line given to expect_stop below.
{ two_vms spi_range 4 0x4900_0000; echo 'irqs = [96]'; } >"$dir/spi_range.toml"  # line 14
{ two_vms spi_shared 4 0x4900_0000; echo 'irqs = [48]'; } >"$dir/spi_shared.toml"
sed -i '8a irqs = [48]' "$dir/spi_shared.toml"  # a owns SPI 48 on line 9, b on line 15
{ two_vms spi_ppi 4 0x4900_0000; echo 'irqs = [26]'; } >"$dir/spi_ppi.toml"  # line 14
{ two_vms line_target 4 0x4900_0000; printf '\n[[irq_line]]\nfrom = "a"\nto = "c"\nirq = 40\n'; } >"$dir/line_target.toml"  # to: 17
{ two_vms line_sgi 4 0x4900_0000; printf '\n[[irq_line]]\nfrom = "a"\nto = "b"\nirq = 1\n'; } >"$dir/line_sgi.toml"  # irq: 18

names=(overlap spi_range spi_shared spi_ppi line_target line_sgi)
extra=$(printf "$dir/%s.toml;" "${names[@]}")
cmake -S "$top/cmake/cross" -B "$dir/build" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/arm-none-eabi.cmake" \
    -DMV_TOP="$top" -DMV_SYSGEN="$sysgen" -DMV_IMAGE_DIR="$dir/images" -DMV_EXTRA_SYSTEMS="${extra%;}" >/dev/null || exit 1

failed=0
# expect_stop NAME LINE-REGEX MESSAGE-REGEX: building NAME fails with NAME.toml:LINE:COL: error: MESSAGE.
expect_stop() {
    local name=$1 line=$2 message=$3 out rc
    out=$(cmake --build "$dir/build" -j2 --target "system-$name" 2>&1)
    rc=$?
    echo "$out" | grep -E "error" | head -n 5
    if [[ $rc -eq 0 ]]; then
        echo "FAIL: the build of $name succeeded with a wrong description"
        failed=1
    elif ! grep -qE "$name\.toml:$line:[0-9]+: error: .*$message" <<<"$out"; then  # no pipe: with pipefail, grep -q ending first would fail it
        echo "FAIL: expected '$dir/$name.toml:$line:<col>: error: ...$message...' in the build output"
        failed=1
    fi
    if [[ -e $dir/images/$name.elf ]]; then
        echo "FAIL: an image of $name was written anyway"
        failed=1
    fi
}
expect_stop overlap 13 "overlap"
expect_stop spi_range 14 "SPI 96 is beyond the 64 SPIs"
expect_stop spi_shared 15 "SPI 48 is given to VM 'b' and to VM 'a' \(line 9\)"
expect_stop spi_ppi 14 "PPI 26, the HYP timer"
expect_stop line_target 17 "interrupt line to VM 'c' that does not exist"
expect_stop line_sgi 18 "interrupt 1 is an SGI"
[[ $failed -eq 0 ]] || exit 1
echo "bad description test: passed (${#names[@]} descriptions; each build stopped at the description's line)"
