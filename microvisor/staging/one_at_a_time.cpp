// SPDX-License-Identifier: MIT
// Staging: the stand-in for Lab 2's scheduler in Lab 1 images (see
// staging/README.md). There is no context switch yet: one vCPU runs at a
// time, VM 0's first, each to the end of its VM; then the next VM starts.
// It implements kernel/run.hpp.
#include "arch.hpp"
#include "kernel/panic.hpp"
#include "kernel/run.hpp"
#include "kernel/system.hpp"

namespace mv {
namespace {

// The first VM that has not started yet starts; when none is left, the system ends.
void start_next_vm() {
    for (u32 i = 0; i < system_config.nvms; ++i) {
        Vm& vm = system_config.vm_pool[i];
        if (vm.state == VmState::idle) {
            vm_start(vm, arch::read64<reg::CNTPCT>());  // its time starts now
            return;
        }
    }
    end_if_all_finished();
}

}  // namespace

void run_start() { start_next_vm(); }

void run_ready(Vcpu& v) {
    // No GuestContext is ever saved or restored: the vCPU takes the CPU as it is.
    switch_to(v);
    reset_guest_cpu_state(v);
}

void run_stop(Vcpu&) {}

void run_wait(Vcpu&, bool) {}  // nothing else could run: WFI and WFE return at once

void run_after_trap() {
    if (current_vcpu().state != VcpuState::runnable) start_next_vm();
}

void run_irq() { panic("unexpected IRQ in HYP mode: a Lab 1 image enables none"); }

}  // namespace mv
