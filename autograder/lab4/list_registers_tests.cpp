// SPDX-License-Identifier: MIT
// The list-register engine (not a lab file yet) over the fake GICH: what
// vgic_flush() puts in the list registers, what vgic_sync() takes back, the
// maintenance interrupt when more are pending than fit, the active state
// across a vCPU switch, and the HW bit of a forwarded interrupt. The guest's
// side is the fake's: fake::gich().ack() and eoi(), as GICV_IAR and GICV_EOIR.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gich.hpp"
#include "host_fixture.hpp"
#include "vdev/list_registers.hpp"
#include "vdev/vgic.hpp"

using namespace mv;

namespace {

constexpr u32 CTLR = 0x000, ISENABLER = 0x100, IPRIORITYR = 0x400, ITARGETSR = 0x800, ICFGR = 0xc00, SGIR = 0xf00,
              ISPENDR = 0x200, ISACTIVER = 0x300;
// GICH_LR fields (IHI 0048B 5.3.11), spelt out here.
constexpr u32 PENDING = 1u << 28, ACTIVE = 1u << 29, GRP1 = 1u << 30, HW = 1u << 31, EOI = 1u << 19;
constexpr u32 HCR_EN = 1u << 0, HCR_UIE = 1u << 1;
constexpr u32 LINUX_VMCR = 0xf0000001;  // GICV_PMR 0xf0, GICV_CTLR.EnableGrp0: what Linux's gic_cpu_if_up leaves
constexpr u32 SPURIOUS = 1023;

std::string hex(u64 v) { return fake::hex(v); }

/// An LR as IHI 0048B lays it out.
u32 lr(u32 id, u32 priority, u32 state, u32 extra = 0) { return id | ((priority >> 3) << 23) | state | extra; }

/// An LR, decoded for a failure message.
std::string describe(u32 v) {
    std::string s = hex(v) + " (ID " + std::to_string(v & 0x3ff) + ", priority " + hex(((v >> 23) & 0x1f) << 3) +
                    ((v & PENDING) ? ", pending" : "") + ((v & ACTIVE) ? ", active" : "") + ((v & GRP1) ? ", group 1" : "");
    if (v & HW) return s + ", HW, physical " + std::to_string((v >> 10) & 0x3ff) + ")";
    return s + ", CPUID " + std::to_string((v >> 10) & 7) + ((v & EOI) ? ", EOI" : "") + ")";
}

class ListRegisters : public mvtest::HostTest {
protected:
    Vgic& g = vm(0).vgic;  // VM 0: vCPUs 0 and 1 of the test system
    void SetUp() override {
        HostTest::SetUp();
        fake::reset_gich(4);
        g.reset(2);
        for (u32 c = 0; c < 2; ++c) vcpu(c).vgic = VgicCpu{};
        g.write(0, CTLR, 4, 1);
        gich().vmcr = LINUX_VMCR;
    }
    fake::Gich& gich() { return fake::gich(); }
    /// Interrupt `id` enabled at `priority`, edge-triggered, an SPI targeting `cpu`.
    void enable(u32 id, u32 priority, u32 cpu = 0, bool edge = true) {
        g.write(cpu, ISENABLER + 4 * (id / 32), 4, 1u << (id % 32));
        g.write(cpu, IPRIORITYR + id, 1, priority);
        if (id >= 32) g.write(cpu, ITARGETSR + id, 1, 1u << cpu);
        u32 cfg = ICFGR + 4 * (id / 16), bit = 2u << (2 * (id % 16));
        u32 old = g.read(cpu, cfg, 4);
        g.write(cpu, cfg, 4, edge ? old | bit : old & ~bit);
    }
    /// The guest runs: it takes and ends interrupts one at a time until none
    /// can be taken or the maintenance interrupt stops it. What it took, in order.
    std::vector<u32> run_guest() {
        std::vector<u32> taken;
        while (!gich().maintenance()) {
            u32 iar = gich().ack();
            if (iar == SPURIOUS) break;
            taken.push_back(iar);
            EXPECT_TRUE(gich().eoi(iar)) << "the guest's EOI of " << hex(iar) << " found its LR";
        }
        return taken;
    }
    void expect_lrs(const std::vector<u32>& want, const std::string& why) {
        for (u32 i = 0; i < gich().nlr; ++i) {
            u32 w = i < want.size() ? want[i] : 0;
            EXPECT_EQ(hex(gich().lr[i]), hex(w)) << why << ": GICH_LR" << i << " is " << describe(gich().lr[i])
                                                 << ", expected " << describe(w);
        }
    }
};

TEST_F(ListRegisters, HighestPriorityFirstTiesByLowestId) {
    enable(40, 0x80);
    enable(35, 0x40);
    enable(20, 0x40);  // a PPI
    enable(33, 0xa0);
    enable(50, 0x10);
    enable(1, 0x40);   // an SGI, to itself
    for (u32 id : {40u, 35u, 20u, 33u, 50u}) g.raise(0, id);
    g.write(0, SGIR, 4, (2u << 24) | 1);
    vgic_flush(vcpu(0));
    expect_lrs({lr(50, 0x10, PENDING), lr(1, 0x40, PENDING), lr(20, 0x40, PENDING), lr(35, 0x40, PENDING)},
               "vgic_flush with 6 pending and 4 LRs: priority 0x10, then the three of 0x40 by ID");
    EXPECT_EQ(hex(gich().hcr), hex(HCR_EN | HCR_UIE))
        << "vgic_flush: two did not fit, so GICH_HCR.UIE asks for a maintenance interrupt when there is room";
    EXPECT_EQ(hex(g.read(0, ISPENDR + 4, 4)), hex((1u << 1) | (1u << 8)))
        << "SPIs 33 and 40 wait in the distributor; the others are in LRs";
}

TEST_F(ListRegisters, ActiveOnesComeFirst) {
    enable(60, 0xf0);
    g.write(0, ISACTIVER + 4, 4, 1u << 28);  // SPI 60 active on vCPU 0
    for (u32 id = 32; id < 36; ++id) {
        enable(id, 0x00);
        g.raise(0, id);
    }
    vgic_flush(vcpu(0));
    EXPECT_EQ(hex(gich().lr[0]), hex(lr(60, 0xf0, ACTIVE)))
        << "an active interrupt gets an LR before any pending one (the guest must be able to end it): "
        << describe(gich().lr[0]);
    EXPECT_EQ(hex(gich().hcr & HCR_UIE), hex(HCR_UIE)) << "SPI 35 did not fit";
}

TEST_F(ListRegisters, FourteenPendingAreEachDeliveredOnceThroughFourLrs) {
    std::vector<std::pair<u32, u32>> irqs;  // (priority, id)
    for (u32 i = 0; i < 12; ++i) irqs.push_back({(i * 7 % 5) * 0x20, 32 + i * 5});
    irqs.push_back({0x40, 18});  // a PPI
    irqs.push_back({0x40, 25});
    for (auto [prio, id] : irqs) {
        enable(id, prio);
        g.raise(0, id);
    }
    std::vector<u32> delivered;
    u32 exits = 0;
    for (; exits < 20; ++exits) {
        vgic_flush(vcpu(0));
        std::vector<u32> taken = run_guest();
        bool maintenance = gich().maintenance();
        vgic_sync(vcpu(0));
        delivered.insert(delivered.end(), taken.begin(), taken.end());
        if (!maintenance) break;
        EXPECT_EQ(hex(gich().misr()), hex(0x2)) << "the maintenance interrupt is the underflow one (MISR.U)";
    }
    std::sort(irqs.begin(), irqs.end());
    std::vector<u32> want;
    for (auto [prio, id] : irqs) want.push_back(id);
    ASSERT_EQ(delivered.size(), want.size()) << "14 pending, 4 LRs: each is delivered exactly once";
    std::set<u32> distinct(delivered.begin(), delivered.end());
    EXPECT_EQ(distinct.size(), want.size()) << "no interrupt twice";
    for (size_t i = 0; i < want.size(); ++i)
        EXPECT_EQ(delivered[i], want[i]) << "delivery " << i << ": the highest priority (then lowest ID) left goes first";
    EXPECT_LE(exits, 6u) << "each maintenance exit refills 3 LRs: 14 interrupts need at most 5 of them";
    vgic_flush(vcpu(0));
    expect_lrs({}, "all delivered: vgic_flush empties every LR");
    EXPECT_EQ(hex(gich().hcr), hex(HCR_EN)) << "and asks for no maintenance any more";
    for (u32 n = 0; n < 3; ++n) EXPECT_EQ(hex(g.read(0, ISPENDR + 4 * n, 4)), hex(0)) << "none pending";
}

TEST_F(ListRegisters, WhatTheGuestDidNotTakeStaysPending) {
    enable(2, 0x30);
    enable(34, 0x50);
    g.write(1, SGIR, 4, (0x01u << 16) | 2);
    g.raise(0, 34);
    vgic_flush(vcpu(0));
    const std::vector<u32> lrs = {lr(2, 0x30, PENDING, 1u << 10), lr(34, 0x50, PENDING)};
    expect_lrs(lrs, "vgic_flush: SGI 2 from vCPU 1, SPI 34");
    vgic_sync(vcpu(0));  // an exit before the guest took either
    EXPECT_EQ(hex(g.read(0, 0xf20, 1)), hex(0)) << "SGI 0-3 sources: unrelated bytes untouched";
    EXPECT_EQ(hex(g.read(0, 0xf22, 1)), hex(0x02)) << "vgic_sync: SGI 2 still pending from vCPU 1 (GICD_SPENDSGIR)";
    EXPECT_EQ(hex(g.read(0, ISPENDR + 4, 4)), hex(1u << 2)) << "vgic_sync: SPI 34 still pending";
    vgic_flush(vcpu(0));
    expect_lrs(lrs, "the next vgic_flush gives them again");
    gich().eoi(gich().ack());
    vgic_sync(vcpu(0));
    EXPECT_EQ(hex(g.read(0, 0xf22, 1)), hex(0)) << "vgic_sync: SGI 2 taken and ended";
    EXPECT_EQ(hex(g.read(0, ISPENDR + 4, 4)), hex(1u << 2)) << "vgic_sync: SPI 34 not taken yet";
}

TEST_F(ListRegisters, TheNumberOfLrsComesFromVtr) {
    for (u32 nlr : {2u, 8u}) {
        fake::reset_gich(nlr);
        gich().vmcr = LINUX_VMCR;
        vcpu(0).vgic = VgicCpu{};
        g.reset(2);
        g.write(0, CTLR, 4, 1);
        for (u32 id = 32; id < 37; ++id) {
            enable(id, 0x80);
            g.raise(0, id);
        }
        vgic_flush(vcpu(0));
        EXPECT_EQ(gich().valid(), std::min(nlr, 5u)) << "vgic_flush with GICH_VTR.ListRegs " << nlr - 1
                                                     << ": 5 pending fill min(5, " << nlr << ") LRs";
        EXPECT_EQ(hex(gich().hcr & HCR_UIE), hex(nlr < 5 ? HCR_UIE : 0)) << "UIE only if some did not fit";
        for (u32 i = nlr; i < gich::MAX_LRS; ++i)
            ASSERT_EQ(hex(gich().lr[i]), hex(0)) << "GICH_LR" << i << " does not exist with " << nlr << " LRs";
    }
}

TEST_F(ListRegisters, SgiCarriesItsSourceAndOneSourceAtATime) {
    enable(3, 0x20, 0);
    g.write(1, SGIR, 4, (0x01u << 16) | 3);  // vCPU 1 -> vCPU 0
    g.write(0, SGIR, 4, (2u << 24) | 3);     // vCPU 0 -> itself
    vgic_flush(vcpu(0));
    expect_lrs({lr(3, 0x20, PENDING, EOI | (0u << 10))},
               "SGI 3 from vCPUs 0 and 1: the lowest source first, with EOI maintenance for the other");
    u32 iar = gich().ack();
    EXPECT_EQ(hex(iar), hex(3)) << "GICV_IAR: SGI 3 from CPU 0";
    gich().eoi(iar);
    EXPECT_TRUE(gich().maintenance()) << "the EOI of an LR with EOI = 1 raises the maintenance interrupt";
    vgic_sync(vcpu(0));
    vgic_flush(vcpu(0));
    expect_lrs({lr(3, 0x20, PENDING, 1u << 10)}, "then SGI 3 from vCPU 1, CPUID 1, no more EOI maintenance");
    EXPECT_EQ(hex(gich().ack()), hex(0x403)) << "GICV_IAR: SGI 3, CPUID 1 in bits 12:10";
}

TEST_F(ListRegisters, ForwardedInterruptHasTheHwBit) {
    enable(27, 0x00, 0, false);  // the virtual timer's PPI, level-sensitive
    g.forward(27, 27);
    enable(48, 0x10, 0, false);
    g.forward(48, 80);           // a device SPI the board calls 80
    g.raise(0, 27);
    g.raise(0, 48);
    vgic_flush(vcpu(0));
    expect_lrs({lr(27, 0x00, PENDING, HW | (27u << 10)), lr(48, 0x10, PENDING, HW | (80u << 10))},
               "a forwarded interrupt: HW = 1 and its physical ID in bits 19:10, no EOI maintenance");
    for (u32 expect : {27u, 48u}) {
        u32 iar = gich().ack();
        EXPECT_EQ(iar, expect);
        gich().eoi(iar);
    }
    EXPECT_EQ(gich().deactivated, (std::vector<u32>{27, 80})) << "the guest's EOIs deactivated physical 27 and 80";
    EXPECT_FALSE(gich().maintenance()) << "and needed no maintenance interrupt";
    vgic_sync(vcpu(0));
    EXPECT_EQ(hex(g.read(0, ISACTIVER, 4)), hex(0)) << "vgic_sync: PPI 27 ended";
    EXPECT_EQ(hex(g.read(0, ISPENDR, 4) | g.read(0, ISPENDR + 4, 4)), hex(0)) << "and nothing is pending";
    vgic_flush(vcpu(0));
    expect_lrs({}, "vgic_flush clears the LRs it no longer needs");
}

TEST_F(ListRegisters, ForwardedInterruptIsNeverPendingAndActiveInAnLr) {
    enable(27, 0x00, 0, false);
    g.forward(27, 27);
    g.raise(0, 27);
    vgic_flush(vcpu(0));
    u32 iar = gich().ack();
    vgic_sync(vcpu(0));
    g.raise(0, 27);  // pending again while the guest handles it (GICD_ISPENDR, say)
    vgic_flush(vcpu(0));
    expect_lrs({lr(27, 0x00, ACTIVE, HW | (27u << 10))},
               "HW = 1 has no pending-and-active state (IHI 0048B 5.3.11): active only, the pending state waits");
    gich().eoi(iar);
    vgic_sync(vcpu(0));
    vgic_flush(vcpu(0));
    expect_lrs({lr(27, 0x00, PENDING, HW | (27u << 10))}, "ended: the pending state that waited comes in");
}

TEST_F(ListRegisters, LevelSensitiveIsPendingAgainWhileItsLineIsHigh) {
    enable(33, 0x80, 0, false);
    g.set_line(0, 33, true);
    vgic_flush(vcpu(0));
    expect_lrs({lr(33, 0x80, PENDING, EOI)}, "a level-sensitive software interrupt asks for EOI maintenance");
    gich().eoi(gich().ack());
    ASSERT_TRUE(gich().maintenance()) << "its EOI raises the maintenance interrupt";
    vgic_sync(vcpu(0));
    vgic_flush(vcpu(0));
    expect_lrs({lr(33, 0x80, PENDING, EOI)}, "the line is still high: pending again at once");
    u32 iar = gich().ack();
    vgic_sync(vcpu(0));  // the guest's handler traps on the device
    g.set_line(0, 33, false);
    vgic_flush(vcpu(0));
    expect_lrs({lr(33, 0x80, ACTIVE, EOI)}, "the line went low during the handler: active, not pending");
    gich().eoi(iar);
    vgic_sync(vcpu(0));
    vgic_flush(vcpu(0));
    expect_lrs({}, "ended and the line low: nothing left");
}

TEST_F(ListRegisters, ActiveStateSurvivesASwitchToAnotherVcpu) {
    enable(40, 0x40);
    g.write(0, ITARGETSR + 40, 1, 0x03);  // either vCPU may take it
    g.raise(0, 40);
    gich().apr = 0;
    vgic_flush(vcpu(0));
    u32 iar = gich().ack();
    ASSERT_EQ(iar, 40u) << "vCPU 0 takes SPI 40";
    u32 apr = gich().apr;
    gich().vmcr = LINUX_VMCR | (3u << 21);  // something of vCPU 0's own: its binary point
    vgic_sync(vcpu(0));
    vgic_save(vcpu(0));
    expect_lrs({}, "vgic_save empties the LRs");
    EXPECT_EQ(hex(gich().hcr), hex(0)) << "vgic_save turns the virtual interface off: no maintenance for nobody";

    enable(20, 0x80, 1);
    g.raise(1, 20);
    g.raise(0, 40);  // SPI 40 is pending again while active on vCPU 0
    vcpu(1).vgic.vmcr = LINUX_VMCR | (1u << 21);  // vCPU 1's own binary point
    vgic_restore(vcpu(1));
    EXPECT_EQ(hex(gich().apr), hex(0)) << "vgic_restore: vCPU 1's APR, not vCPU 0's";
    EXPECT_EQ(hex(gich().vmcr), hex(LINUX_VMCR | (1u << 21))) << "vgic_restore: vCPU 1's VMCR, not vCPU 0's";
    vgic_flush(vcpu(1));
    expect_lrs({lr(20, 0x80, PENDING)}, "vCPU 1 gets its PPI 20 but not SPI 40, active on vCPU 0");
    EXPECT_EQ(gich().ack(), 20u);
    vgic_sync(vcpu(1));
    vgic_save(vcpu(1));

    vgic_restore(vcpu(0));
    EXPECT_EQ(hex(gich().apr), hex(apr)) << "vgic_restore: vCPU 0's active priorities back";
    EXPECT_EQ(hex(gich().vmcr), hex(LINUX_VMCR | (3u << 21))) << "vgic_restore: vCPU 0's VMCR back";
    vgic_flush(vcpu(0));
    expect_lrs({lr(40, 0x40, PENDING | ACTIVE)}, "back on vCPU 0: SPI 40 still active (and pending again)");
    EXPECT_TRUE(gich().eoi(iar)) << "the guest ends the SPI 40 it took before the switch";
    vgic_sync(vcpu(0));
    EXPECT_EQ(hex(g.read(0, ISACTIVER + 4, 4)), hex(0)) << "SPI 40 is active no more";
    EXPECT_EQ(hex(vcpu(1).vgic.apr), hex(1u << (0x80 >> 3))) << "vgic_save kept vCPU 1's active PPI 20 in its APR";
}

TEST_F(ListRegisters, VirqPendingWakesWfi) {
    for (u32 c = 0; c < 2; ++c) vcpu(c).vgic.vmcr = LINUX_VMCR;  // the saved CPU interface: the mask lets all through
    EXPECT_FALSE(virq_pending(vcpu(0))) << "nothing pending";
    enable(33, 0x80);
    EXPECT_FALSE(virq_pending(vcpu(0))) << "enabled but not pending";
    g.raise(0, 33);
    EXPECT_TRUE(virq_pending(vcpu(0))) << "SPI 33 pending, enabled, targets vCPU 0";
    EXPECT_FALSE(virq_pending(vcpu(1))) << "SPI 33 does not target vCPU 1";
    g.write(0, CTLR, 4, 0);
    EXPECT_FALSE(virq_pending(vcpu(0))) << "the distributor is off (GICD_CTLR 0)";
    g.write(0, CTLR, 4, 1);
    g.write(0, 0x180 + 4, 4, 1u << 1);  // ICENABLER1
    EXPECT_FALSE(virq_pending(vcpu(0))) << "SPI 33 disabled";
    g.write(0, ISACTIVER + 4, 4, 1u << 2);
    EXPECT_FALSE(virq_pending(vcpu(0))) << "an active interrupt wakes nothing";
    g.raise(1, 22);
    g.write(1, ISENABLER, 4, 1u << 22);
    EXPECT_TRUE(virq_pending(vcpu(1))) << "PPI 22 of vCPU 1";
}

TEST_F(ListRegisters, VirqPendingObeysTheMaskTheRunningPriorityAndTheGroups) {
    Vcpu& v = vcpu(0);
    enable(40, 0x80);
    g.raise(0, 40);
    auto pending = [&](u32 vmcr, u32 apr) {
        v.vgic.vmcr = vmcr;
        v.vgic.apr = apr;
        return virq_pending(v);
    };
    EXPECT_TRUE(pending(0x88000001, 0)) << "priority 0x80 under mask 0x88 (VMCR " << hex(0x88000001) << ")";
    EXPECT_FALSE(pending(0x80000001, 0)) << "priority 0x80 under mask 0x80: not above it (VMCR " << hex(0x80000001)
                                         << ")";
    EXPECT_FALSE(pending(0x00000001, 0)) << "mask 0: nothing is signalled (VMCR as reset)";
    EXPECT_FALSE(pending(0xf0000000, 0)) << "group 0 not enabled (VMCR.VMGrp0En clear)";
    EXPECT_FALSE(pending(0xf0000002, 0)) << "only group 1 enabled; SPI 40 is group 0";
    EXPECT_FALSE(pending(LINUX_VMCR, 1u << (0x80 >> 3))) << "priority 0x80 active (APR " << hex(1u << 16)
                                                         << "): the same priority does not preempt";
    EXPECT_FALSE(pending(LINUX_VMCR, 1u << (0x40 >> 3))) << "priority 0x40 active: 0x80 waits";
    EXPECT_TRUE(pending(LINUX_VMCR, 1u << (0xc0 >> 3))) << "priority 0xc0 active: 0x80 preempts it";
    EXPECT_TRUE(pending(LINUX_VMCR, 1u << (0xc0 >> 3) | 1u << 31)) << "the running priority is APR's lowest bit";
    g.write(0, CTLR, 4, 3);             // the distributor forwards both groups
    g.write(0, 0x080 + 4, 4, 1u << 8);  // IGROUPR1: SPI 40 is group 1
    EXPECT_TRUE(pending(0xf0000002, 0)) << "group 1 enabled, SPI 40 group 1";
    EXPECT_FALSE(pending(0xf0000001, 0)) << "group 1 not enabled (VMCR.VMGrp1En clear)";
    g.write(0, 0x080 + 4, 4, 0);               // SPI 40 group 0 again
    g.write(0, ISACTIVER + 4, 4, 1u << 8);     // the guest took it once: active, and pending again
    EXPECT_TRUE(g.virq(0, 40).pending && g.virq(0, 40).active) << "test setup: SPI 40 pending and active";
    EXPECT_FALSE(pending(LINUX_VMCR, 0)) << "pending and active: not signalled again until the guest ends it";
}

}  // namespace
