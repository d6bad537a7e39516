// SPDX-License-Identifier: MIT
// A failed scenario's pointer to its trace (make trace), and what a traced boot shows.
#pragma once

#include "image.hpp"
#include "mvtest.hpp"

#include <cstdint>
#include <string>

namespace mvtest {

/// The vCPUs that waited long for the CPU in a traced console (the MV-TRACE lines of
/// kernel/trace.hpp): "  vm2 vCPU 0 did not run between 3.1 ms and 9.8 ms", one line each.
std::string trace_summary(const std::string& console);

/// For a failed run of `system`: how to draw it (make trace) and, if the build has
/// <system>-trace.elf and MV_TRACE_HINT is not 0, that image booted with the same selector:
/// where its console is saved and trace_summary() of it.
std::string trace_hint(const std::string& system, uint32_t selector, double timeout_s);

}  // namespace mvtest
