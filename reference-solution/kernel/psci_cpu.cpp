// SPDX-License-Identifier: MIT
// Lab 2: PSCI CPU_ON, CPU_OFF and AFFINITY_INFO for the vCPUs of one VM.
#include "kernel/psci_cpu.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

constexpr i32 AFFINITY_ON = 0, AFFINITY_OFF = 1;

// vCPU n of a VM has MPIDR affinity level 0 = n and levels 1-2 = 0.
Vcpu* target(Vcpu& caller, u32 mpidr) {
    const Vm& vm = *caller.vm;
    u32 aff0 = mpidr & 0xff;
    if ((mpidr & 0x00ffff00) != 0 || aff0 >= vm.config->vcpus) return nullptr;
    return &vm.vcpus[aff0];
}

}  // namespace

i32 psci_cpu_on(Vcpu& caller, u32 mpidr, u32 entry, u32 context_id) {
    Vcpu* t = target(caller, mpidr);
    if (t == nullptr) return MV_INVALID_PARAMETERS;
    if (t->state != VcpuState::off) return MV_ALREADY_ON;
    t->reset(entry);           // fresh registers, SVC mode, the VM's priority
    t->r(0) = context_id;      // PSCI: the context ID arrives in r0
    t->state = VcpuState::runnable;
    run_queues.add(*t);
    return MV_OK;
}

void psci_cpu_off(Vcpu& caller) {
    run_queues.remove(caller);
    caller.state = VcpuState::off;
    Vm& vm = *caller.vm;
    for (u32 i = 0; i < vm.config->vcpus; ++i)
        if (vm.vcpus[i].state != VcpuState::off) return;
    vm_power_off(vm);          // the last vCPU went off: the VM is off
}

i32 psci_affinity_info(Vcpu& caller, u32 mpidr, u32 level) {
    Vcpu* t = target(caller, mpidr);
    if (t == nullptr || level != 0) return MV_INVALID_PARAMETERS;
    return t->state == VcpuState::off ? AFFINITY_OFF : AFFINITY_ON;
}

}  // namespace mv
