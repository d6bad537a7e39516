// SPDX-License-Identifier: MIT
// Lab 3 scenario tests: two VMs at the same guest-physical address, each behind
// its own stage-2 tables (guests/lab3/vmmu.cpp, systems/lab3-vmmu.toml).
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char SYSTEM[] = "lab3-vmmu";

TEST(Vmmu, TwoVmsAtTheSameAddress) {
    auto run = boot(SYSTEM, 1, 30);
    EXPECT_TRUE(PassedTimes(run, "same_address", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, StrayAccessesAreRefused) {
    auto run = boot(SYSTEM, 2, 30);
    EXPECT_TRUE(PassedTimes(run, "isolation", 2))
        << "another VM's RAM, the microvisor's, the GIC distributor, GICH and the PL011 are not mapped";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, ReadOnlyMemory) {
    auto run = boot(SYSTEM, 3, 30);
    EXPECT_TRUE(PassedTimes(run, "read_only", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, NoExecuteMemory) {
    auto run = boot(SYSTEM, 4, 30);
    EXPECT_TRUE(PassedTimes(run, "no_execute", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, EmulatedPl011) {
    auto run = boot(SYSTEM, 5, 30);
    EXPECT_TRUE(PassedTimes(run, "pl011", 2));
    EXPECT_TRUE(ConsoleHas(run, "[vm0] pl011: hello through the emulated UART"))
        << "the output of each VM's UART carries the VM's name";
    EXPECT_TRUE(ConsoleHas(run, "[vm1] pl011: hello through the emulated UART"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, AccessWithoutSyndromeIsRefused) {
    auto run = boot(SYSTEM, 6, 30);
    EXPECT_TRUE(PassedTimes(run, "isv0", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, PartialUnmapSplitsABlock) {
    auto run = boot(SYSTEM, 7, 30);
    EXPECT_TRUE(PassedTimes(run, "split", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Vmmu, SharedRegionIsTheSameMemory) {
    auto run = boot(SYSTEM, 8, 30);
    EXPECT_TRUE(PassedTimes(run, "shared_page", 2));
    EXPECT_TRUE(ExitedWith(run, 0));
}

}  // namespace
