// SPDX-License-Identifier: MIT
// Lab 1: PSCI 1.0 (ARM DEN 0022) for a VM: version, features, system off and reset.
#include "kernel/hypercall.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

bool implemented(u32 fid) {
    switch (fid) {
    case PSCI_VERSION:
    case PSCI_FEATURES:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
        return true;
    default:
        return false;
    }
}

}  // namespace

void psci_call(Vcpu& vcpu, u32 fid) {
    switch (fid) {
    case PSCI_VERSION:
        vcpu.r(0) = MV_PSCI_VERSION_1_0;
        break;
    case PSCI_FEATURES:
        // 0 for a function we implement (no feature flags), NOT_SUPPORTED otherwise.
        vcpu.r(0) = implemented(vcpu.r(1)) || registry().psci_call(vcpu.r(1)) != nullptr
                        ? 0
                        : static_cast<u32>(MV_NOT_SUPPORTED);
        break;
    case PSCI_SYSTEM_OFF:
        vm_power_off(*vcpu.vm);  // does not return to the guest
        break;
    case PSCI_SYSTEM_RESET:
        vm_reset(*vcpu.vm);      // the guest restarts at its entry point
        break;
    default:
        // The functions later labs register (Lab 2: CPU_ON, CPU_OFF, AFFINITY_INFO).
        if (HypercallFn fn = registry().psci_call(fid); fn != nullptr)
            fn(vcpu);
        else
            vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
        break;
    }
}

}  // namespace mv
