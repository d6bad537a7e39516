// SPDX-License-Identifier: MIT
// Lab 1: reflecting exceptions to the guest's own vectors (ARM ARM B1.8, B1.9).
#include "kernel/reflect.hpp"

#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

// Useful bits: SCTLR.V (13) high vectors at 0xffff0000, else VBAR; SCTLR.EE
// (25) and SCTLR.TE (30) give the new CPSR's E and T. Read and write the
// guest's registers with arch::read<reg::SCTLR>(), arch::write<reg::DFAR>(v),
// arch::set_banked_lr(Mode::und, v), arch::set_banked_spsr(...).
//
// Taking an exception (B1.8.3): the guest's old CPSR (vcpu.cpsr()) goes to the
// target mode's SPSR, the return address to its LR; the new CPSR has the new
// mode, I set (and A set for aborts; an undefined instruction keeps A), T =
// SCTLR.TE (not the guest's T), E = SCTLR.EE, IT and J clear, F, the flags, Q
// and GE unchanged; the guest resumes (vcpu.frame.elr / vcpu.frame.spsr) at
// vector base + offset.

// Undefined Instruction at `instr_addr`: mode und, VECTOR_UNDEF,
// LR_und = instr_addr + 4 (ARM) or + 2 (Thumb).
void inject_undef(Vcpu& vcpu, u32 instr_addr, bool thumb) {
    MV_LAB_TODO(1);
}

// Data Abort of the instruction at vcpu.frame.elr: DFAR = far, DFSR = fsr,
// mode abt, VECTOR_DABT, LR_abt = instruction + 8 (in Thumb state too).
void inject_data_abort(Vcpu& vcpu, u32 far, u32 fsr) {
    MV_LAB_TODO(1);
}

// Prefetch Abort of the instruction at vcpu.frame.elr: IFAR = ifar,
// IFSR = fsr, mode abt, VECTOR_PABT, LR_abt = instruction + 4 (in Thumb state too).
void inject_prefetch_abort(Vcpu& vcpu, u32 ifar, u32 fsr) {
    MV_LAB_TODO(1);
}

// The fault status of a synchronous external abort (B3.13.3), WnR in bit 11 when `write`:
//  long-descriptor format: bit 9 set, STATUS (5:0) 0x10, or 0x15 on a (level 1) table walk;
//  short-descriptor format: FS = 0b01000, or 0b01100 on a (first-level) table walk,
//  with FS[4] in bit 10 and FS[3:0] in bits 3:0.
u32 external_abort_fsr(bool lpae, bool on_table_walk, bool write) {
    MV_LAB_TODO(1);
}

}  // namespace mv
