// SPDX-License-Identifier: MIT
// Lab 4's glue (kernel/virq.cpp, kernel/virq_services.cpp), not a lab file:
// what it registers, the virtual timer's forwarding and its physical active
// state per vCPU, the lazy sync of the list registers, WFI and wake-ups. It
// runs with the reference's lab files (the student's are graded in lab4/).
#include <algorithm>
#include <string>
#include <vector>

#include "drivers/gic.hpp"
#include "gic_model.hpp"
#include "gich.hpp"
#include "host_fixture.hpp"
#include "kernel/console.hpp"
#include "kernel/run.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/virq.hpp"
#include "mv/abi.h"
#include "vdev/list_registers.hpp"

using namespace mv;

namespace {

constexpr u32 CTLR = 0x000, ISENABLER = 0x100, ISPENDR = 0x200, ISACTIVER = 0x300, IPRIORITYR = 0x400,
              ITARGETSR = 0x800;
constexpr u32 LINUX_VMCR = 0xf0000001;  // GICV_PMR 0xf0, EnableGrp0
constexpr u32 TIMER = gic::PPI_VIRT_TIMER;

std::string hex(u64 v) { return fake::hex(v); }

const MmioDevice* gicd_device() {
    for (u32 i = 0; i < registry().ndevices; ++i)
        if (std::string(registry().device[i].name) == "gicd") return &registry().device[i];
    return nullptr;
}

bool logged(const std::string& event) {
    const auto& e = fake::cpu().events;
    return std::find(e.begin(), e.end(), event) != e.end();
}

class Virq : public mvtest::HostTest {
protected:
    const VirqOps& ops() { return *registry().virq; }
    void SetUp() override {
        HostTest::SetUp();
        fake::reset_gich(4);
        fake::reset_gic();
        gic::init();
        for (u32 i = 0; i < 3; ++i) {
            vm(i).vgic.reset(vm(i).config->vcpus);
            vm(i).vgic.forward(TIMER, TIMER);
            vm(i).vgic.write(0, CTLR, 4, 1);
        }
        for (u32 c = 0; c < 4; ++c) vcpu(c).vgic.vmcr = LINUX_VMCR;
        fake::gich().vmcr = LINUX_VMCR;
        forget_running();
        virq_sync();
        switch_to(vcpu(0));
    }
    /// Interrupt `id` of VM `v`'s vCPU `cpu` (its index in the VM) enabled at priority 0x80, targeting it.
    void enable(Vm& v, u32 cpu, u32 id) {
        v.vgic.write(cpu, ISENABLER + 4 * (id / 32), 4, 1u << (id % 32));
        v.vgic.write(cpu, IPRIORITYR + id, 1, 0x80);
        if (id >= 32) v.vgic.write(cpu, ITARGETSR + id, 1, 1u << cpu);
    }
};

TEST_F(Virq, WhatLab4Registers) {
    ASSERT_NE(registry().virq, nullptr) << "kernel/virq.cpp registers its VirqOps (MV_VIRQ)";
    EXPECT_NE(registry().irq_handler(gic::PPI_VIRT_TIMER), nullptr) << "the virtual timer's PPI 27 has a handler";
    EXPECT_NE(registry().irq_handler(gic::PPI_MAINTENANCE), nullptr) << "the maintenance PPI 25 has a handler";
    EXPECT_NE(registry().irq_handler(CONSOLE_IRQ), nullptr) << "the console's UART interrupt has a handler";
    EXPECT_NE(registry().vendor[MV_CALL_VIRQ_RAISE & MV_SMCCC_FUNC_MASK], nullptr) << "MV_CALL_VIRQ_RAISE";
    EXPECT_NE(registry().vendor[MV_CALL_VIRQ_FETCH & MV_SMCCC_FUNC_MASK], nullptr) << "MV_CALL_VIRQ_FETCH";
    const MmioDevice* d = gicd_device();
    ASSERT_NE(d, nullptr) << "kernel/virq_services.cpp registers the distributor as MMIO device \"gicd\"";
    EXPECT_EQ(hex(d->base), hex(0x08000000)) << "the guest's GICD";
    EXPECT_EQ(hex(d->size), hex(0x1000));
}

TEST_F(Virq, TheAccessingVcpuIsTheOneThatTrapped) {
    const MmioDevice* d = gicd_device();
    ASSERT_NE(d, nullptr);
    switch_to(vcpu(1));  // VM 0's second vCPU
    EXPECT_EQ(hex(d->read(vm(0), ITARGETSR, 4)), hex(0x02020202)) << "vCPU 1 of VM 0 reads its own ITARGETSR0";
    d->write(vm(0), ISENABLER, 4, 1u << 27);
    EXPECT_EQ(hex(vm(0).vgic.read(1, ISENABLER, 4)), hex(1u << 27)) << "its write went to vCPU 1's bank";
    EXPECT_EQ(hex(vm(0).vgic.read(0, ISENABLER, 4) & (1u << 27)), hex(0)) << "not to vCPU 0's";
}

TEST_F(Virq, TheVirtualTimerIsForwardedNotDeactivated) {
    enable(vm(0), 0, TIMER);
    gic::enable(TIMER, 0x80);
    fake::gic().pend(TIMER);
    fake::cpu().events.clear();
    run_irq();
    EXPECT_TRUE(logged("gic eoi 0x1b")) << "its priority is dropped";
    EXPECT_FALSE(logged("gic dir 0x1b")) << "but it stays active: the guest's EOI (HW = 1) deactivates it";
    EXPECT_TRUE(fake::gic().active[TIMER]);
    EXPECT_EQ(hex(vm(0).vgic.read(0, ISPENDR, 4) & (1u << TIMER)), hex(1u << TIMER))
        << "PPI 27 pending in the running vCPU's bank";
    ops().enter(vcpu(0));
    EXPECT_EQ(hex(fake::gich().lr[0] & 0x800ffc00u), hex(0x80000000u | TIMER << 10))
        << "LR0 " << hex(fake::gich().lr[0]) << ": HW = 1, physical ID 27";
}

TEST_F(Virq, ThePhysicalTimersActiveStateIsKeptPerVcpu) {
    fake::gic().active[TIMER] = true;  // vCPU 0's guest owes the EOI of its timer
    ops().leave(vcpu(0));
    EXPECT_TRUE(vcpu(0).vgic.timer_active) << "leave() keeps that vCPU 0's timer is active";
    EXPECT_FALSE(fake::gic().active[TIMER]) << "and frees the physical PPI 27 for the next vCPU's timer";
    ops().take(vcpu(2));
    EXPECT_FALSE(fake::gic().active[TIMER]) << "vCPU 2 owes no EOI";
    ops().leave(vcpu(2));
    ops().take(vcpu(0));
    EXPECT_TRUE(fake::gic().active[TIMER]) << "back on vCPU 0: active again, until its guest's EOI";
}

TEST_F(Virq, TheListRegistersAreSyncedBeforeTheDistributorIsRead) {
    enable(vm(0), 0, 40);
    vm(0).vgic.raise(0, 40);
    ops().enter(vcpu(0));
    u32 iar = fake::gich().ack();
    ASSERT_EQ(hex(iar), hex(40)) << "the guest takes SPI 40 from its LR";
    const MmioDevice* d = gicd_device();
    EXPECT_EQ(hex(d->read(vm(0), ISACTIVER + 4, 4)), hex(1u << 8))
        << "a GICD read after the exit sees SPI 40 active: the LRs went back first (virq_sync)";
    fake::cpu().events.clear();
    ops().enter(vcpu(0));
    EXPECT_TRUE(logged("write GICH_LR0 " + hex(fake::gich().lr[0]))) << "after a sync, entry fills the LRs again";
    fake::cpu().events.clear();
    ops().enter(vcpu(0));
    EXPECT_TRUE(fake::cpu().events.empty()) << "an exit that touched no interrupt costs nothing at entry: "
                                            << (fake::cpu().events.empty() ? "" : fake::cpu().events[0]);
}

TEST_F(Virq, WfiEndsAtOnceWhenAnInterruptIsPending) {
    enable(vm(0), 0, 40);
    vm(0).vgic.raise(0, 40);
    run_queues.add(vcpu(0));
    run_wait(vcpu(0), false);
    EXPECT_EQ(vcpu(0).state, VcpuState::runnable) << "SPI 40 pending, enabled, under the mask: WFI returns";
    fake::gich().vmcr = 0x80000001;  // the guest's mask is now 0x80: SPI 40 (0x80) is held back
    vm(0).vgic.write(0, ISENABLER + 4, 4, 0);
    run_wait(vcpu(0), false);
    EXPECT_EQ(vcpu(0).state, VcpuState::blocked) << "masked by GICV_PMR: WFI waits";
}

TEST_F(Virq, ARaiseWakesItsBlockedTarget) {
    Vcpu& b = vcpu(2);  // VM 1's only vCPU, the target of line 0
    enable(vm(1), 0, 32);
    b.state = VcpuState::blocked;
    Vcpu& a = vcpu(0);
    a.frame.r[0] = MV_CALL_VIRQ_RAISE;
    a.frame.r[1] = 0;
    a.frame.r[2] = 5;
    registry().vendor[MV_CALL_VIRQ_RAISE & MV_SMCCC_FUNC_MASK](a);
    EXPECT_EQ(hex(a.frame.r[0]), hex(static_cast<u32>(MV_OK)));
    EXPECT_EQ(b.state, VcpuState::runnable) << "its SPI 32 is pending: the blocked target wakes";
    EXPECT_TRUE(b.queued);
}

TEST_F(Virq, AnInterruptEndsAPriorityWaiver) {
    Vcpu& b = vcpu(2);
    enable(vm(1), 0, 32);
    b.state = VcpuState::runnable;
    b.priority = 0;  // waived
    run_queues.add(b);
    vm(1).vgic.raise(0, 32);
    virq_wake(vm(1));
    EXPECT_EQ(b.priority, 200u) << "VM 1's priority is back";
    EXPECT_TRUE(b.queued);
}

}  // namespace
