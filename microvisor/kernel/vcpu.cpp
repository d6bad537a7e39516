// SPDX-License-Identifier: MIT
// A virtual CPU.
#include "kernel/vcpu.hpp"

namespace mv {

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
}

}  // namespace mv
