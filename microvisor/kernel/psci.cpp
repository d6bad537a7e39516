// SPDX-License-Identifier: MIT
// Lab 1: PSCI 1.0 (ARM DEN 0022) for a VM: version, features, system off and reset.
#include "kernel/hypercall.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// Answer the PSCI call `fid` (the guest's r0), results to vcpu.r(0):
//  - PSCI_VERSION: MV_PSCI_VERSION_1_0;
//  - PSCI_FEATURES: 0 if the function ID in vcpu.r(1) is one this function
//    implements or one a later lab registered (registry().psci_call(id) is
//    not nullptr), MV_NOT_SUPPORTED otherwise;
//  - PSCI_SYSTEM_OFF: vm_power_off() the caller's VM;
//  - PSCI_SYSTEM_RESET: vm_reset() the caller's VM;
//  - anything else: the handler registry().psci_call(fid) returns (Lab 2
//    registers CPU_ON, CPU_OFF, AFFINITY_INFO), or MV_NOT_SUPPORTED if none.
void psci_call(Vcpu& vcpu, u32 fid) {
    MV_LAB_TODO(1);
}

}  // namespace mv
