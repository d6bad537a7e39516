// SPDX-License-Identifier: MIT
// Self-tests of run_system() against fake-qemu.sh: what a run reports.
#include "support.hpp"

#include <gtest/gtest.h>

namespace selftest {
namespace {

using FakeRun = FakeQemuTest;

TEST_F(FakeRun, HandsTheTokenToTheGuestAndCountsOnlyItsLines) {
    const mvtest::Run run = boot(0);
    ASSERT_TRUE(run.error.empty()) << run.console;
    EXPECT_NE(run.token, 0u);
    EXPECT_TRUE(mvtest::ConsoleHas(run, "data=0x" + mvtest::hex8(run.token)));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "-m 64M"));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "/fake.elf"));
    EXPECT_TRUE(mvtest::GuestPassed(run, "alpha"));
    EXPECT_TRUE(mvtest::GuestPassed(run, "colour"));  // behind a colour code and a per-VM prefix
    EXPECT_FALSE(mvtest::GuestPassed(run, "beta"));
    EXPECT_FALSE(mvtest::GuestPassed(run, "forged"));  // another token
    EXPECT_FALSE(mvtest::GuestPassed(run, "gamma"));   // no token at all
    ASSERT_NE(run.find("beta"), nullptr);
    EXPECT_EQ(run.find("beta")->detail, "r0 was 0x1, expected 0x0");
    EXPECT_EQ(run.results.size(), 3u);
    EXPECT_EQ(run.foreign_results, 1);
    EXPECT_TRUE(mvtest::GuestDone(run));
    EXPECT_TRUE(mvtest::ExitedWith(run, 0));
    EXPECT_TRUE(mvtest::ScenarioPassed(run, "alpha"));
    EXPECT_FALSE(run.timed_out);
    EXPECT_FALSE(run.flooded);
}

TEST_F(FakeRun, ReportsALabStub) {
    const mvtest::Run run = boot(1);
    EXPECT_TRUE(mvtest::ExitedWith(run, 3));
    ASSERT_TRUE(run.todo);
    EXPECT_EQ(run.todo->lab, 1);
    EXPECT_EQ(run.todo->function, "handle_trap");
    const std::string m = mvtest::ScenarioPassed(run, "hvc_null").message();
    EXPECT_NE(m.find("not implemented: handle_trap() in microvisor/kernel/trap.cpp"), std::string::npos) << m;
}

TEST_F(FakeRun, ReportsPanicCrashAndStderr) {
    const mvtest::Run run = boot(5);
    EXPECT_TRUE(mvtest::ExitedWith(run, 2));
    ASSERT_TRUE(run.panic);
    EXPECT_EQ(*run.panic, "out of VMIDs");
    ASSERT_EQ(run.crashes.size(), 1u);
    EXPECT_EQ(run.crashes[0], "VM 1 (pong) crashed: data abort at 0x00000100");
    EXPECT_TRUE(mvtest::ConsoleHas(run, "qemu-system-arm: warning: fake warning"));
    const std::string m = mvtest::GuestDone(run).message();
    EXPECT_NE(m.find("microvisor panic: out of VMIDs"), std::string::npos) << m;
    EXPECT_NE(m.find("crash: VM 1 (pong)"), std::string::npos) << m;
}

TEST_F(FakeRun, ReadsALastLineWithoutNewline) {
    const mvtest::Run run = boot(6);
    EXPECT_TRUE(mvtest::ScenarioPassed(run, "alpha"));
}

TEST_F(FakeRun, AMissingImageSaysToBuildFirst) {
    mvtest::RunOptions options;
    options.system = "lab9-nothing";
    const mvtest::Run run = mvtest::run_system(options);
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_NE(run.error.find(dir() + "/lab9-nothing.elf"), std::string::npos) << run.error;
    const std::string m = mvtest::GuestPassed(run, "alpha").message();
    EXPECT_NE(m.find("could not boot: " + dir() + "/lab9-nothing.elf: no such system image: build it first"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("| mv-harness: "), std::string::npos) << m;  // in the console too
}

TEST_F(FakeRun, NoQemuOnPathIsAClearError) {
    ScopedEnv qemu("MV_QEMU", std::nullopt), path("PATH", dir());
    const mvtest::Run run = mvtest::boot("fake");
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_EQ(run.error, "qemu-system-arm not found on PATH: install the Debian package qemu-system-arm");
    EXPECT_NE(std::string(mvtest::ExitedWith(run, 0).message()).find("seen:     QEMU did not run"), std::string::npos);
}

TEST_F(FakeRun, AFakeQemuThatIsNotThereIsNamed) {
    ScopedEnv qemu("MV_QEMU", dir() + "/no-such-qemu");
    const mvtest::Run run = boot(0);
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_EQ(run.error, dir() + "/no-such-qemu not found");
}

}  // namespace
}  // namespace selftest
