// SPDX-License-Identifier: MIT
// Lab 2: saving and restoring the guest state that stays in the hardware while a vCPU runs.
#include "kernel/context.hpp"

#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

// Copy every field of GuestContext (kernel/context.hpp) from the hardware into
// vcpu.ctx: the banked SP, LR and SPSR of each mode of BANKED_MODES
// (arch::banked_sp/lr/spsr), r8-r12 of FIQ mode (arch::fiq_reg), every CP15
// register of the lists MV_GUEST_CP15 and MV_GUEST_CP15_64 (arch::read<reg::X>,
// arch::read64; an X-macro expands to one statement per register, so none can
// be left out), and the virtual timer (CNTV_CTL, CNTV_CVAL). Then disable the
// virtual timer (CNTV_CTL = 0): it must not fire into the next vCPU's time.
// Leave vcpu.frame (the vectors'), the VFP registers (vfp.cpp) and VTTBR,
// VMPIDR, VPIDR and HDCR (switch_to's) alone, here and in restore_context.
void save_context(Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

// The reverse: load every field of vcpu.ctx into the hardware. For the timer,
// write CNTVOFF (vcpu.vm->cntvoff) first, then CNTV_CVAL, then CNTV_CTL,
// and finish with an ISB.
void restore_context(const Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

}  // namespace mv
