// SPDX-License-Identifier: MIT
// Self-tests of the mv-run command against fake-qemu.sh.
#include "child.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace selftest {
namespace {

using MvRun = FakeQemuTest;

mvtest::ChildResult mv_run(const std::vector<std::string>& args, double timeout_s = 20) {
    mvtest::ChildSpec spec;
    spec.argv = {MV_RUN};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout_s = timeout_s;
    return mvtest::run_child(spec);
}

TEST_F(MvRun, ExitsWithQemusStatus) {
    const auto r = mv_run({dir() + "/fake.elf", "--selector", "1"});
    EXPECT_EQ(r.exit_status, 3) << r.output;
    EXPECT_NE(r.output.find("MV_LAB_TODO: lab 1: handle_trap()"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("mv-run: the microvisor ended the system with status 3: a lab function is not "
                            "implemented yet"),
              std::string::npos)
        << r.output;
}

TEST_F(MvRun, TheStatusComesFromTheExitLine) {
    EXPECT_EQ(mv_run({dir() + "/fake.elf", "--selector", "5", "--quiet"}).exit_status, 2);
    EXPECT_EQ(mv_run({dir() + "/fake.elf", "--selector", "7", "--quiet"}).exit_status, 0)
        << "a guest's forged MV_EXIT line does not count";
    const auto r = mv_run({dir() + "/fake.elf", "--selector", "8"});
    EXPECT_EQ(r.exit_status, mvtest::kNoExitLine) << r.output;
    EXPECT_NE(r.output.find("no MV_EXIT line"), std::string::npos) << r.output;
}

TEST_F(MvRun, PassesTheTokenGiven) {
    const auto r = mv_run({dir() + "/fake.elf", "--token", "C0FFEE,beef", "--quiet"});
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_NE(r.output.find("[vm0] @@MVT 00c0ffee PASS alpha"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("[vm1] @@MVT 0000beef FAIL beta"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("MV_EXIT: 0 (every VM powered off)\n"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("icount sleep disabled"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("mv-run:"), std::string::npos) << r.output;
    EXPECT_EQ(mv_run({dir() + "/fake.elf", "--token", "1,0"}).exit_status, 125) << "a token is not 0";
}

TEST_F(MvRun, StreamsLiveAndTimesOutWith124) {
    const auto start = std::chrono::steady_clock::now();
    double first_output_s = -1;
    mvtest::ChildSpec spec;
    spec.argv = {MV_RUN, dir() + "/fake.elf", "--selector", "2", "--timeout", "2"};
    spec.timeout_s = 20;
    spec.on_output = [&](std::string_view data) {
        if (first_output_s < 0 && data.find("fake-qemu: hanging") != std::string_view::npos)
            first_output_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const auto r = mvtest::run_child(spec);
    EXPECT_EQ(r.exit_status, 124) << r.output;
    EXPECT_NE(r.output.find("mv-run: timeout: QEMU was still running after 2 s"), std::string::npos) << r.output;
    EXPECT_GE(first_output_s, 0) << r.output;
    EXPECT_LT(first_output_s + 1.0, r.elapsed_s) << "the console reached us only at the end";
    const pid_t pid = read_pidfile(pidfile());
    EXPECT_TRUE(eventually([&] { return group_members(pid) == 0; }));
}

TEST_F(MvRun, GdbWaitsForADebuggerWithoutTimeout) {
    const auto r = mv_run({dir() + "/fake.elf", "--gdb", "--dry-run"});
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_NE(r.output.find("data-len=4 -s -S\n"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("semihosting"), std::string::npos) << "no guest may end QEMU: " << r.output;
}

TEST_F(MvRun, AMissingImageSaysToBuildFirst) {
    const auto r = mv_run({dir() + "/nothing.elf"});
    EXPECT_EQ(r.exit_status, 125);
    EXPECT_NE(r.output.find("nothing.elf: no such system image: build it first"), std::string::npos) << r.output;
}

TEST_F(MvRun, RejectsBadArguments) {
    EXPECT_EQ(mv_run({}).exit_status, 125);
    EXPECT_EQ(mv_run({dir() + "/fake.elf", "--selector", "x"}).exit_status, 125);
    EXPECT_EQ(mv_run({dir() + "/fake.elf", "--bogus"}).exit_status, 125);
    EXPECT_EQ(mv_run({"--help"}).exit_status, 0);
}

}  // namespace
}  // namespace selftest
