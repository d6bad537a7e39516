// SPDX-License-Identifier: MIT
// A virtual CPU.
#include "kernel/vcpu.hpp"

#include "arch.hpp"
#include "kernel/system.hpp"
#include "kernel/vm.hpp"

namespace mv {

Vcpu* vfp_owner = nullptr;

u32 Vcpu::reg(unsigned n) const {
    Mode m = mode();
    bool usr = m == Mode::usr || m == Mode::sys;
    if (n >= 8 && n <= 12 && m == Mode::fiq) return arch::fiq_reg(n);
    if (n <= 12) return frame.r[n];
    if (n == 13) return usr ? frame.sp_usr : arch::banked_sp(m);
    return usr ? frame.lr_usr : arch::banked_lr(m);
}

void Vcpu::set_reg(unsigned n, u32 value) {
    Mode m = mode();
    bool usr = m == Mode::usr || m == Mode::sys;
    if (n >= 8 && n <= 12 && m == Mode::fiq)
        arch::set_fiq_reg(n, value);
    else if (n <= 12)
        frame.r[n] = value;
    else if (n == 13)
        usr ? void(frame.sp_usr = value) : arch::set_banked_sp(m, value);
    else
        usr ? void(frame.lr_usr = value) : arch::set_banked_lr(m, value);
}

void Vcpu::reset(u32 entry) {
    frame = Frame{};
    frame.elr = entry;
    // The guest starts as a kernel would on real hardware: SVC mode, ARM
    // state, asynchronous aborts, IRQs and FIQs masked.
    frame.spsr = static_cast<u32>(Mode::svc) | psr::A | psr::I | psr::F;
    if ((entry & 1) != 0) {
        frame.elr = entry & ~1u;
        frame.spsr |= psr::T;
    }
    for (u32& c : trap_count) c = 0;
    ctx = GuestContext{};
    ctx.sctlr = guest_reset_sctlr();
    vfp = VfpState{};
    vgic = VgicCpu{};
    if (vfp_owner == this) vfp_owner = nullptr;  // the unit holds the old registers: not ours any more
    priority = vm != nullptr ? vm->config->priority : 0;
    overrun = 0;
    teehbr = 0;
}

}  // namespace mv
