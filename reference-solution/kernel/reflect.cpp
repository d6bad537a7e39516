// SPDX-License-Identifier: MIT
// Lab 1: reflecting exceptions to the guest's own vectors (ARM ARM B1.8, B1.9).
#include "kernel/reflect.hpp"

#include "arch.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

constexpr u32 SCTLR_V = 1u << 13;   // high vectors at 0xffff0000
constexpr u32 SCTLR_EE = 1u << 25;  // exceptions taken big-endian
constexpr u32 SCTLR_TE = 1u << 30;  // exceptions taken in Thumb state

u32 vector_base(u32 sctlr) { return (sctlr & SCTLR_V) != 0 ? 0xffff0000u : arch::read<reg::VBAR>(); }

// Make the guest take an exception into `mode` at `offset` from its vector
// base, as the hardware would have (B1.8.3): the old CPSR goes to the mode's
// SPSR, `lr` to its LR; the new CPSR has I set (and A for aborts), T and E
// from SCTLR.TE and SCTLR.EE, and the IT and J bits clear.
void take_exception(Vcpu& vcpu, Mode mode, u32 offset, u32 lr, bool mask_async_abort) {
    u32 sctlr = arch::read<reg::SCTLR>();
    u32 old_cpsr = vcpu.cpsr();
    u32 cpsr = psr::with_mode(old_cpsr, mode) | psr::I;
    if (mask_async_abort) cpsr |= psr::A;
    cpsr &= ~(psr::T | psr::E | psr::IT_MASK | psr::J);
    if ((sctlr & SCTLR_TE) != 0) cpsr |= psr::T;
    if ((sctlr & SCTLR_EE) != 0) cpsr |= psr::E;
    arch::set_banked_spsr(mode, old_cpsr);
    arch::set_banked_lr(mode, lr);
    vcpu.frame.spsr = cpsr;
    vcpu.frame.elr = vector_base(sctlr) + offset;
}

}  // namespace

void inject_undef(Vcpu& vcpu, u32 instr_addr, bool thumb) {
    // LR_und is the address of the next instruction: +4 in ARM state, +2 in Thumb (B1.9.2).
    take_exception(vcpu, Mode::und, VECTOR_UNDEF, instr_addr + (thumb ? 2 : 4), false);
}

void inject_data_abort(Vcpu& vcpu, u32 far, u32 fsr) {
    u32 pc = vcpu.frame.elr;  // the faulting instruction
    arch::write<reg::DFAR>(far);
    arch::write<reg::DFSR>(fsr);
    take_exception(vcpu, Mode::abt, VECTOR_DABT, pc + 8, true);  // LR_abt = +8 (B1.9.8)
}

void inject_prefetch_abort(Vcpu& vcpu, u32 ifar, u32 fsr) {
    u32 pc = vcpu.frame.elr;
    arch::write<reg::IFAR>(ifar);
    arch::write<reg::IFSR>(fsr);
    take_exception(vcpu, Mode::abt, VECTOR_PABT, pc + 4, true);  // LR_abt = +4 (B1.9.7)
}

u32 external_abort_fsr(bool lpae, bool on_table_walk, bool write) {
    u32 wnr = write ? 1u << 11 : 0;
    if (lpae) {
        // Long-descriptor format (B3.13.3): LPAE bit 9, STATUS bits 5:0:
        // 0b010000 external abort, 0b010101 external abort on a level-1 walk.
        return wnr | (1u << 9) | (on_table_walk ? 0x15u : 0x10u);
    }
    // Short-descriptor format: FS[4] is bit 10, FS[3:0] bits 3:0:
    // 0b01000 external abort, 0b01100 external abort on a first-level walk.
    return wnr | (on_table_walk ? 0x0cu : 0x08u);
}

}  // namespace mv
