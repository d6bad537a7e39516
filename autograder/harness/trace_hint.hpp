// SPDX-License-Identifier: MIT
// A failed scenario's pointer to its trace (make trace), and what a traced boot shows.
#pragma once

#include "image.hpp"
#include "mvtest.hpp"

#include <cstdint>
#include <string>

namespace mvtest {

/// For a failed run of `system`: how to draw it (make trace), and unless MV_TRACE_HINT is 0,
/// <system>-trace.elf (built now if it is missing or older than <system>.elf) booted with
/// the same selector, its trace typed out at the timeout if it hangs: its console saved
/// under <build>/trace/<system>-<selector>/ (once per image), drawn there and summed up
/// by tools/trace/trace.py --console (its summary(): vCPUs that waited long for the CPU,
/// interrupts that stopped on their way).
std::string trace_hint(const std::string& system, uint32_t selector, double timeout_s);

/// run_system() calls it for each run: when the test that runs now fails, its last run's
/// trace_hint() is one more failure message, at the test's end (a GoogleTest listener).
void note_run(const Run& run);

}  // namespace mvtest
