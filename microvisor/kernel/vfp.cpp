// SPDX-License-Identifier: MIT
// Lab 2: lazy VFP switching. The unit keeps the registers of its owner until
// another vCPU touches it: only then are they saved and the new ones loaded.
#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vfp.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

// HCPTR (ARM ARM B4.1.64) bits 10 and 11 (TCP10, TCP11) trap every access to
// the VFP/Advanced SIMD unit, from the guest and from HYP mode alike, with
// exception class 0x07. The global `vfp_owner` (kernel/vcpu.hpp) is the vCPU
// whose registers the unit holds: nullptr at boot, and Vcpu::reset() sets it
// back to nullptr when it resets the owner. Use it; keep no owner of your own
// (it would go stale when a vCPU is reset).

// `next` is about to run: set TCP10 and TCP11 in HCPTR unless `next` owns the
// unit, clear them if it does (read-modify-write HCPTR: leave its other bits
// as they are; then an ISB).
void vfp_trap_update(const Vcpu& next) {
    MV_LAB_TODO(2);
}

// The guest touched the unit while trapped: clear the trap bits
// (read-modify-write HCPTR, then an ISB, before touching the unit yourself),
// then, if `vcpu` is not the owner, save the owner's registers (arch::vfp_save
// into owner->vfp), load vcpu.vfp (arch::vfp_load), and make `vcpu` the
// owner. Do not skip the instruction: the guest executes it again.
void handle_vfp_trap(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(2);
}

}  // namespace mv
