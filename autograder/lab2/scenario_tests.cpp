// SPDX-License-Identifier: MIT
// Lab 2 scenario tests: several VMs share one CPU (guests/lab2, systems/lab2-*.toml).
//
// Time is virtual (QEMU -icount): one instruction per nanosecond, so the
// shares and delays below repeat from run to run. Time slices are 1 ms.
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr long long SLICE_US = 1000;

TEST(Share, ThreeVmsOfOnePriorityShareEvenly) {
    auto run = boot("lab2-fair", 1, 30);
    ASSERT_TRUE(ExitedWith(run, 0));
    long long total = 0;
    for (const char* n : {"count.vm0", "count.vm1", "count.vm2"}) {
        ASSERT_TRUE(ValueIn(run, n, 1, 1ll << 40));
        total += run.values[n];
    }
    for (const char* n : {"count.vm0", "count.vm1", "count.vm2"})
        EXPECT_TRUE(ValueIn(run, n, total / 3 * 9 / 10, total / 3 * 11 / 10))
            << "each VM's share within 10% of a third (total " << total << " iterations)";
}

TEST(Share, HigherPriorityRunsFirst) {
    auto run = boot("lab2-prio", 2, 30);
    ASSERT_TRUE(ExitedWith(run, 0));
    ASSERT_TRUE(ValueIn(run, "hi_end_us", 50000, 50000 + SLICE_US));
    EXPECT_TRUE(ValueIn(run, "lo_start_us", run.values["hi_end_us"], 1ll << 40))
        << "the priority-100 VM must not run before the priority-200 VM is done";
}

TEST(Share, SpinningGuestIsPreempted) {
    auto run = boot("lab2-pair", 3, 30);
    EXPECT_TRUE(ValueIn(run, "vm1_start_us", 0, 2 * SLICE_US))
        << "VM 0 spins for 100 ms without a trap: only the HYP timer lets VM 1 run";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Wait, WfiGuestDoesNotBurnSlices) {
    auto run = boot("lab2-pair", 4, 30);
    EXPECT_TRUE(ValueIn(run, "spinner_max_gap_us", 0, SLICE_US / 2))
        << "while VM 0 waits in WFI, VM 1 must have the CPU all the time";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Wait, WfiWakesOnTheTimer) {
    auto run = boot("lab2-pair", 4, 30);
    EXPECT_TRUE(ValueIn(run, "wake_late_us", 0, SLICE_US))
        << "VM 0 must wake from WFI within a slice of its timer's deadline";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Wait, PriorityWaiveUntilTheTimer) {
    auto run = boot("lab2-prio", 8, 30);
    EXPECT_TRUE(ValueIn(run, "other_start_us", 0, SLICE_US)) << "the waiver gives the CPU away at once";
    EXPECT_TRUE(ValueIn(run, "waiver_back_us", 30000, 30000 + SLICE_US))
        << "and gets its priority back when its timer fires at 30 ms";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Wait, DeadlockIsReported) {
    auto run = boot("lab2-pair", 9, 30);
    EXPECT_TRUE(ConsoleHas(run, "deadlocked"));
    EXPECT_TRUE(ExitedWith(run, 1)) << "every vCPU waits for nothing: the microvisor stops the VMs";
}

TEST(Context, EveryRegisterSurvivesThousandsOfSwitches) {
    auto run = boot("lab2-regs", 5, 60);
    EXPECT_TRUE(PassedTimes(run, "regs_survive", 3));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Psci, SystemResetUnderTheScheduler) {
    auto run = boot("lab2-pair", 7, 30);
    EXPECT_TRUE(ConsoleHas(run, "reset"));
    EXPECT_TRUE(GuestPassed(run, "reset_under_scheduler"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Psci, SecondaryVcpuStartsAndStops) {
    auto run = boot("lab2-smp", 6, 30);
    EXPECT_TRUE(ScenarioPassed(run, "smp"));
}

}  // namespace
