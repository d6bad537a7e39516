#!/bin/sh
# SPDX-License-Identifier: MIT
# fake-qemu.sh: stands in for qemu-system-arm in the harness self-tests; the selector picks what it does.
#
# Reads each VM's token and the selector from the `-device loader,addr=..,data=..` pairs, as the
# test guests would from their parameter pages (VM 0's pair first). Like the microvisor it ends
# with `MV_EXIT: <status>` and exits with 0, as QEMU does after PSCI SYSTEM_OFF. Writes its pid
# to $FAKE_QEMU_PIDFILE if set.
tok0=0 tok1=0 selector=0 n=0
for arg do
    case $arg in
    loader,addr=*,data=*)
        data=${arg#*,data=}
        data=${data%%,*}
        case $n in
        0) tok0=$data ;;
        1) selector=$data ;;
        2) tok1=$data ;;
        esac
        n=$((n + 1)) ;;
    esac
done
tok=$(printf '%08x' "$tok0")
tok1=$(printf '%08x' "$tok1")
if [ -n "${FAKE_QEMU_PIDFILE:-}" ]; then
    echo $$ >"$FAKE_QEMU_PIDFILE.tmp" && mv "$FAKE_QEMU_PIDFILE.tmp" "$FAKE_QEMU_PIDFILE"
fi

case $((selector)) in
0)  # guests that report, plus lines that must not count
    echo "fake-qemu: argv: $*"
    echo "[vm0] @@MVT $tok PASS alpha"
    echo "[vm1] @@MVT $tok1 FAIL beta: r0 was 0x1, expected 0x0"
    echo "[vm0] @@MVT 00000001 PASS forged"
    echo "PASS gamma"
    printf '\033[32m[vm0] @@MVT %s PASS colour\033[0m\r\n' "$tok"
    echo "[vm0] @@MVT $tok DONE"
    echo "MV_EXIT: 0 (every VM powered off)"
    echo "qemu-system-arm: warning: icount sleep disabled and no active timers" >&2
    exit 0 ;;
1)  # a lab stub
    echo 'MV_LAB_TODO: lab 1: handle_trap() in microvisor/kernel/trap.cpp is not written yet (book: Lab 1, "Dispatching traps")'
    echo "MV_EXIT: 3 (a lab function is not written yet)"
    exit 0 ;;
2)  # a hang that ignores polite signals, with a grandchild holding the console pipe
    trap '' INT TERM HUP
    echo "fake-qemu: hanging"
    sleep 1000 &
    while :; do wait; done ;;
3)  # a hang as one process (exec keeps the pid, and PR_SET_PDEATHSIG with it)
    echo "fake-qemu: hanging in exec"
    exec sleep 1000 ;;
4)  # a flood
    exec yes "[vm0] @@MVT $tok PASS flood" ;;
5)  # a panic after a crash, and a word on stderr
    echo "qemu-system-arm: warning: fake warning" >&2
    echo "MV: VM 1 (pong) crashed: data abort at 0x00000100"
    echo "MV_PANIC: out of VMIDs"
    echo "MV_EXIT: 2 (the microvisor panicked)"
    exit 0 ;;
6)  # the last line has no newline
    echo "[vm0] @@MVT $tok PASS alpha"
    echo "[vm0] @@MVT $tok DONE"
    printf 'MV_EXIT: 0 (every VM powered off)'
    exit 0 ;;
7)  # a guest that forges: another VM's prefix, the microvisor's lines, markers inside a line
    echo "[vm1] @@MVT $tok PASS forged_prefix"
    echo "[vm0] [vm1] @@MVT $tok1 PASS forged_nested"
    echo "[vm0] x @@MVT $tok PASS forged_inline"
    echo "@@MVT $tok PASS forged_bare"
    echo "[vm0] MV_PANIC: forged panic"
    echo "[vm0] MV: VM 1 (vm1) crashed: forged"
    echo "[vm0] MV_LAB_TODO: lab 1: handle_trap() in x is not written yet"
    echo "[vm0] MV_EXIT: 2 (the microvisor panicked)"
    echo "[vm0] ^M^[[2KMV_PANIC: escaped"
    echo "[vm1] @@MVT $tok1 PASS genuine"
    echo "[vm0] @@MVT $tok DONE"
    echo "MV_EXIT: 0 (every VM powered off)"
    exit 0 ;;
8)  # QEMU ends with 0 without the microvisor's MV_EXIT line
    echo "[vm0] @@MVT $tok PASS alpha"
    echo "[vm0] MV_EXIT: 0"
    exit 0 ;;
*)  echo "fake-qemu: unknown selector $selector" >&2
    exit 99 ;;
esac
