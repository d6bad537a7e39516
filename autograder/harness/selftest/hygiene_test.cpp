// SPDX-License-Identifier: MIT
// Self-tests of process hygiene: no QEMU outlives a timeout, a flood, a signal or the death of its parent.
#include "support.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

namespace selftest {
namespace {

using Hygiene = FakeQemuTest;

TEST_F(Hygiene, ATimeoutKillsTheWholeGroup) {
    const mvtest::Run run = boot(2, 0.5);  // the fake ignores SIGINT/SIGTERM/SIGHUP, and forks a sleep
    EXPECT_TRUE(run.timed_out);
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_LT(run.elapsed_s, 3.0);
    EXPECT_TRUE(mvtest::ConsoleHas(run, "fake-qemu: hanging"));
    const pid_t pid = read_pidfile(pidfile());
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(eventually([&] { return group_members(pid) == 0; })) << group_members(pid) << " left";
    EXPECT_EQ(processes_with(marker), 0);
    EXPECT_NE(std::string(mvtest::ExitedWith(run, 0).message()).find("timeout: QEMU was still running after 0.5 s"),
              std::string::npos);
}

TEST_F(Hygiene, AFloodIsCappedAndKilled) {
    const mvtest::Run run = boot(4, 30, 64 * 1024);
    EXPECT_TRUE(run.flooded);
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_EQ(run.console.size(), 64u * 1024);
    EXPECT_LT(run.elapsed_s, 5.0);
    EXPECT_TRUE(run.results.empty() || run.results.front().name == "flood");
    const pid_t pid = read_pidfile(pidfile());
    EXPECT_TRUE(eventually([&] { return group_members(pid) == 0; }));
    EXPECT_NE(std::string(mvtest::GuestDone(run).message()).find("flood: QEMU printed more than the output limit"),
              std::string::npos);
}

/// Forks a process that boots the fake with `selector`, waits until the fake runs, sends `sig`
/// to the forked process, and returns how that process ended. Meanwhile this process is a
/// child subreaper, so that the orphaned fake becomes our child: `qemu_status` is how it ended.
int signal_a_booting_process(Hygiene& test, uint32_t selector, int sig, const std::string& pidfile, pid_t& qemu,
                             int& qemu_status) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t child = fork();
    if (child == 0) {
        test.boot(selector, 60);
        _exit(0);
    }
    qemu = read_pidfile(pidfile);
    kill(child, qemu > 0 ? sig : SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    qemu_status = -1;
    if (qemu > 0) eventually([&] { return waitpid(qemu, &qemu_status, WNOHANG) == qemu; });
    while (waitpid(-1, nullptr, WNOHANG) > 0) {}  // the fake's own children
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    return status;
}

bool killed_by_sigkill(int status) { return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }

class SignalHygiene : public Hygiene, public ::testing::WithParamInterface<int> {};

TEST_P(SignalHygiene, ASignalToTheTestProcessLeavesNoQemu) {
    pid_t qemu = 0;
    int qemu_status = 0;
    const int status = signal_a_booting_process(*this, 2, GetParam(), pidfile(), qemu, qemu_status);
    ASSERT_GT(qemu, 0) << "the fake QEMU never started";
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam())
        << "the process should die of " << strsignal(GetParam()) << " (its handler re-raises it)";
    EXPECT_TRUE(killed_by_sigkill(qemu_status)) << "the fake QEMU ignores " << strsignal(GetParam());
    EXPECT_TRUE(eventually([&] { return group_members(qemu) == 0; })) << group_members(qemu) << " left";
    EXPECT_EQ(processes_with(marker), 0);
}

INSTANTIATE_TEST_SUITE_P(Signals, SignalHygiene, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

TEST_F(Hygiene, SigkillOfTheTestProcessLeavesNoQemu) {
    pid_t qemu = 0;
    int qemu_status = 0;
    const int status = signal_a_booting_process(*this, 3, SIGKILL, pidfile(), qemu, qemu_status);
    ASSERT_GT(qemu, 0) << "the fake QEMU never started";
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    EXPECT_TRUE(killed_by_sigkill(qemu_status));
    // No handler runs on SIGKILL: PR_SET_PDEATHSIG is what ends the child.
    EXPECT_TRUE(eventually([&] { return group_members(qemu) == 0; })) << group_members(qemu) << " left";
}

}  // namespace
}  // namespace selftest
