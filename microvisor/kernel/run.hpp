// SPDX-License-Identifier: MIT
// Who runs on the one physical CPU: the interface the rest of the kernel uses.
//
// Lab 2's scheduler (kernel/scheduler.cpp) implements it. A Lab 1 image has
// no scheduler yet: staging/one_at_a_time.cpp stands in for it there (one
// vCPU runs at a time, each VM to its end). See staging/README.md.
#pragma once

namespace mv {

class Vcpu;

/// Boot: start the VMs and pick the first vCPU to run (HYP exit enters it).
void run_start();

/// `v` may run: a VM started or reset, PSCI CPU_ON. It is VcpuState::runnable.
void run_ready(Vcpu& v);

/// `v` may not run any more (its VM ended, CPU_OFF). It is no longer runnable.
void run_stop(Vcpu& v);

/// `v`, the running vCPU, executed WFI (wfe = false) or WFE (wfe = true).
void run_wait(Vcpu& v, bool wfe);

/// An interrupt became pending for `v` (Lab 4): a blocked vCPU becomes
/// runnable, a waived one gets its VM's priority back. Others stay as they are.
void run_wake(Vcpu& v);

/// A trap was handled: before HYP exit, run whichever vCPU should run now.
/// Cheap when nothing changed: the running vCPU goes on.
void run_after_trap();

/// A physical interrupt arrived in HYP mode.
void run_irq();

}  // namespace mv
