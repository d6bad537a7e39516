// SPDX-License-Identifier: MIT
// Lab 2: lazy VFP switching. The unit keeps the registers of its owner until
// another vCPU touches it: only then are they saved and the new ones loaded.
#include "arch.hpp"
#include "kernel/vfp.hpp"
#include "kernel/vcpu.hpp"

namespace mv {
namespace {

constexpr u32 HCPTR_TCP10 = 1u << 10, HCPTR_TCP11 = 1u << 11;  // trap CP10/CP11: VFP and SIMD
constexpr u32 HCPTR_VFP = HCPTR_TCP10 | HCPTR_TCP11;

}  // namespace

void vfp_trap_update(const Vcpu& next) {
    u32 hcptr = arch::read<reg::HCPTR>();
    hcptr = &next == vfp_owner ? hcptr & ~HCPTR_VFP : hcptr | HCPTR_VFP;
    arch::write<reg::HCPTR>(hcptr);
    arch::isb();
}

void handle_vfp_trap(Vcpu& vcpu, const Hsr&) {
    // Untrap first: HCPTR traps HYP's own VFP accesses too.
    arch::write<reg::HCPTR>(arch::read<reg::HCPTR>() & ~HCPTR_VFP);
    arch::isb();
    if (vfp_owner != &vcpu) {
        if (vfp_owner != nullptr) arch::vfp_save(vfp_owner->vfp);
        arch::vfp_load(vcpu.vfp);
        vfp_owner = &vcpu;
    }
    // ELR_hyp holds the trapped instruction: the guest executes it again, now untrapped.
}

}  // namespace mv
