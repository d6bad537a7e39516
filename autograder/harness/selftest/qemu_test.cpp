// SPDX-License-Identifier: MIT
// Smoke tests with the real qemu-system-arm: its error path, and a tiny image end to end.
#include "child.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace selftest {
namespace {

class RealQemu : public ::testing::Test {
protected:
    void SetUp() override {
        if (mvtest::find_program("qemu-system-arm").empty()) GTEST_SKIP() << "qemu-system-arm is not installed";
    }
    ScopedEnv no_fake_{"MV_QEMU", std::nullopt};
    TempDir dir_;
};

TEST_F(RealQemu, AMissingImageIsReportedBeforeQemuRuns) {
    const mvtest::Run run = mvtest::boot("/nonexistent/lab1-traps.elf");
    EXPECT_EQ(run.exit_status, -1);
    EXPECT_EQ(run.error, "/nonexistent/lab1-traps.elf: no such system image: build it first "
                         "(make, or cmake --build <build dir>)");
}

TEST_F(RealQemu, QemusOwnErrorsReachTheConsole) {
    write_image(dir_.path(), "empty", 1);
    mvtest::RunOptions options;
    options.system = dir_.path() + "/empty.elf";
    options.extra_args = {"-no-such-option"};
    const mvtest::Run run = mvtest::run_system(options);
    EXPECT_TRUE(run.error.empty()) << run.error;
    EXPECT_TRUE(mvtest::ExitedWith(run, 1));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "qemu-system-arm: -no-such-option: invalid option"));
}

TEST_F(RealQemu, AHangingGuestIsKilledAtTheTimeout) {
    write_image(dir_.path(), "garbage", 1, "not an ELF: QEMU loads it raw and runs it");
    const std::string marker = unique_marker();
    mvtest::RunOptions options;
    options.system = dir_.path() + "/garbage.elf";
    options.timeout_s = 1;
    options.extra_args = {"-name", marker};
    const mvtest::Run run = mvtest::run_system(options);
    EXPECT_TRUE(run.timed_out);
    EXPECT_LT(run.elapsed_s, 3.0);
    EXPECT_TRUE(eventually([&] { return processes_with(marker) == 0; })) << "a QEMU is still running";
}

#ifdef TINY_GUEST_ELF
TEST_F(RealQemu, ATinyGuestReportsWithItsTokenAndEndsByPsciSystemOff) {
    std::filesystem::copy_file(TINY_GUEST_ELF, dir_.path() + "/tiny.elf");
    std::ofstream(dir_.path() + "/tiny.json")
        << R"({"system": "tiny", "memory_mib": 1024, "vms": [{"name": "tiny", "id": 0, "ram_pa": "0x40000000",
              "ram_size": 268435456, "params_pa": "0x48fff000", "entry": "0x40000000"}]})";
    const mvtest::Run run = mvtest::boot(dir_.path() + "/tiny.elf", 0);
    EXPECT_TRUE(mvtest::ScenarioPassed(run, "tiny"));
    EXPECT_TRUE(mvtest::ConsoleHas(run, "[tiny] @@MVT " + mvtest::hex8(run.token) + " PASS tiny"));
    // PSCI SYSTEM_OFF by SMC from HYP mode ends QEMU 7.2 with 0; the MV_EXIT line gives the status.
    EXPECT_EQ(run.qemu_status, 0) << run.console;
    const mvtest::Run stub = mvtest::boot(dir_.path() + "/tiny.elf", 3);
    EXPECT_TRUE(mvtest::ExitedWith(stub, 3));
    EXPECT_EQ(stub.qemu_status, 0) << stub.console;
}
#endif

}  // namespace
}  // namespace selftest
