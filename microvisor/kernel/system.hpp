// SPDX-License-Identifier: MIT
// The running system: its VMs, the vCPU whose state is live in the hardware,
// and the end of the system.
#pragma once

#include "config/system_config.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

/// Bind the VM and vCPU objects to the system description; set up what
/// traps to HYP while guests run.
void system_init();

/// The vCPU whose frame the trap entry saved.
Vcpu& current_vcpu();

/// The vCPU whose state is live in the hardware, or nullptr when none is
/// (at boot, or after its state was replaced: see forget_running()).
Vcpu* running_vcpu();

/// The running vCPU's hardware state is stale (it was reset): the next
/// switch loads it from its GuestContext instead of saving over it.
void forget_running();

/// Make `v` the vCPU that HYP exit resumes: its frame, stage-2 map and identity.
void switch_to(Vcpu& v);

/// SCTLR as the board reset it: what a freshly started guest finds.
u32 guest_reset_sctlr();

/// If the system description says trap_report = true: print each VM's traps
/// by exception class and its physical-interrupt exits (kernel/trap_report.cpp).
void report_traps();

/// Every VM has finished: end the system, with status 1 if one crashed.
/// Returns if some VM has not finished.
void end_if_all_finished();

}  // namespace mv
