// SPDX-License-Identifier: MIT
// Lab 1 scenario tests: guests/lab1/traps.cpp in QEMU, one sub-test per boot.
//
// Each test boots systems/lab1-traps.toml with a selector (the index of the
// sub-test in traps.cpp), then expects the guest's PASS line with this run's
// token, its DONE line and a clean power-off (QEMU exit status 0).
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char SYSTEM[] = "lab1-traps";

TEST(Boot, BannerInHypModeAndGuestInSvc) {
    mvtest::Run run = boot(SYSTEM, 1);
    EXPECT_TRUE(ConsoleHas(run, "in HYP mode"));
    EXPECT_TRUE(ScenarioPassed(run, "boot_svc_mode"));
}

TEST(Hypercall, NullCall) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 2), "null_hypercall")); }
TEST(Hypercall, RegistersPreserved) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 3), "registers_preserved")); }
TEST(Hypercall, PsciVersion) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 4), "psci_version")); }
TEST(Hypercall, PsciFeatures) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 5), "psci_features")); }
TEST(Hypercall, UnknownIdsNotSupported) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 6), "unknown_ids")); }
TEST(Hypercall, VmInfo) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 7), "vm_info")); }
TEST(Hypercall, Revision) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 8), "revision")); }

TEST(Console, WriteReachesTheConsole) {
    mvtest::Run run = boot(SYSTEM, 9);
    EXPECT_TRUE(ConsoleHas(run, "lab1: the console works"));
    EXPECT_TRUE(ScenarioPassed(run, "console_ok"));
}
TEST(Console, BufferOutsideGuestMemory) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 10), "console_outside")); }
TEST(Console, BufferStraddlingTheEnd) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 11), "console_straddle")); }
TEST(Console, ZeroHugeAndMisalignedLengths) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 12), "console_lengths")); }
TEST(Console, AddressWrapAround) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 13), "console_wrap")); }

TEST(Trapped, Wfi) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 14), "wfi_trapped")); }
TEST(Trapped, ThumbWfiIsTwoBytes) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 15), "wfi_thumb")); }
TEST(Trapped, TrapCountRange) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 16), "trap_count_range")); }
TEST(Trapped, SmcIsUndefined) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 17), "smc_undef")); }
TEST(Trapped, HvcImmediateIsUndefined) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 18), "hvc_imm_undef")); }
TEST(Trapped, ThumbSmcIsUndefined) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 19), "thumb_smc_undef")); }
TEST(Trapped, Cp14AccessIsUndefined) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 20), "cp14_undef")); }

TEST(Reflect, DataAbortOnRead) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 21), "dabt_read")); }
TEST(Reflect, DataAbortOnWrite) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 22), "dabt_write")); }
TEST(Reflect, DataAbortLpaeFormat) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 23), "dabt_lpae_format")); }
TEST(Reflect, PrefetchAbort) { EXPECT_TRUE(ScenarioPassed(boot(SYSTEM, 24), "pabt")); }

TEST(Crash, FaultAtOwnVectorsStopsTheVm) {
    mvtest::Run run = boot(SYSTEM, 25);
    EXPECT_TRUE(ConsoleHas(run, "crashed: prefetch abort at its own exception vector"));
    EXPECT_TRUE(ExitedWith(run, 1)) << "a crashed VM ends the system with status 1";
    EXPECT_EQ(run.find("vector_crash"), nullptr) << "the guest must not run on after the crash";
}

TEST(Crash, StopPolicyStopsTheVm) {
    mvtest::Run run = boot("lab1-stop", 26);
    EXPECT_TRUE(ConsoleHas(run, "crashed: data abort at 0xa000000"));
    EXPECT_TRUE(ExitedWith(run, 1));
}

TEST(Power, SystemResetRestartsTheGuest) {
    mvtest::Run run = boot(SYSTEM, 27);
    EXPECT_TRUE(ConsoleHas(run, "reset"));
    EXPECT_TRUE(ScenarioPassed(run, "system_reset"));
}

TEST(Power, SystemOffEndsQemuWithStatusZero) {
    mvtest::Run run = boot(SYSTEM, 28);
    EXPECT_TRUE(GuestDone(run));
    EXPECT_EQ(run.find("system_off"), nullptr) << "PSCI_SYSTEM_OFF must not return to the guest";
    EXPECT_TRUE(ConsoleHas(run, "all VMs powered off"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

}  // namespace
