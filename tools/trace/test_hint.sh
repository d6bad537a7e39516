#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# trace.grader_hint (cmake/Checks.cmake): what a failed scenario's message says about its run
# (autograder/harness/trace_hint.cpp), end to end, through mv-trace-hint:
#  1. lab2-pair is not among the traced images a build makes (systems/CMakeLists.txt): the
#     hint builds lab2-pair-trace.elf first, boots it, saves its console and draws it; a
#     second hint of the same scenario reads the same console (one boot per image); Lab 2's
#     strict priority (lab2-prio, scenario 2) is summed up as the low priority's wait;
#  2. Lab 5's flood (lab5-pair, scenario 2) runs for seconds: a timeout of 0.3 s stops it
#     midway, and its trace comes from Ctrl-A t at the timeout;
#  3. in a test program: Lab 2's fairness test fails when lab2-fair is really lab2-pair (an
#     image folder where it is), and its XML report ends with the traced run; with the real
#     images it passes, and a passing test boots nothing traced.
set -euo pipefail
build=$1 hint=$2
fail() { echo "FAIL: $*"; [[ -n ${out:-} ]] && echo "it said: $out"; exit 1; }
drawn() {  # drawn <dir>: trace.json, and trace.svg where Debian's matplotlib is
    [[ -s $1/trace.json ]] || fail "no trace.json drawn in $1"
    if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
        [[ -s $1/trace.svg ]] || fail "no trace.svg drawn in $1"
        grep -qF "drawn in $1/trace.svg" <<<"$out" || fail "expected it to point to $1/trace.svg"
    fi
}

dir=$build/trace/lab2-pair-3
rm -f "$build/images/lab2-pair-trace.elf"
rm -rf "$dir"
out=$("$hint" lab2-pair 3 30)
[[ -f $build/images/lab2-pair-trace.elf ]] || fail "lab2-pair-trace.elf was not built"
expect="make trace SYSTEM=lab2-pair SELECTOR=3"
grep -qF "$expect" <<<"$out" || fail "expected the command '$expect'"
expect="traced (lab2-pair-trace.elf): $dir/console.txt"
grep -qF "$expect" <<<"$out" || fail "expected '$expect'"
grep -q "^MV-TRACE end" "$dir/console.txt" || fail "no trace in $dir/console.txt"
drawn "$dir"
expect="  no vCPU waited long for the CPU, no interrupt stopped on its way"
grep -qxF "$expect" <<<"$out" || fail "expected '$expect' (two VMs of one priority, 1 ms slices)"
before=$(stat -c %Y "$dir/console.txt")
sleep 1
out=$("$hint" lab2-pair 3 30)
[[ $before == "$(stat -c %Y "$dir/console.txt")" ]] || fail "the second hint booted again instead of reading $dir/console.txt"

# The summary (trace.py's summary()) of a run where one vCPU waits: Lab 2's strict priority.
rm -rf "$build/trace/lab2-prio-2"
out=$("$hint" lab2-prio 2 30)
expect="  vm1 vCPU 0 did not run between 0.0 ms and 50.0 ms"
grep -qxF "$expect" <<<"$out" || fail "expected '$expect' (vm0, of priority 200, spins for 50 ms first)"

dir=$build/trace/lab5-pair-2
rm -rf "$dir"
out=$("$hint" lab5-pair 2 0.3)
grep -q "^MV-TRACE end" "$dir/console.txt" || fail "no trace in $dir/console.txt: Ctrl-A t at the timeout got none"
grep -q "^MV_EXIT" "$dir/console.txt" && fail "the flood ended by itself within 0.3 s: nothing to stop at the timeout"
drawn "$dir"
grader=$build/autograder/lab2/autograder-lab2
test=Share.ThreeVmsOfOnePriorityShareEvenly
fake=$build/trace-hint-test
rm -rf "$fake"
mkdir -p "$fake/images"
for f in "$build"/images/*.elf "$build"/images/*.json; do ln -s "$f" "$fake/images/"; done
for v in "" -trace; do
    for x in elf json; do
        rm "$fake/images/lab2-fair$v.$x"
        cp "$build/images/lab2-pair$v.$x" "$fake/images/lab2-fair$v.$x"
    done
    touch "$fake/images/lab2-fair$v.elf"  # the traced one last: not older than the plain one
done
MV_IMAGE_DIR=$fake/images "$grader" --gtest_filter=$test --gtest_output=xml:"$fake/report.xml" >"$fake/log" 2>&1 &&
    fail "$test passed with lab2-pair in lab2-fair's place"
expect="traced (lab2-fair-trace.elf): $fake/trace/lab2-fair-1/console.txt"
grep -qF "$expect" "$fake/report.xml" || { cat "$fake/log"; fail "the failed test's report lacks '$expect'"; }
rm -rf "$build/trace/lab2-fair-1"
"$grader" --gtest_filter=$test >"$fake/log" 2>&1 || { cat "$fake/log"; fail "$test failed with the real images"; }
[[ ! -e $build/trace/lab2-fair-1 ]] || fail "a passing $test booted a traced run ($build/trace/lab2-fair-1)"

echo "PASS: lab2-pair-trace.elf built on demand, its run saved, drawn and reused;" \
     "the flood's trace at the timeout: $(grep -c '^MV-TRACE e ' "$dir/console.txt") events;" \
     "a failed test's report ends with its run traced, a passing test's boots nothing"
