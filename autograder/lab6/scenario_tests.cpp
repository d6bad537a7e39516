// SPDX-License-Identifier: MIT
// Lab 6 scenario tests: Debian's Linux, unmodified, as a guest
// (systems/lab6-linux.toml: one Linux VM with the `basic` initramfs of
// guests/linux). One boot serves every test of the suite: Linux takes about
// 10 s of wall time to reach its shell under QEMU. Time is virtual (QEMU
// -icount shift=0: one instruction per nanosecond), so the figures repeat.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char LINUX[] = "lab6-linux";
constexpr double BOOT_BUDGET_S = 2.0;  // virtual seconds to the shell: 2e9 instructions

/// The kernel the build packed (guests/linux: "<abi> <package version>").
std::string kernel_version() {
    std::ifstream in(MV_LINUX_VERSION_FILE);
    std::string abi, version;
    in >> abi >> version;
    return abi.empty() ? "(unknown: " + std::string(MV_LINUX_VERSION_FILE) + " is missing)" : abi + " " + version;
}

/// The first console line "[linux] <s>.<cc> <s>.<cc>" (/proc/uptime's), its first number; -1 if none.
double uptime_s(const std::string& console) {
    std::istringstream lines(console);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("[linux] ", 0) != 0) continue;
        std::istringstream words(line.substr(8));
        std::string up, idle, more;
        if (!(words >> up >> idle) || (words >> more)) continue;
        auto is_seconds = [](const std::string& w) {
            const auto dot = w.find('.');
            return dot != std::string::npos && dot > 0 && w.size() == dot + 3 &&
                   w.find_first_not_of("0123456789.") == std::string::npos;
        };
        if (is_seconds(up) && is_seconds(idle)) return std::strtod(up.c_str(), nullptr);
    }
    return -1;
}

class LinuxGuest : public ::testing::Test {
protected:
    static const mvtest::Run& run() {
        static const mvtest::Run r = [] {
            RunOptions o;
            o.system = LINUX;
            o.timeout_s = 120;
            o.input_after = "ready, 1 CPU(s)";
            // Computed, so that the echo of what was typed cannot pass for its output.
            o.input = "echo mv-$((6 * 7))-answer; uname -r; cat /proc/uptime; poweroff\n";
            std::printf("[ linux    ] Linux %s\n", kernel_version().c_str());
            return run_system(o);
        }();
        return r;
    }
};

TEST_F(LinuxGuest, BootsUnmodifiedWithItsDevices) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "psci: PSCIv1.0 detected in firmware"))
        << "Linux found PSCI 1.0 by HVC (the device tree's psci node; kernel/psci.cpp)";
    EXPECT_TRUE(ConsoleHas(r, "arch_timer: cp15 timer(s) running at 62.50MHz (virt)"))
        << "Linux uses the virtual timer (it entered in SVC mode, not HYP)";
    EXPECT_TRUE(ConsoleHas(r, "9000000.pl011: ttyAMA0 at MMIO 0x9000000")) << "the PL011 driver bound the emulated UART";
    EXPECT_FALSE(ConsoleHas(r, "Internal error: Oops")) << "Linux must not oops";
    EXPECT_TRUE(r.crashes.empty()) << "no VM may crash: " << (r.crashes.empty() ? "" : r.crashes[0]);
}

TEST_F(LinuxGuest, ReachesItsShellWithinTheBudget) {
    const auto& r = run();
    ASSERT_TRUE(ConsoleHas(r, " ready, 1 CPU(s)"))
        << "rcS's line 'mv-linux: <release> ready, 1 CPU(s)' never came (Linux " << kernel_version() << ")";
    // /proc/uptime, typed after the line: "<seconds> <idle seconds>", virtual time since Linux started.
    const double uptime = uptime_s(r.console);
    ASSERT_GE(uptime, 0) << "the output of 'cat /proc/uptime' never came\n" << r.tail();
    std::printf("[ linux    ] shell after %.2f s of virtual time (budget %.1f s)\n", uptime, BOOT_BUDGET_S);
    EXPECT_LE(uptime, BOOT_BUDGET_S) << "Linux took " << uptime << " s of virtual time (" << uptime * 1e9
                                     << " instructions under -icount shift=0) to reach the shell; the budget is "
                                     << BOOT_BUDGET_S << " s";
}

TEST_F(LinuxGuest, RunsCommandsTypedOnTheConsole) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "[linux] mv-42-answer")) << "the shell ran 'echo mv-$((6 * 7))-answer'";
    const std::string version = kernel_version();
    EXPECT_TRUE(ConsoleHas(r, "[linux] " + version.substr(0, version.find(' '))))
        << "'uname -r' names the kernel the build packed, " << version;
}

TEST_F(LinuxGuest, PoweroffEndsTheSystemWithStatusZero) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 0 (linux) powered off")) << "busybox's poweroff ends the VM by PSCI SYSTEM_OFF";
    EXPECT_TRUE(ExitedWith(r, 0)) << "the last VM powered off: QEMU ends with status 0";
}

}  // namespace
