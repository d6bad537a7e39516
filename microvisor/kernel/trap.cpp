// SPDX-License-Identifier: MIT
// Lab 1: dispatching traps on the exception class.
#include "kernel/trap.hpp"

#include "lib/lab_todo.hpp"
#include "kernel/reflect.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

// Handle one trap. In order:
//  1. decode the raw HSR with decode_hsr();
//  2. count it: ++vcpu.trap_count[exception class] (MV_CALL_TRAP_COUNT reports these);
//  3. call the handler the registry holds for its class (registry().trap[ec],
//     kernel/registry.hpp): Lab 1 registers WFI/WFE, HVC, SMC and the two
//     stage-2 abort classes (kernel/base_services.cpp), later labs their own.
//     Index the table for every class (do not switch on Lab 1's classes).
//     A class without a handler is an undefined instruction to the guest:
//     inject_undef() at vcpu.frame.elr, which holds the trapped instruction's
//     address, in the guest's instruction set.
void handle_trap(Vcpu& vcpu, u32 raw) {
    MV_LAB_TODO(1);
}

}  // namespace mv
