// SPDX-License-Identifier: MIT
// Lab 4 scenario tests: a guest programs its GIC as on hardware, through the
// emulated distributor and the hardware GICV (guests/lab4/virq.cpp,
// systems/lab4-virq.toml); VMs raise OKL4's interrupt lines to each other and
// the vCPUs of one VM send SGIs (guests/lab4/lines.cpp, systems/lab4-lines.toml,
// lab4-waive.toml, lab4-smp.toml). Time is virtual (QEMU -icount): the rates
// and latencies repeat from run to run.
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char VIRQ[] = "lab4-virq";
constexpr char LINES[] = "lab4-lines";  // vm0, vm1, vm2 of one priority; lines 0, 1: vm0 -> vm1
constexpr char WAIVE[] = "lab4-waive";  // vm0 (priority 200) and vm1 (100); line 0: vm1 -> vm0
constexpr char SMP[] = "lab4-smp";      // one VM of two vCPUs

constexpr long long SLICE_US = 1000;  // every Lab 4 system's time_slice_us

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

TEST(BetweenVms, LinePayloadsOrAndClear) {
    auto run = boot(LINES, 6, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "lines_source"))
        << "vm0, the source of line 0, raises 0x1, 0x2, 0x4 and 0x4 (MV_OK each); its own fetch of the line is "
           "MV_DENIED; handle 4 of 4 lines is MV_INVALID_PARAMETERS";
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "lines_target"))
        << "vm1, the target, with IRQs masked through the raises, takes SPI 40 once and fetches 0x7; a second "
           "fetch gives 0; its own raise of line 0 is MV_DENIED and makes nothing pending";
    EXPECT_TRUE(GuestPassedIn(run, "vm2", "lines_other"))
        << "vm2, neither source nor target of line 0: raise and fetch are MV_DENIED, and its payload 0x100 "
           "never reaches vm1";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(BetweenVms, RaiseWakesTheTargetFromWfi) {
    auto run = boot(LINES, 7, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "line_wakes"))
        << "vm1 waits in WFI with no timer armed; vm0 raises line 0 at 5 ms of virtual time";
    // The raiser blocks right after the raise, so nothing else wants the CPU:
    // the target runs at once, and within a time slice in any case.
    EXPECT_TRUE(ValueIn(run, "line_wake_latency_us", 0, SLICE_US))
        << "from vm0's raise to vm1's handler, in us of virtual time: at most one time slice";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(BetweenVms, PriorityWaiveEndsWhenAnInterruptArrives) {
    auto run = boot(WAIVE, 8, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "waive_ends"))
        << "vm0 (priority 200) waives its priority with no timer armed; vm1 (priority 100) raises line 0 to it at "
           "5 ms and then spins to 30 ms";
    // The raise must give vm0 its priority back at once: it then preempts vm1.
    // Without that it would run only when vm1 is done, 25 ms later.
    EXPECT_TRUE(ValueIn(run, "waive_latency_us", 0, SLICE_US / 4))
        << "from vm1's raise to vm0's handler, in us of virtual time";
    EXPECT_TRUE(ExitedWith(run, 0));
}

// A million raises from vm0 to vm1 while vm2 counts its 1 kHz timer over
// 100 ms, against a run where vm0 only spins as long (the same share of the
// CPU, no raises). vm2 asks for little CPU (a handler per tick) and re-arms its
// timer at absolute times, so even behind two other VMs' slices (2 ms) it
// catches up: it gets all 100 ticks of the window in the quiet run, and the
// flood may cost it at most 10% of that. The window must lie inside the flood.
TEST(BetweenVms, AFloodOfRaisesStarvesNobody) {
    auto quiet = boot(LINES, 10, 30);
    ASSERT_TRUE(ValueIn(quiet, "ticks", 95, 101))
        << "without the flood, vm2's 1 kHz timer over 100 ms (the baseline)";
    auto flood = boot(LINES, 9, 60);
    const long long base = quiet.values.at("ticks");
    EXPECT_TRUE(ValueIn(flood, "ticks", base - base / 10, 101))
        << "vm2's ticks over the same window while vm0 raises a million times: at least 90% of the baseline "
        << base;
    const auto window_end = flood.values.find("window_end_us");  // its absence fails the ticks above
    if (window_end != flood.values.end()) {
        EXPECT_TRUE(ValueIn(flood, "flood_end_us", window_end->second, 100000000))
            << "the flood must go on past the end of vm2's window, or it measured nothing";
    }
    EXPECT_TRUE(ValueIn(flood, "flood_taken", 1, 1000000))
        << "vm1, the target, takes SPI 40 while the flood goes on (raises coalesce: fewer than the raises)";
    EXPECT_TRUE(ValueIn(flood, "flood_fetches", 1, 1000000)) << "vm1's fetches that returned a payload";
    EXPECT_TRUE(GuestPassedIn(flood, "vm0", "flood")) << "vm0: every raise of its own line returns MV_OK";
    EXPECT_TRUE(ExitedWith(flood, 0));
    EXPECT_LT(flood.elapsed_s, 20.0) << "wall time of the flood run, in seconds";
}

TEST(VirtualTimer, DescheduledVcpusTimerIsTakenWhenItRunsAgain) {
    auto run = boot(LINES, 11, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "descheduled_timer"))
        << "vm0 arms its timer 200 us ahead and yields to vm1 and vm2, which set their priority masks to 0 and "
           "spin for a slice each: the interrupt is taken before vm0's first instruction back, and once";
    EXPECT_TRUE(ValueIn(run, "desched_away_us", 1, 3 * SLICE_US))
        << "how long after its timer was due vm0 ran again, in us of virtual time: after vm1's and vm2's slices "
           "(2 ms at most), with a slice to spare";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Sgi, BetweenTheVcpusOfOneVm) {
    auto run = boot(SMP, 12, 30);
    EXPECT_TRUE(GuestPassed(run, "smp_sgi"))
        << "vCPU 0 starts vCPU 1 (PSCI CPU_ON), which waits in WFI; vCPU 0 sends it SGI 4, which it takes with "
           "source CPU 0 in GICC_IAR bits 12:10; it answers with SGI 6, which vCPU 0 takes with source CPU 1";
    EXPECT_TRUE(ExitedWith(run, 0));
}

}  // namespace
