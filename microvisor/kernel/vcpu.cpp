// SPDX-License-Identifier: MIT
// A virtual CPU.
#include "kernel/vcpu.hpp"

#include "kernel/system.hpp"
#include "kernel/vm.hpp"

namespace mv {

Vcpu* vfp_owner = nullptr;

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
    if (vfp_owner == this) vfp_owner = nullptr;  // the unit holds the old registers: not ours any more
    priority = vm != nullptr ? vm->config->priority : 0;
}

}  // namespace mv
