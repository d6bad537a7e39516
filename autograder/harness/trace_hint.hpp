// SPDX-License-Identifier: MIT
// A failed scenario's pointer to its trace (make trace), and what a traced boot shows.
#pragma once

#include "image.hpp"
#include "mvtest.hpp"

#include <cstdint>
#include <string>

namespace mvtest {

/// What went wrong in a traced console (the MV-TRACE lines of kernel/trace.hpp; the last
/// dump counts), one line each: a vCPU that waited 3 ms or more for the CPU ("  vm2 vCPU 0
/// did not run between 3.1 ms and 9.8 ms", "never ran"); the first interrupt raised and not
/// injected, and the first injected and not ended, 3 ms or more before its VM's end.
std::string trace_summary(const std::string& console);

/// For a failed run of `system`: how to draw it (make trace), and unless MV_TRACE_HINT is 0,
/// <system>-trace.elf (built now if it is missing or older than <system>.elf) booted with
/// the same selector, its trace typed out at the timeout if it hangs: its console saved
/// under <build>/trace/<system>-<selector>/ (once per image), drawn there by
/// tools/trace/trace.py, and trace_summary() of it.
std::string trace_hint(const std::string& system, uint32_t selector, double timeout_s);

/// run_system() calls it for each run: when the test that runs now fails, its last run's
/// trace_hint() is one more failure message, at the test's end (a GoogleTest listener).
void note_run(const Run& run);

}  // namespace mvtest
