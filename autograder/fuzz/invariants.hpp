// SPDX-License-Identifier: MIT
// What must hold after every trap and every interrupt, whatever the guest did.
// A broken invariant is a finding (report.hpp).
#pragma once

#include <vector>

#include "arch/armv7/frame.hpp"
#include "input.hpp"

namespace mv {
class Vcpu;
}

namespace mvfuzz {

inline constexpr u32 MAX_VCPUS = 8;

/// The guest-visible state before a step, to tell what the step changed.
struct Snapshot {
    mv::Frame frames[MAX_VCPUS];
    u32 guest_values[13] = {};     ///< the trapping vCPU's r0-r12: values the microvisor may pass on
    std::vector<u32> probe_gpas;   ///< guest-physical addresses the trap named, to check in every VM's map
};

/// Once, before the first run: the address ranges of the microvisor's objects.
void init_invariants();

/// A run begins (the system booted, its console is empty).
void begin_run();

/// Before a step: what it may change. `trapping` is the vCPU that traps (nullptr for an interrupt).
Snapshot snapshot(const mv::Vcpu* trapping, const Trap* t);

/// After a step (a trap and run_after_trap(), or an interrupt): every invariant.
void check_system(const Snapshot& before);

/// After a trap of `v` with syndrome `hsr`: the microvisor skipped the
/// instruction (`skipped`) exactly when its condition failed (ARM ARM B1.14.1),
/// and an instruction it resumed after moved the IT state on.
void check_trapped_instruction(const Snapshot& before, const mv::Vcpu& v, u32 hsr, bool skipped);

/// After the system ended by itself (PSCI SYSTEM_OFF of every VM, or crashes).
void check_system_ended();

}  // namespace mvfuzz
