// SPDX-License-Identifier: MIT
// The containment scenario (systems/attack.toml, guests/attack) with the real microvisor: an
// attacker VM tries to end QEMU and forges console lines; the victim VM runs to its end, and
// the harness counts nothing that was forged. Needs working labs: a reference-build test.
#include "console.hpp"
#include "mvtest.hpp"

#include <gtest/gtest.h>

namespace {

using mvtest::ConsoleHas;
using mvtest::ExitedWith;
using mvtest::GuestPassedIn;

constexpr char SYSTEM[] = "attack";
constexpr double TIMEOUT_S = 60;

/// The system ended by itself, cleanly, and the victim reported for itself.
void expect_contained(const mvtest::Run& run) {
    EXPECT_TRUE(ExitedWith(run, 0));
    EXPECT_EQ(run.qemu_status, 0) << "QEMU ended by the microvisor's PSCI SYSTEM_OFF";
    EXPECT_EQ(run.exit_line, 0) << "the microvisor's own MV_EXIT line";
    EXPECT_TRUE(GuestPassedIn(run, "victim", "victim_outlived_attacks"));
    EXPECT_TRUE(mvtest::GuestDone(run));
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "attacker_done"));
    EXPECT_TRUE(ConsoleHas(run, "MV: all VMs powered off"));
    EXPECT_FALSE(run.panic) << *run.panic;
    EXPECT_TRUE(run.crashes.empty()) << run.crashes.front();
    EXPECT_FALSE(run.todo);
}

TEST(Attack, SemihostingCannotEndQemu) {
    const mvtest::Run run = mvtest::boot(SYSTEM, 1, TIMEOUT_S);
    expect_contained(run);
    for (const char* name : {"a32_svc_sys_exit", "a32_svc_sys_exit_extended", "a32_svc_sys_write0",
                             "a32_hlt_sys_exit", "a32_hlt_sys_exit_extended", "t32_svc_sys_exit",
                             "t32_hlt_sys_exit_extended", "smc_psci_system_off"})
        EXPECT_TRUE(GuestPassedIn(run, "attacker", name)) << "the attempt came back to the guest as a plain exception";
    EXPECT_FALSE(ConsoleHas(run, "SEMIHOSTING-REACHED-THE-HOST")) << "SYS_WRITE0 must not reach the host";
}

TEST(Attack, ForgedConsoleLinesFoolNobody) {
    const mvtest::Run run = mvtest::boot(SYSTEM, 2, TIMEOUT_S);
    expect_contained(run);
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "victim_token_unreadable"));
    // The victim reported one result; what the attacker wrote under the victim's name counts for nobody.
    for (const mvtest::GuestResult& r : run.results)
        EXPECT_TRUE(r.vm == "attacker" || r.name == "victim_outlived_attacks") << r.name << " from " << r.vm;
    EXPECT_EQ(run.foreign_results, 3) << "forged_cr, forged_esc and forged_open, under the victim's name";
    // Its own token after a CR, to pass for a line of the microvisor's: it counts, as the attacker's own.
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "forged_bare"));
    // The forgeries reached the console, escaped and behind the attacker's name ...
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[2KMV_PANIC: forged panic\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[1GMV: VM 1 (victim) crashed: forged crash\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] MV_EXIT: 2 (the microvisor panicked)\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] \\x9b2K^?^H^HMV_PANIC: forged with a C1 CSI"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[1GMV_PANIC: forged through the PL011\r\n"));
    // ... with no raw control byte of the guest's among them, and the victim on a line of its own.
    for (const char raw : {'\x1b', '\b', '\x7f', '\x9b'})
        EXPECT_EQ(run.console.find(raw), std::string::npos) << "raw byte " << int(static_cast<unsigned char>(raw));
    EXPECT_TRUE(ConsoleHas(run, " PASS forged_open\r\n[victim] @@MVT " + mvtest::hex8(run.tokens.at("victim")) +
                                    " PASS victim_outlived_attacks"));
    size_t exit_lines = 0;
    for (const std::string& line : mvtest::console_lines(run.console)) exit_lines += line.starts_with("MV_EXIT:");
    EXPECT_EQ(exit_lines, 1u);
}

}  // namespace
