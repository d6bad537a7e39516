// SPDX-License-Identifier: MIT
// Lab 1: dispatching traps on the exception class.
#include "kernel/trap.hpp"

#include "kernel/lab.hpp"
#include "kernel/reflect.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

// Handle one trap. In order:
//  1. decode the raw HSR with decode_hsr();
//  2. count it: ++vcpu.trap_count[exception class] (MV_CALL_TRAP_COUNT reports these);
//  3. call the handler for its class from a 64-entry table (kernel/trap.hpp
//     declares the handlers): WFI/WFE, HVC, SMC, the two stage-2 abort
//     classes, and 0x07 (HCPTR: VFP access) -> handle_vfp_trap, whose body is
//     Lab 2's. Every class without a handler is an undefined instruction to
//     the guest: inject_undef() at vcpu.frame.elr, which holds the trapped
//     instruction's address.
// Build the table as a constexpr object (a struct holding the array, filled by a
// constexpr function), so that it costs nothing at run time.
void handle_trap(Vcpu& vcpu, u32 raw) {
    MV_LAB_TODO(1);
}

}  // namespace mv
