#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the trap fuzzer (autograder/fuzz) in a configured build tree and run it.
#
#   run-fuzzer.sh <build-dir> time <seconds>   fuzz for that long (make fuzz): the corpus grows
#                                              in <build-dir>/fuzz/corpus, crashes go to
#                                              <build-dir>/fuzz/crashes
#   run-fuzzer.sh <build-dir> short            4,000 inputs from seed 1, from the seeds only,
#                                              the same each time (ctest fuzz.trap_path_short)
#   run-fuzzer.sh <build-dir> replay <input>...   run inputs once each, tracing every step
set -euo pipefail
build=$(cd "$1" && pwd)
mode=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=$build/fuzz
fuzzer=$out/mv-fuzz-trap

SECONDS=0
cmake --build "$build" --target fuzz -j 2 >"$build/fuzz-build.log" 2>&1 ||
    { cat "$build/fuzz-build.log"; echo "fuzz: the fuzzer did not build" >&2; exit 1; }
echo "fuzz: built $fuzzer in ${SECONDS}s"

# No leak check: the microvisor has no heap, and libFuzzer would run many inputs twice to look.
options=(-detect_leaks=0 -timeout=10 -max_len=4096 -print_final_stats=1)
case $mode in
time)
    mkdir -p "$out/corpus" "$out/crashes"
    echo "fuzz: fuzzing for $1 s; the corpus grows in $out/corpus, findings go to $out/crashes/"
    "$fuzzer" "${options[@]}" -max_total_time="$1" -artifact_prefix="$out/crashes/" "$out/corpus" "$here/corpus" || {
        status=$?
        echo "fuzz: FINDING (status $status): the input is in $out/crashes/; see what it does with" >&2
        echo "    $0 $build replay $out/crashes/<file>" >&2
        exit $status
    }
    ;;
short)
    rm -rf "$out/short-corpus" && mkdir -p "$out/short-corpus" "$out/short-crashes"
    SECONDS=0
    # -use_cmp=0: the values of compared pointers (UBSan's checks compare some) depend on
    # where ASLR put the stack, and they steer libFuzzer's mutations: without them the
    # run is the same every time.
    "$fuzzer" "${options[@]}" -runs=4000 -seed=1 -use_cmp=0 -artifact_prefix="$out/short-crashes/" \
        "$out/short-corpus" "$here/corpus"
    echo "fuzz: 4000 inputs in ${SECONDS}s"
    ;;
replay)
    MV_FUZZ_TRACE=1 "$fuzzer" -detect_leaks=0 "$@"
    ;;
*)
    echo "usage: $0 <build-dir> time <seconds> | short | replay <input>..." >&2
    exit 2
    ;;
esac
