// SPDX-License-Identifier: MIT
// The running system: its VMs, the current vCPU and what runs next.
#pragma once

#include "kernel/config.hpp"
#include "mm/table_pool.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

/// Bind the VM and vCPU objects to the system description.
void system_init();

/// The vCPU whose frame the trap entry saved.
Vcpu& current_vcpu();

/// The vCPU whose state is live in the hardware, or nullptr when none is
/// (at boot, or after its state was replaced: see forget_running()).
Vcpu* running_vcpu();

/// The running vCPU's hardware state is stale (it was reset): the next
/// reschedule() loads it from its GuestContext instead of saving over it.
void forget_running();

/// Make `v` the vCPU that HYP exit resumes: its frame, stage-2 map and VM state.
void switch_to(Vcpu& v);

/// The current vCPU cannot go on: pick the next one to run, or end the
/// system when every VM has finished. (Lab 1: VMs run one after another.)
void run_next();

/// Reset the PL1 state a guest OS owns (CP15, banked registers) for a fresh start.
void reset_guest_cpu_state(const Vcpu& v);

/// SCTLR as the board reset it: what a freshly started guest finds.
u32 guest_reset_sctlr();

/// Labs 2 on: every vCPU scheduled, a context switch when another one runs.
inline bool scheduling() { return system_config.lab >= 2; }

/// Labs 3 on: every VM has its own Stage2 tables (not the coarse boot map).
inline bool own_stage2() { return system_config.lab >= 3; }

/// The pool the VMs' stage-2 tables come from (Lab 3 on).
TablePool& table_pool();

}  // namespace mv
