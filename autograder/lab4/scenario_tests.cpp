// SPDX-License-Identifier: MIT
// Lab 4 scenario tests: a guest programs its GIC as on hardware, through the
// emulated distributor and the hardware GICV (guests/lab4/virq.cpp,
// systems/lab4-virq.toml). Time is virtual (QEMU -icount): the rates repeat.
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char VIRQ[] = "lab4-virq";

TEST(Distributor, LinuxStyleInitReadsBack) {
    auto run = boot(VIRQ, 1, 30);
    EXPECT_TRUE(GuestPassed(run, "gicd_readback"))
        << "the guest wrote GICD as Linux's irq-gic.c does and read it back";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(VirtualTimer, InterruptsArriveAtTheProgrammedRate) {
    auto run = boot(VIRQ, 2, 30);
    EXPECT_TRUE(ValueIn(run, "timer_ticks", 45, 51))
        << "a 1 kHz virtual timer for 50 ms: PPI 27 each time, re-armed by the guest's handler";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Delivery, TwelvePendingTakenByPriorityEachOnce) {
    auto run = boot(VIRQ, 3, 30);
    EXPECT_TRUE(GuestPassed(run, "priority_order"))
        << "12 SPIs pending at once through 4 list registers: highest priority first, each exactly once";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Delivery, PriorityMaskAndEnables) {
    auto run = boot(VIRQ, 4, 30);
    EXPECT_TRUE(GuestPassed(run, "mask_and_enable"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Delivery, SgiToItselfAndWfiWakes) {
    auto run = boot(VIRQ, 5, 30);
    EXPECT_TRUE(GuestPassed(run, "sgi_and_wfi"))
        << "an SGI arrives with its ID; WFI with interrupts masked ends when the timer's interrupt is pending";
    EXPECT_TRUE(ExitedWith(run, 0));
}

}  // namespace
