// SPDX-License-Identifier: MIT
// The physical GICv2 (not a lab file): the register map of drivers/gic_regs.hpp
// against IHI 0048B's tables, the fake GIC's model of the driver's contract,
// and the scheduler's use of it for the HYP timer (EOImode 1: eoi, then deactivate).
#include <gtest/gtest.h>

#include <string>

#include "drivers/gic.hpp"
#include "drivers/gic_regs.hpp"
#include "gic_model.hpp"
#include "host_fixture.hpp"
#include "kernel/run.hpp"

using namespace mv;
using gic::regs::Field;
using gic::regs::Gicd;

namespace {

std::string hex(u32 v) { return fake::hex(v); }

std::string where(Field f) { return "{offset " + hex(f.offset) + ", shift " + std::to_string(f.shift) + "}"; }

// IHI 0048B 4.3.5: GICD_ISENABLERn at 0x100 + 4n holds IDs 32n..32n+31, ID m at bit m % 32.
TEST(GicRegs, OneBitPerIdBanksAcrossRegisterBoundaries) {
    struct Case { Gicd bank; u32 id; Field want; };
    const Case cases[] = {
        {Gicd::ISENABLER, 0, {0x100, 0}},   {Gicd::ISENABLER, 31, {0x100, 31}}, {Gicd::ISENABLER, 32, {0x104, 0}},
        {Gicd::ISENABLER, 33, {0x104, 1}},  {Gicd::ISENABLER, 95, {0x108, 31}}, {Gicd::ISENABLER, 1019, {0x17c, 27}},
        {Gicd::ICENABLER, 26, {0x180, 26}}, {Gicd::ICPENDR, 64, {0x288, 0}},    {Gicd::ICACTIVER, 63, {0x384, 31}},
    };
    for (const Case& c : cases) {
        Field got = gic::regs::bit_field(c.bank, c.id);
        EXPECT_EQ(got, c.want) << "bit_field(bank " << hex(static_cast<u32>(c.bank)) << ", ID " << c.id << ") = "
                               << where(got) << ", IHI 0048B 4.3.5 wants " << where(c.want);
    }
}

// 4.3.13: GICD_ICFGRn at 0xc00 + 4n holds IDs 16n..16n+15, two bits each.
TEST(GicRegs, ConfigFieldIsTwoBitsPerIdSixteenPerRegister) {
    struct Case { u32 id; Field want; };
    const Case cases[] = {{0, {0xc00, 0}}, {15, {0xc00, 30}}, {16, {0xc04, 0}}, {31, {0xc04, 30}},
                          {32, {0xc08, 0}}, {33, {0xc08, 2}}, {95, {0xc14, 30}}, {1019, {0xcfc, 22}}};
    for (const Case& c : cases) {
        Field got = gic::regs::config_field(c.id);
        EXPECT_EQ(got, c.want) << "config_field(ID " << c.id << ") = " << where(got) << ", IHI 0048B 4.3.13 wants "
                               << where(c.want);
    }
}

// 4.3.11, 4.3.12: one byte per ID from the bank's base.
TEST(GicRegs, ByteBanksHoldOneBytePerId) {
    EXPECT_EQ(gic::regs::byte_offset(Gicd::IPRIORITYR, 0), 0x400u);
    EXPECT_EQ(gic::regs::byte_offset(Gicd::IPRIORITYR, 26), 0x41au);
    EXPECT_EQ(gic::regs::byte_offset(Gicd::ITARGETSR, 33), 0x821u);
    EXPECT_EQ(gic::regs::byte_offset(Gicd::ITARGETSR, 1019), 0xbfbu) << "GICD_ITARGETSR254's last byte";
}

// 4.3.2: ITLinesNumber N means 32 * (N + 1) IDs, but never the special 1020-1023.
TEST(GicRegs, LinesFromTyper) {
    EXPECT_EQ(gic::regs::lines(0), 32u) << "N = 0: the private interrupts only";
    EXPECT_EQ(gic::regs::lines(8), 288u) << "QEMU virt: 256 SPIs";
    EXPECT_EQ(gic::regs::lines(0xfc08), 288u) << "only bits 4:0 are ITLinesNumber";
    EXPECT_EQ(gic::regs::lines(30), 992u);
    EXPECT_EQ(gic::regs::lines(31), 1020u) << "N = 31 would reach 1023: IDs stop at 1019";
}

TEST(GicRegs, CpuInterfaceLayout) {
    EXPECT_EQ(static_cast<u32>(gic::regs::Gicc::DIR), 0x1000u) << "IHI 0048B 4.4.15: GICC_DIR in the second 4 KiB";
    EXPECT_LE(static_cast<u32>(gic::regs::Gicc::DIR) + 4, gic::GICC_SIZE) << "GICC_SIZE must cover GICC_DIR";
    EXPECT_EQ(gic::regs::GICC_CTLR_EOIMODE, 1u << 9) << "IHI 0048B Tables 4-31 and 4-32: EOImode(NS) is bit 9";
}

class FakeGic : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        fake::reset_gic();
        gic::init();
        cpu().events.clear();
    }
    fake::GicModel& model() { return fake::gic(); }
    std::string problems() {
        std::string all;
        for (const auto& p : model().problems) all += "\n  " + p;
        return all;
    }
};

TEST_F(FakeGic, AckHandsOutTheHighestPriorityEnabledPendingInterrupt) {
    gic::enable(33, 0xa0);
    gic::enable(34, 0x80);
    model().pend(33);
    model().pend(34);
    model().pend(35);  // pending but disabled: never signalled
    EXPECT_EQ(gic::ack(), 34u) << "priority 0x80 before 0xa0";
    EXPECT_EQ(gic::ack(), gic::SPURIOUS) << "0xa0 does not preempt the running 0x80";
    gic::eoi(34);
    EXPECT_EQ(gic::ack(), 33u) << "after the priority drop, 0xa0 is signalled";
    gic::eoi(33);
    gic::deactivate(33);
    gic::deactivate(34);
    EXPECT_EQ(gic::ack(), gic::SPURIOUS) << "ID 35 is not enabled";
    EXPECT_TRUE(model().problems.empty()) << problems();
}

TEST_F(FakeGic, AnActiveInterruptIsNotSignalledAgainUntilDeactivated) {
    gic::enable(40, 0x80);
    model().pend(40);
    ASSERT_EQ(gic::ack(), 40u);
    gic::eoi(40);
    model().pend(40);
    EXPECT_EQ(gic::ack(), gic::SPURIOUS) << "EOImode 1: after eoi() alone ID 0x28 is still active";
    gic::deactivate(40);
    EXPECT_EQ(gic::ack(), 40u) << "deactivated: pending again, it is signalled";
}

TEST_F(FakeGic, ContractBreachesAreNoted) {
    gic::enable(33, 0x80);
    model().pend(33);
    ASSERT_EQ(gic::ack(), 33u);
    gic::deactivate(33);
    gic::eoi(34);
    gic::route_to_cpu0(27);
    gic::set_trigger(33, gic::Trigger::Edge);
    gic::enable(288, 0);
    const char* expected[] = {
        "gic::deactivate(0x21): its priority was not dropped (eoi() first)",
        "gic::eoi(0x22): not the last interrupt acknowledged whose priority still runs (that is 0x21)",
        "gic::route_to_cpu0(0x1b): no such interrupt (SPIs only: 0x20 and up)",
        "gic::set_trigger(0x21): the interrupt is enabled",
        "gic::enable(0x120): no such interrupt",
    };
    ASSERT_EQ(model().problems.size(), std::size(expected)) << problems();
    for (size_t i = 0; i < std::size(expected); ++i) EXPECT_EQ(model().problems[i], expected[i]);
}

TEST_F(FakeGic, CallsAreLoggedInOrder) {
    gic::disable(33);
    gic::set_trigger(33, gic::Trigger::Level);
    gic::route_to_cpu0(33);
    gic::set_priority(33, 0xa0);
    const std::vector<std::string> want = {"gic disable 0x21", "gic trigger 0x21 level", "gic route 0x21 cpu0",
                                           "gic priority 0x21 0xa0"};
    EXPECT_EQ(cpu().events, want);
    EXPECT_EQ(model().targets[33], 1u);
    EXPECT_EQ(model().trigger[33], gic::Trigger::Level);
    EXPECT_EQ(model().priority[33], 0xa0u);
}

// The scheduler's HYP timer interrupt: the timer is disarmed (its output is a
// level), then the priority dropped, then the interrupt deactivated.
TEST_F(FakeGic, HypTimerInterruptIsDroppedThenDeactivated) {
    gic::enable(gic::PPI_HYP_TIMER, 0x80);
    model().pend(gic::PPI_HYP_TIMER);
    cpu().events.clear();
    run_irq();
    std::vector<std::string> seen;
    for (const auto& e : cpu().events)
        if (e.rfind("gic ", 0) == 0 || e.rfind("write CNTHP_CTL", 0) == 0) seen.push_back(e);
    const std::vector<std::string> want = {"gic ack 0x1a", "gic eoi 0x1a", "write CNTHP_CTL 0x0", "gic dir 0x1a"};
    EXPECT_EQ(seen, want) << "run_irq(): ack, eoi(), disarm the HYP timer, then deactivate()";
    EXPECT_TRUE(model().problems.empty()) << problems();
    EXPECT_FALSE(model().active[gic::PPI_HYP_TIMER]) << "the HYP timer's interrupt must end inactive";
}

}  // namespace
