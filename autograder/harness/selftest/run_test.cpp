// SPDX-License-Identifier: MIT
// Self-tests of run_system() against fake-qemu.sh: what a run reports.
#include "support.hpp"

#include "child.hpp"

#include <gtest/gtest.h>

namespace selftest {
namespace {

using FakeRun = FakeQemuTest;

TEST_F(FakeRun, HandsEachVmItsOwnTokenAndCountsOnlyItsLines) {
    const mvtest::Run run = boot(0);
    ASSERT_TRUE(run.error.empty()) << run.console;
    ASSERT_EQ(run.tokens.size(), 2u);
    const uint32_t t0 = run.tokens.at("vm0"), t1 = run.tokens.at("vm1");
    EXPECT_NE(t0, 0u);
    EXPECT_NE(t1, 0u);
    EXPECT_NE(t0, t1);
    EXPECT_EQ(run.token, t0);
    EXPECT_TRUE(mvtest::ConsoleHas(run, "loader,addr=0x48fff000,data=0x" + mvtest::hex8(t0)));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "loader,addr=0x49fff000,data=0x" + mvtest::hex8(t1)));
    EXPECT_FALSE(mvtest::ConsoleHas(run, "semihosting"));
    EXPECT_FALSE(mvtest::ConsoleHas(run, "icount sleep disabled")) << "QEMU's noise after SYSTEM_OFF is dropped";
    EXPECT_TRUE(mvtest::ConsoleHas(run, "-m 64M"));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "/fake.elf"));
    EXPECT_TRUE(mvtest::GuestPassed(run, "alpha"));
    EXPECT_TRUE(mvtest::GuestPassed(run, "colour"));  // a per-VM prefix behind a colour code
    EXPECT_FALSE(mvtest::GuestPassed(run, "beta"));
    EXPECT_FALSE(mvtest::GuestPassed(run, "forged"));  // another token
    EXPECT_FALSE(mvtest::GuestPassed(run, "gamma"));   // no token at all
    ASSERT_NE(run.find("beta"), nullptr);
    EXPECT_EQ(run.find("beta")->detail, "r0 was 0x1, expected 0x0");
    EXPECT_EQ(run.find("beta")->vm, "vm1");
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
    EXPECT_EQ(run.qemu_status, 0) << "QEMU exits with 0 after PSCI SYSTEM_OFF";
    EXPECT_EQ(run.exit_line, 3) << "the status comes from the MV_EXIT line";
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

TEST_F(FakeRun, ForgedLinesDoNotCount) {
    const mvtest::Run run = boot(7);
    EXPECT_TRUE(mvtest::ExitedWith(run, 0));
    EXPECT_FALSE(run.panic);
    EXPECT_TRUE(run.crashes.empty());
    EXPECT_FALSE(run.todo);
    ASSERT_EQ(run.results.size(), 1u) << run.console;
    EXPECT_TRUE(mvtest::GuestPassedIn(run, "vm1", "genuine"));
    EXPECT_EQ(run.foreign_results, 4);
    EXPECT_TRUE(mvtest::GuestDone(run));
}

TEST_F(FakeRun, QemuEndingWithoutTheExitLineIsNotASuccess) {
    const mvtest::Run run = boot(8);
    EXPECT_EQ(run.qemu_status, 0);
    EXPECT_EQ(run.exit_status, mvtest::kNoExitLine);
    const auto r = mvtest::ExitedWith(run, 0);
    EXPECT_FALSE(r);
    EXPECT_NE(std::string(r.message()).find("the microvisor printed no MV_EXIT line"), std::string::npos)
        << r.message();
    EXPECT_FALSE(mvtest::ScenarioPassed(run, "alpha"));
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

namespace selftest {
namespace {

// Typed input in steps: each step goes out once its cue shows, in what came
// after the step before it (the console tests of Labs 4-6 type into a guest
// that prints prompts).
mvtest::ChildSpec shell(const std::string& script) {
    mvtest::ChildSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.timeout_s = 5;
    return spec;
}

TEST(TypedInput, EachStepWaitsForItsCue) {
    auto spec = shell("echo first; read a; echo got:$a; echo second; read b; echo got:$b");
    spec.input_after = "first";
    spec.input = "one\n";
    spec.more_input = {{"second", "two\n"}};
    const mvtest::ChildResult r = mvtest::run_child(spec);
    EXPECT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.output, "first\ngot:one\nsecond\ngot:two\n");
}

TEST(TypedInput, ACueCountsOnlyAfterTheStepBefore) {
    // "second" comes before "first": the second step must not go out on it.
    auto spec = shell("echo second; echo first; read a; echo got:$a; read b; echo got:$b");
    spec.timeout_s = 2;
    spec.input_after = "first";
    spec.input = "one\n";
    spec.more_input = {{"second", "two\n"}};
    const mvtest::ChildResult r = mvtest::run_child(spec);
    EXPECT_TRUE(r.timed_out) << "the second read waits for input that never comes: " << r.output;
    EXPECT_NE(r.output.find("got:one"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("got:two"), std::string::npos) << r.output;
}

// At the timeout, a traced run is asked for its trace (Ctrl-A t) and given time to print it.
mvtest::ChildSpec asked(const std::string& script, double timeout_s, double grace_s) {
    auto spec = shell(script);
    spec.timeout_s = timeout_s;
    spec.at_timeout = "dump\n";
    spec.at_timeout_until = "DUMP-END";
    spec.at_timeout_grace_s = grace_s;
    return spec;
}

TEST(AtTimeout, TheChildIsAskedAndKilledOnceItAnswers) {
    const auto spec = asked("echo running; read a; echo got:$a; echo DUMP-END; sleep 30", 0.3, 10);
    const mvtest::ChildResult r = mvtest::run_child(spec);
    EXPECT_TRUE(r.timed_out) << r.output;
    EXPECT_EQ(r.output, "running\ngot:dump\nDUMP-END\n");
    EXPECT_LT(r.elapsed_s, 5.0) << "killed once DUMP-END came, not after the grace of 10 s";
}

TEST(AtTimeout, AChildThatNeverAnswersIsKilledAfterTheGrace) {
    const auto spec = asked("echo running; sleep 30", 0.2, 0.3);
    const mvtest::ChildResult r = mvtest::run_child(spec);
    EXPECT_TRUE(r.timed_out);
    EXPECT_GE(r.elapsed_s, 0.5) << "the timeout, then the grace";
    EXPECT_LT(r.elapsed_s, 5.0);
}

TEST(AtTimeout, ARunThatEndsInTimeIsNotAsked) {
    auto spec = asked("read a || echo stdin-open-until-the-end; echo done:$a", 0.5, 10);
    spec.input = "typed\n";
    const mvtest::ChildResult r = mvtest::run_child(spec);
    EXPECT_FALSE(r.timed_out) << r.output;
    EXPECT_EQ(r.output, "done:typed\n");
}

}  // namespace
}  // namespace selftest
