// SPDX-License-Identifier: MIT
// What Lab 2's vCPUs offer guests: yield and priority waive, PSCI CPU_ON,
// CPU_OFF and AFFINITY_INFO, and the trap class of lazy VFP switching.
#include "kernel/psci_cpu.hpp"
#include "kernel/registry.hpp"
#include "kernel/scheduler.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vfp.hpp"
#include "kernel/waiting.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

void hc_vcpu_yield(Vcpu& vcpu) {
    vcpu.r(0) = MV_OK;
    vcpu_yield(vcpu);
    need_reschedule();
}

void hc_priority_waive(Vcpu& vcpu) {
    vcpu.r(0) = MV_OK;
    priority_waive(vcpu);
    need_reschedule();
}

void hc_cpu_on(Vcpu& vcpu) {
    vcpu.r(0) = static_cast<u32>(psci_cpu_on(vcpu, vcpu.r(1), vcpu.r(2), vcpu.r(3)));
    need_reschedule();
}

void hc_cpu_off(Vcpu& vcpu) {
    psci_cpu_off(vcpu);  // does not return to the guest
    need_reschedule();
}

void hc_affinity_info(Vcpu& vcpu) { vcpu.r(0) = static_cast<u32>(psci_affinity_info(vcpu, vcpu.r(1), vcpu.r(2))); }

}  // namespace

MV_VENDOR_CALL(MV_CALL_VCPU_YIELD, hc_vcpu_yield);
MV_VENDOR_CALL(MV_CALL_PRIORITY_WAIVE, hc_priority_waive);
MV_PSCI_CALL(PSCI_CPU_ON, hc_cpu_on);
MV_PSCI_CALL(PSCI_CPU_OFF, hc_cpu_off);
MV_PSCI_CALL(PSCI_AFFINITY_INFO, hc_affinity_info);
MV_TRAP_CLASS(Ec::hcptr, handle_vfp_trap);

}  // namespace mv
