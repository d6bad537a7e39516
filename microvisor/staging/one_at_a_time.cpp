// SPDX-License-Identifier: MIT
// Staging: the stand-in for Lab 2's scheduler in Lab 1 images (see
// staging/README.md). There is no context switch yet: one vCPU runs at a
// time, VM 0's first, each to the end of its VM; then the next VM starts.
// It implements kernel/run.hpp.
#include "arch.hpp"
#include "kernel/context.hpp"
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

// Without Lab 2 no GuestContext is saved or restored: a vCPU that starts
// finds the hardware's PL1 state as the last VM left it. Load a fresh one,
// every field of GuestContext's lists and the VFP registers, so nothing of
// that VM reaches it.
void reset_guest_cpu_state(const Vcpu& v) {
    const GuestContext fresh = v.ctx;  // Vcpu::reset() made it: SCTLR as the board reset it, the rest 0
    for (const auto& b : BANKED_MODES) {
        arch::set_banked_sp(b.mode, (fresh.*b.field).sp);
        arch::set_banked_lr(b.mode, (fresh.*b.field).lr);
        arch::set_banked_spsr(b.mode, (fresh.*b.field).spsr);
    }
    for (unsigned n = 8; n <= 12; ++n) arch::set_fiq_reg(n, fresh.r8_12_fiq[n - 8]);
#define LOAD(field, r) arch::write<reg::r>(fresh.field);
#define LOAD_64(field, r) arch::write64<reg::r>(fresh.field);
    MV_GUEST_CP15(LOAD)
    MV_GUEST_CP15_64(LOAD_64)
#undef LOAD
#undef LOAD_64
    arch::write<reg::CNTV_CTL>(0);
    arch::write64<reg::CNTVOFF>(v.vm->cntvoff);
    arch::write64<reg::CNTV_CVAL>(0);
    arch::vfp_load(v.vfp);  // and fresh VFP registers (HCPTR does not trap them in a Lab 1 image)
    arch::isb();
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
