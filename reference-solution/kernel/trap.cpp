// SPDX-License-Identifier: MIT
// Lab 1: dispatching traps on the exception class.
#include "kernel/trap.hpp"

#include "kernel/reflect.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

void handle_trap(Vcpu& vcpu, u32 raw) {
    Hsr hsr = decode_hsr(raw);
    u32 ec = static_cast<u32>(hsr.ec);  // 6 bits: always inside the table
    ++vcpu.trap_count[ec];
    TrapHandler handler = registry().trap[ec];
    if (handler != nullptr) {
        handler(vcpu, hsr);
    } else {
        // A class the microvisor does not handle is an undefined instruction
        // to the guest, exactly as on a CPU without the feature: the trapped
        // instruction is at ELR_hyp.
        inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb());
    }
}

}  // namespace mv
