// SPDX-License-Identifier: MIT
// The fixture of host tests.
#include "host_fixture.hpp"

#include <cstring>

namespace mvtest {

using namespace mv;

void HostTest::SetUp() {
    fake::reset_cpu();
    system_init();
    Vm& v = vm();
    v.state = VmState::running;
    v.at_line_start = true;
    vcpu().reset(v.config->entry);
    vcpu().state = VcpuState::runnable;
    fake::cpu().writes.clear();
}

Vm& HostTest::vm() { return system_config.vm_pool[0]; }
Vcpu& HostTest::vcpu() { return system_config.vcpu_pool[0]; }

void HostTest::poke(u32 gpa, const std::string& bytes) {
    std::memcpy(arch::phys_to_virt(gpa), bytes.data(), bytes.size());
}

void HostTest::guest_at(u32 pc, u32 cpsr) {
    vcpu().frame.elr = pc;
    vcpu().frame.spsr = cpsr;
}

}  // namespace mvtest
