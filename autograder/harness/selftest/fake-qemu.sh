#!/bin/sh
# SPDX-License-Identifier: MIT
# fake-qemu.sh: stands in for qemu-system-arm in the harness self-tests; the selector picks what it does.
#
# Reads the token and selector from the first VM's `-device loader,addr=..,data=..` pair, as
# a test guest would from its parameter page. Writes its pid to $FAKE_QEMU_PIDFILE if set.
token=0 selector=0 n=0
for arg do
    case $arg in
    loader,addr=*,data=*)
        data=${arg#*,data=}
        data=${data%%,*}
        if [ $n -eq 0 ]; then token=$data; elif [ $n -eq 1 ]; then selector=$data; fi
        n=$((n + 1)) ;;
    esac
done
tok=$(printf '%08x' "$token")
if [ -n "${FAKE_QEMU_PIDFILE:-}" ]; then
    echo $$ >"$FAKE_QEMU_PIDFILE.tmp" && mv "$FAKE_QEMU_PIDFILE.tmp" "$FAKE_QEMU_PIDFILE"
fi

case $((selector)) in
0)  # a guest that reports, plus lines that must not count
    echo "fake-qemu: argv: $*"
    echo "[vm0] @@MVT $tok PASS alpha"
    echo "@@MVT $tok FAIL beta: r0 was 0x1, expected 0x0"
    echo "@@MVT 00000001 PASS forged"
    echo "PASS gamma"
    printf '\033[32m[traps] @@MVT %s PASS colour\033[0m\r\n' "$tok"
    echo "@@MVT $tok DONE"
    exit 0 ;;
1)  # a lab stub
    echo 'MV_LAB_TODO: lab 1: handle_trap() in microvisor/kernel/trap.cpp is not written yet (book: Lab 1, "Dispatching traps")'
    exit 3 ;;
2)  # a hang that ignores polite signals, with a grandchild holding the console pipe
    trap '' INT TERM HUP
    echo "fake-qemu: hanging"
    sleep 1000 &
    while :; do wait; done ;;
3)  # a hang as one process (exec keeps the pid, and PR_SET_PDEATHSIG with it)
    echo "fake-qemu: hanging in exec"
    exec sleep 1000 ;;
4)  # a flood
    exec yes "fake-qemu flood @@MVT $tok PASS flood" ;;
5)  # a panic after a crash, and a word on stderr
    echo "qemu-system-arm: warning: fake warning" >&2
    echo "MV: VM 1 (pong) crashed: data abort at 0x00000100"
    echo "MV_PANIC: out of VMIDs"
    exit 2 ;;
6)  # the last line has no newline
    echo "@@MVT $tok PASS alpha"
    printf '@@MVT %s DONE' "$tok"
    exit 0 ;;
*)  echo "fake-qemu: unknown selector $selector" >&2
    exit 99 ;;
esac
