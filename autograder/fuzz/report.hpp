// SPDX-License-Identifier: MIT
// What the fuzzer reports: a finding ends the process (libFuzzer keeps the
// input as a crash), a trace follows a run step by step (MV_FUZZ_TRACE=1).
#pragma once

#include "input.hpp"

namespace mvfuzz {

/// Where the current run is, for the report of a finding.
struct Where {
    int trap = -1;                 ///< index of the trap, -1 at boot
    const Trap* record = nullptr;  ///< its record
    const char* phase = "boot";
};
extern Where where;

/// A bug in the microvisor (or a broken invariant): print what, where and the
/// console's last lines, then abort() so that libFuzzer saves the input.
[[noreturn]] void finding(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Whether MV_FUZZ_TRACE is set: then trace() prints to stderr.
bool tracing();
void trace(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mvfuzz
