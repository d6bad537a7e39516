// SPDX-License-Identifier: MIT
// Where a lab's code reaches a later lab's mechanism: only systems of that
// later lab (SystemConfig::lab) go through, so an earlier lab still passes
// with the later labs stubbed.
#include "kernel/hypercall.hpp"
#include "kernel/mmio.hpp"
#include "kernel/preempt.hpp"
#include "kernel/system.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "mv/abi.h"

namespace mv {

bool psci_smp_implemented(u32 fid) {
    return scheduling() && (fid == PSCI_CPU_ON || fid == PSCI_CPU_OFF || fid == PSCI_AFFINITY_INFO);
}

bool psci_smp_call(Vcpu& vcpu, u32 fid) {
    if (!psci_smp_implemented(fid)) return false;
    switch (fid) {
    case PSCI_CPU_ON:
        vcpu.r(0) = static_cast<u32>(psci_cpu_on(vcpu, vcpu.r(1), vcpu.r(2), vcpu.r(3)));
        break;
    case PSCI_CPU_OFF:
        psci_cpu_off(vcpu);
        break;
    default:
        vcpu.r(0) = static_cast<u32>(psci_affinity_info(vcpu, vcpu.r(1), vcpu.r(2)));
        break;
    }
    return true;
}

void hc_priority_waive(Vcpu& vcpu) {
    if (!scheduling()) {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
        return;
    }
    vcpu.r(0) = MV_OK;
    priority_waive(vcpu);
}

bool try_emulate_mmio(Vcpu& vcpu, const Hsr& hsr) {
    return own_stage2() && hsr.ec == Ec::dabt_lower && emulate_mmio(vcpu, hsr);
}

void vcpu_wait(Vcpu& vcpu, bool wfe) {
    if (!scheduling()) return;
    if (wfe)
        vcpu_yield(vcpu);  // no SEV tracking: a WFE gives the CPU away and comes back
    else
        block_until_event(vcpu);
}

}  // namespace mv
