// SPDX-License-Identifier: MIT
// The fixture of host tests.
#include "host_fixture.hpp"

#include <cstring>

#include "kernel/run_queues.hpp"

namespace mvtest {

using namespace mv;

void HostTest::SetUp() {
    fake::reset_cpu();
    run_queues.clear();
    system_init();
    for (u32 i = 0; i < system_config.nvms; ++i) {
        Vm& v = system_config.vm_pool[i];
        v.state = VmState::running;
        v.at_line_start = true;
        v.cntvoff = 0;
        for (u32 c = 0; c < v.config->vcpus; ++c) {
            v.vcpus[c].next = nullptr;  // the scheduler was cleared: no vCPU is queued
            v.vcpus[c].queued = false;
            v.vcpus[c].reset(v.config->entry);
            v.vcpus[c].state = c == 0 ? VcpuState::runnable : VcpuState::off;
        }
    }
    vfp_owner = nullptr;
    fake::cpu().writes.clear();
}

Vm& HostTest::vm(u32 i) { return system_config.vm_pool[i]; }
Vcpu& HostTest::vcpu(u32 i) { return system_config.vcpu_pool[i]; }

void HostTest::poke(u32 gpa, const std::string& bytes) {
    std::memcpy(arch::phys_to_virt(gpa), bytes.data(), bytes.size());
}

void HostTest::guest_at(u32 pc, u32 cpsr) {
    vcpu().frame.elr = pc;
    vcpu().frame.spsr = cpsr;
}

}  // namespace mvtest
