// SPDX-License-Identifier: MIT
// The fixture of host tests.
#include "host_fixture.hpp"

#include <cstring>

#include "kernel/run_queues.hpp"
#include "mv/abi.h"

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

HcRegs call_vendor(Vcpu& v, u32 fid, u32 r1, u32 r2, u32 r3, const std::string& what, const char* registrar) {
    HypercallFn fn = registry().vendor[fid & MV_SMCCC_FUNC_MASK];
    if (fn == nullptr) {
        ADD_FAILURE() << registrar << " registers no vendor call " << fake::hex(fid);
        return {};
    }
    v.frame.r[0] = fid;
    v.frame.r[1] = r1;
    v.frame.r[2] = r2;
    v.frame.r[3] = r3;
    v.frame.r[4] = 0x4444cccc;
    Frame before = v.frame;
    fn(v);
    for (u32 n = 4; n < 13; ++n)
        EXPECT_EQ(fake::hex(v.frame.r[n]), fake::hex(before.r[n])) << what << " changed r" << n;
    EXPECT_EQ(fake::hex(v.frame.elr), fake::hex(before.elr)) << what << " changed ELR_hyp";
    EXPECT_EQ(fake::hex(v.frame.spsr), fake::hex(before.spsr)) << what << " changed SPSR_hyp";
    return {{v.frame.r[0], v.frame.r[1], v.frame.r[2], v.frame.r[3]}};
}

}  // namespace mvtest
