// SPDX-License-Identifier: MIT
// The fake machine's physical GIC: what host builds link for drivers/gic.hpp.
// It keeps the distributor's per-interrupt state, hands out pending
// interrupts by priority as GICC_IAR would, logs each call in
// fake::cpu().events ("gic enable 0x1a prio 0x80", "gic ack 0x1a",
// "gic eoi 0x1a", "gic dir 0x1a", ...), and notes each use the driver's
// contract forbids in `problems` rather than throwing, so that code which
// wraps part of the driver (the fuzzer's ack()) still runs.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "drivers/gic.hpp"

namespace mv::fake {

struct GicModel {
    static constexpr u32 LINES = 288;      ///< QEMU virt: 32 private + 256 SPIs (GICD_TYPER.ITLinesNumber 8)
    static constexpr u32 MAX_PROBLEMS = 16;  ///< the first ones are kept: a fuzzer's run cannot grow it

    bool initialised = false;  ///< init() ran
    std::array<u8, LINES> priority{};
    std::array<bool, LINES> enabled{};
    std::array<bool, LINES> pending{};  ///< set by tests (pend()); ack() takes it
    std::array<bool, LINES> active{};   ///< acknowledged, not yet deactivated
    std::array<u8, LINES> targets{};    ///< GICD_ITARGETSR of SPIs
    std::array<gic::Trigger, LINES> trigger{};
    std::vector<u32> running;            ///< acknowledged, priority not dropped yet (innermost last)
    std::vector<std::string> problems;   ///< contract breaches, e.g. "gic::deactivate(0x1a): its priority was not dropped"

    /// The interrupt's input fires: it becomes pending (test setup, not logged).
    void pend(u32 id);
    /// What ack() would return now: the enabled pending interrupt of highest
    /// priority (lowest ID on a tie) that preempts the running priority, else SPURIOUS.
    u32 highest_pending() const;
    /// Log a breach of the driver's contract (kept up to MAX_PROBLEMS).
    void problem(const std::string& what);
};

GicModel& gic();
void reset_gic();  ///< a fresh GIC model (not initialised, nothing pending)

}  // namespace mv::fake
