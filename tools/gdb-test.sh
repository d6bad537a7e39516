#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drives gdb-multiarch in batch mode against QEMU's gdb stub: stop at the
# hypercall dispatcher on the guest's first hypercall and read a register.
# Usage: gdb-test.sh <lab1-traps.elf>
set -uo pipefail
elf=$1
port=$((20000 + RANDOM % 20000))
log=$(mktemp)
# Selector 2: the guest's first hypercall is MV_CALL_NULL (0x86000000).
qemu-system-arm -M virt,virtualization=on,gic-version=2 -cpu cortex-a15 -m 1024M -nodefaults \
    -display none -monitor none -serial file:"$log" \
    -icount shift=0,sleep=off -kernel "$elf" -device loader,addr=0x48fff004,data=2,data-len=4 \
    -S -gdb tcp:127.0.0.1:$port &
qemu=$!
trap 'kill -9 $qemu 2>/dev/null; rm -f "$log"' EXIT
out=$(timeout 60 gdb-multiarch -q -batch -nx "$elf" \
    -ex "target remote 127.0.0.1:$port" \
    -ex "break mv::handle_hvc" \
    -ex "continue" \
    -ex "printf \"pc=%#x\\n\", \$pc" \
    -ex "printf \"guest_r0=%#x\\n\", ((mv::Vcpu*)\$r0)->frame.r[0]" \
    -ex "printf \"hsr=%#x\\n\", ((mv::Hsr*)\$r1)->raw" 2>&1)
echo "$out"
want_pc=$(arm-none-eabi-nm -C "$elf" | awk '$3 ~ /^mv::handle_hvc\(/ {print "0x" $1}' | sed 's/0x0*/0x/')
echo "expected: pc=$want_pc (mv::handle_hvc), guest_r0=0x86000000 (MV_CALL_NULL), hsr=0x4a000000 (HVC #0)"
grep -q "pc=$want_pc" <<<"$out" || { echo "FAIL: gdb did not stop at mv::handle_hvc"; exit 1; }
grep -q "guest_r0=0x86000000" <<<"$out" || { echo "FAIL: wrong guest r0 in the trap frame"; exit 1; }
grep -q "hsr=0x4a000000" <<<"$out" || { echo "FAIL: wrong HSR"; exit 1; }
echo "gdb test: passed"
