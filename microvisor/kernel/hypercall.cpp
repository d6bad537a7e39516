// SPDX-License-Identifier: MIT
// Lab 1: the hypercall dispatcher (Arm SMCCC over HVC #0).
#include "kernel/hypercall.hpp"

#include "lib/lab_todo.hpp"
#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "mv/abi.h"

namespace mv {

// Handle a trapped HVC. The function ID is in vcpu.r(0), arguments in
// vcpu.r(1)..r(5); results go to vcpu.r(0)..r(3).
//  - Only HVC #0 is a hypercall (the immediate is hsr.iss bits 15:0). Any other
//    immediate is an undefined instruction: inject_undef() at the HVC, which is
//    the 4 bytes before vcpu.frame.elr.
//  - Only fast SMC32 calls with bits 23:16 zero exist; others: MV_NOT_SUPPORTED.
//  - Owner MV_SMCCC_OWNER_STD goes to psci_call(); owner MV_SMCCC_OWNER_VENDOR_HYP
//    is looked up by function number in the registry's table of vendor calls
//    (registry().vendor, Registry::VENDOR_CALLS entries, nullptr where no lab
//    registered a call: kernel/registry.hpp), and
//    MV_CALL_REVISION (number 0xff03) answers through hc_revision().
//  - Everything else answers MV_NOT_SUPPORTED in r0.
void handle_hvc(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(1);
}

}  // namespace mv
