// SPDX-License-Identifier: MIT
// Lab 6 scenario tests: Debian's Linux, unmodified, as a guest, with the
// channel drivers of guests/linux/mvchan. One boot serves every test of a
// suite (Linux takes several seconds of wall time to reach its shell):
//  - LinuxGuest: systems/lab6-linux.toml, a Linux VM (`basic` initramfs)
//    and the bare-metal server of guests/lab6 on channel 0 (/dev/mvchan0);
//  - LinuxPair: systems/lab6-pair.toml, two Linux VMs whose channel is a
//    network link (mvnet0, 10.0.0.1 and 10.0.0.2).
// Time is virtual (QEMU -icount shift=0: one instruction per nanosecond), so
// the figures repeat.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

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
            // Computed (or upper-cased by the server), so that the echo of what was
            // typed cannot pass for its output.
            o.input = "echo mv-$((6 * 7))-answer; uname -r; cat /proc/uptime\n"
                      "echo hello mv > /dev/mvchan0; head -n1 /dev/mvchan0\n"
                      // As root, through /dev/mem: the server's memory (physical 0x5800_0000,
                      // systems/lab6-linux.toml) and the microvisor's (physical 0x4000_0000,
                      // which is this VM's own RAM at guest-physical 0x4000_0000).
                      "devmem 0x58000000 32; devmem 0x58000010 32 0x0badf00d; devmem 0x40000000 32\n"
                      "echo again > /dev/mvchan0; head -n1 /dev/mvchan0\n"
                      "poweroff\n";
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

TEST_F(LinuxGuest, ACharacterDeviceRoundTripsThroughAChannel) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "mvchan channel-0: channel 0 to server: mvchan0"))
        << "rcS loads mvchan.ko, which makes /dev/mvchan0 of the device tree's channel-0 node";
    EXPECT_TRUE(ConsoleHas(r, "[linux] HELLO MV"))
        << "'echo hello mv > /dev/mvchan0' sent a message, the server answered it upper-cased, and "
           "'head -n1 /dev/mvchan0' read the answer";
    EXPECT_TRUE(ConsoleHas(r, "[server] server: the other end has ended after 2 answers"))
        << "the server answered two messages, then saw Linux power off (MV_NOT_CONNECTED)";
}

TEST_F(LinuxGuest, RootCannotReachOtherMemoryThroughDevMem) {
    const auto& r = run();
    // Guest-physical 0x5800_0000 is outside the VM's RAM (0x4000_0000, 256 MiB): its stage-2 map has nothing
    // there, whatever Linux maps. The microvisor logs the access once (kernel/linux_vm.cpp).
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 0 (linux): unhandled read at 0x58000000"))
        << "root's read of physical 0x58000000 (the server's memory) reached the microvisor as a stage-2 fault";
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 0 (linux): unhandled write at 0x58000010")) << "and its write of 0x58000010";
    EXPECT_TRUE(ConsoleHas(r, "[linux] Bus error")) << "devmem died of the external abort the microvisor reflected";
    EXPECT_TRUE(ConsoleHas(r, "devmem: mmap: Operation not permitted"))
        << "0x4000_0000 is the VM's own RAM (the microvisor's memory has no guest-physical address at all), "
           "which Linux itself refuses to /dev/mem";
    EXPECT_TRUE(ConsoleHas(r, "[linux] AGAIN")) << "the server, its memory untouched, still answers";
    EXPECT_TRUE(r.crashes.empty()) << "nothing crashed: " << (r.crashes.empty() ? "" : r.crashes[0]);
}

TEST_F(LinuxGuest, PoweroffEndsTheSystemWithStatusZero) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 0 (linux) powered off")) << "busybox's poweroff ends the VM by PSCI SYSTEM_OFF";
    EXPECT_TRUE(ExitedWith(r, 0)) << "the last VM powered off (the server after Linux): QEMU ends with status 0";
}

class LinuxPair : public ::testing::Test {
protected:
    static const mvtest::Run& run() {
        static const mvtest::Run r = [] {
            RunOptions o;
            o.system = "lab6-pair";
            o.timeout_s = 180;
            // alpha (VM 0) has the keyboard: it waits until beta answers, then pings it, then
            // sends 8 MiB by TCP to beta's iperf3 server (rcS starts it: mv.iperf3).
            o.input_after = "[alpha] mv-linux: ";
            o.input = "until ping -c 1 -W 1 10.0.0.2 >/dev/null; do :; done; ping -c 3 10.0.0.2\n"
                      "until iperf3 -c 10.0.0.2 -n 8M; do sleep 1; done; echo ping-done\n";
            // Then Ctrl-A 1: beta gets the keyboard and powers off; Ctrl-A 0: alpha too. (Each
            // cue is a whole line's end: what one VM prints after it cannot split the line.)
            o.more_input = {{"[alpha] ping-done", "\x01" "1" "poweroff\n"},
                            {"MV: VM 1 (beta) powered off", "\x01" "0" "poweroff\n"}};
            return run_system(o);
        }();
        return r;
    }
};

TEST_F(LinuxPair, BothNetworkDevicesComeUp) {
    const auto& r = run();
    for (const char* vm : {"alpha", "beta"})
        EXPECT_TRUE(ConsoleHas(r, "[" + std::string(vm) + "] [")) << vm << " booted";
    EXPECT_TRUE(ConsoleHas(r, "mvchan channel-0: channel 0 to beta: mvnet0"))
        << "alpha's mvchan.ko made the network device mvnet0 of channel 0 (microvisor,device = \"net\")";
    EXPECT_TRUE(ConsoleHas(r, "mvchan channel-0: channel 0 to alpha: mvnet0")) << "and beta's";
    EXPECT_TRUE(r.crashes.empty()) << "no VM may crash: " << (r.crashes.empty() ? "" : r.crashes[0]);
}

TEST_F(LinuxPair, PingCrossesTheChannelBothWays) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "[alpha] 3 packets transmitted, 3 packets received, 0% packet loss"))
        << "alpha's 3 echo requests reached beta over the channel, and beta's replies came back: frames "
           "received by mvnet_poll (guests/linux/mvchan/net_rx.c) in both VMs";
}

TEST_F(LinuxPair, Iperf3TcpRunCompletes) {
    const auto& r = run();
    std::istringstream lines(r.console);
    std::string receiver;
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("[alpha] ", 0) == 0 && line.find(" sec ") != std::string::npos &&
            line.find("receiver") != std::string::npos)
            receiver = line;
    ASSERT_FALSE(receiver.empty())
        << "iperf3 in alpha printed no receiver line: the TCP run to beta did not complete (frames are received by "
           "mvnet_poll, guests/linux/mvchan/net_rx.c, in both VMs)\n"
        << r.tail();
    std::printf("[ linux    ] iperf3 over the channel: %s\n", receiver.c_str() + 8);
    EXPECT_TRUE(ConsoleHas(r, "[alpha] iperf Done.")) << "iperf3 -c 10.0.0.2 -n 8M ended normally";
    EXPECT_EQ(receiver.find(" 0.00 Bytes"), std::string::npos) << "beta received bytes: " << receiver;
}

TEST_F(LinuxPair, BothPowerOffAndTheSystemEndsWithStatusZero) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 1 (beta) powered off")) << "Ctrl-A 1 moved the keyboard to beta, which powered off";
    EXPECT_TRUE(ExitedWith(r, 0)) << "then alpha: QEMU ends with status 0";
}

}  // namespace

namespace {

class LinuxSmp : public ::testing::Test {
protected:
    // No input: its Linux powers off by itself once up (mv.poweroff).
    static const mvtest::Run& run() {
        static const mvtest::Run r = [] {
            RunOptions o;
            o.system = "lab6-smp";
            o.timeout_s = 120;
            return run_system(o);
        }();
        return r;
    }
};

/// The counts of /proc/interrupts' line `name` (rcS prints the IPI lines), one per CPU; empty if none.
std::vector<long> interrupt_counts(const std::string& console, const std::string& name) {
    std::istringstream lines(console);
    for (std::string line; std::getline(lines, line);) {
        const auto at = line.find(name + ":");
        if (line.rfind("[linux] ", 0) != 0 || at == std::string::npos) continue;
        std::istringstream words(line.substr(at + name.size() + 1));
        std::vector<long> counts;
        for (long n; words >> n;) counts.push_back(n);
        return counts;
    }
    return {};
}

TEST_F(LinuxSmp, BringsUpItsSecondVcpu) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "smp: Brought up 1 node, 2 CPUs"))
        << "Linux started its second CPU by PSCI CPU_ON (Lab 2) on the device tree's cpu@1";
    EXPECT_TRUE(ConsoleHas(r, "[linux] mv-linux: ")) << "rcS ran";
    EXPECT_TRUE(ConsoleHas(r, " ready, 2 CPU(s)")) << "and /proc/cpuinfo lists both";
}

TEST_F(LinuxSmp, InterProcessorInterruptsReachBothVcpus) {
    const auto& r = run();
    const auto resched = interrupt_counts(r.console, "IPI2");
    ASSERT_EQ(resched.size(), 2u) << "rcS prints /proc/interrupts' IPI lines, one count per CPU\n" << r.tail();
    EXPECT_GT(resched[0], 0) << "CPU0 took rescheduling IPIs: SGIs sent by CPU1 through the emulated GICD_SGIR";
    EXPECT_GT(resched[1], 0) << "CPU1 took rescheduling IPIs: SGIs sent by CPU0";
}

TEST_F(LinuxSmp, PowersOffWithBothVcpus) {
    const auto& r = run();
    EXPECT_TRUE(ConsoleHas(r, "MV: VM 0 (linux) powered off")) << "Linux stopped CPU1, then powered off by PSCI";
    EXPECT_TRUE(ExitedWith(r, 0)) << "and the ticker had ended: QEMU ends with status 0";
}

// The same boot as LinuxSmp's: the ticker is lab6-smp's second VM.
class LinuxTiming : public LinuxSmp {};

TEST_F(LinuxTiming, ABareMetalGuestKeepsItsTimerBesideABootingLinux) {
    const auto& r = run();
    EXPECT_TRUE(GuestPassedIn(r, "ticker", "ticker_rate"))
        << "the ticker took at least 90% of its 1,500 timer interrupts (1 kHz) while Linux booted";
    EXPECT_TRUE(ValueIn(r, "ticker_ticks", 1350, 1501));
    EXPECT_TRUE(ValueIn(r, "ticker_latest_us", 0, 2000))
        << "the ticker, at Linux's priority, shares the CPU round robin with Linux's two vCPUs in 1 ms "
           "slices: no interrupt of it may come more than two slices late";
    EXPECT_TRUE(ConsoleHas(r, " ready, 2 CPU(s)")) << "Linux booted meanwhile, on two vCPUs";
    EXPECT_TRUE(ExitedWith(r, 0));
}

}  // namespace
