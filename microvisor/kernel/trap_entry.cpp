// SPDX-License-Identifier: MIT
// A trap from the guest enters the kernel here (from mv_hyp_trap, and from the host fuzzer).
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

bool take_trap(Vcpu& vcpu, u32 hsr) {
    if (trap_condition_failed(hsr, vcpu.cpsr())) {
        vcpu.skip_instruction((hsr & hsr_bits::IL) != 0 ? 4 : 2);  // it did not execute
        return false;
    }
    handle_trap(vcpu, hsr);
    return true;
}

}  // namespace mv
