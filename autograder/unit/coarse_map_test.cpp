// SPDX-License-Identifier: MIT
// The coarse stage-2 map that stands in for Stage2 in images of Labs 1-2: descriptor bits (ARM ARM B3.6.1-B3.6.2).
#include <gtest/gtest.h>

#include <memory>

#include "staging/coarse_map.hpp"

using namespace mv;

namespace {

TEST(CoarseMap, BlocksCarryTheRightAttributes) {
    const MemRegion regions[] = {
        {0x48000000, 0x58000000, 0x400000, MemKind::Ram, true, true},
        {0x08000000, 0x08000000, 0x200000, MemKind::Device, true, false},
        {0x60000000, 0x60000000, 0x200000, MemKind::Ram, false, false},
    };
    VmConfig vm{.name = "t", .id = 0, .entry = 0x48000000, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = regions, .nregions = 3, .params_gpa = 0, .pmu = false, .table_quota = 0};
    auto map = std::make_unique<CoarseMap>();
    ASSERT_TRUE(map->build(vm));

    u64 ram = map->l2[1][lpae::l2_index(0x48000000)];
    EXPECT_EQ(ram & lpae::ADDR_MASK, 0x58000000u) << "output address = pa";
    EXPECT_EQ(ram & 3, 1u) << "a block";
    EXPECT_EQ((ram >> 2) & 0xf, 0xfu) << "MemAttr: normal, write-back";
    EXPECT_EQ((ram >> 6) & 3, 3u) << "HAP: read/write";
    EXPECT_EQ((ram >> 8) & 3, 3u) << "inner shareable";
    EXPECT_NE(ram & (1u << 10), 0u) << "access flag";
    EXPECT_EQ(ram >> 54 & 1, 0u) << "executable";
    EXPECT_EQ(map->l2[1][lpae::l2_index(0x48200000)] & lpae::ADDR_MASK, 0x58200000u) << "second block";
    EXPECT_EQ(map->l2[1][lpae::l2_index(0x48400000)], 0u) << "nothing past the region";

    u64 dev = map->l2[0][lpae::l2_index(0x08000000)];
    EXPECT_EQ((dev >> 2) & 0xf, 0x1u) << "MemAttr: Device";
    EXPECT_EQ(dev >> 54 & 1, 1u) << "device memory is execute-never";

    u64 ro = map->l2[1][lpae::l2_index(0x60000000)];
    EXPECT_EQ((ro >> 6) & 3, 1u) << "HAP: read-only";
    EXPECT_EQ(ro >> 54 & 1, 1u);

    for (u32 g = 0; g < 4; ++g) {
        EXPECT_EQ(map->l1[g] & 3, 3u) << "level-1 entry " << g << " is a table";
        EXPECT_EQ(map->l1[g] & ~u64{3}, reinterpret_cast<uintptr_t>(map->l2[g]));
    }
    EXPECT_EQ(map->vttbr(5) >> 48, 5u) << "VMID in VTTBR bits 55:48";
}

TEST(CoarseMap, RefusesUnalignedRegions) {
    const MemRegion regions[] = {{0x48001000, 0x48001000, 0x200000, MemKind::Ram, true, true}};
    VmConfig vm{.name = "t", .id = 0, .entry = 0x48001000, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = regions, .nregions = 1, .params_gpa = 0, .pmu = false, .table_quota = 0};
    auto map = std::make_unique<CoarseMap>();
    EXPECT_FALSE(map->build(vm));
}

TEST(Lpae, VtcrDescribesA32BitIpaFromLevel1) {
    u32 v = lpae::VTCR_VALUE;
    EXPECT_EQ(v & 0xf, 0u) << "T0SZ = 0";
    EXPECT_EQ((v >> 6) & 3, 1u) << "SL0 = 1: start at level 1";
    EXPECT_EQ(v >> 31, 1u) << "bit 31 is RES1";
}

}  // namespace
