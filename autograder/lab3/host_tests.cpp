// SPDX-License-Identifier: MIT
// Lab 3 host tests: the stage-2 table code on fake memory, every descriptor
// bit against the ARM ARM (DDI 0406C B3.6.1-B3.6.2, B4.1.160), and the TLB
// maintenance it asks for.
#include <memory>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/mmio.hpp"
#include "mm/stage2.hpp"

using namespace mv;

namespace {

constexpr u64 POOL_PHYS = 0x70000000;  // where the fake pool "is"
constexpr u32 PAGE = 4096, BLOCK = 2u << 20;

class Lab3 : public mvtest::HostTest {
protected:
    static constexpr u32 TABLES = 16;
    std::unique_ptr<u64[]> storage{new u64[TABLES * 512]()};
    TablePool pool;
    Stage2 s2;
    S2Attrs rw{true, true, true, false};

    void SetUp() override {
        HostTest::SetUp();
        pool.init(storage.get(), TABLES, POOL_PHYS);
        ASSERT_TRUE(s2.init(pool, 7, TABLES));
        cpu().tlb_vmid_flushes.clear();
    }
    // The raw entries, walked by the test itself.
    u64 l1(u32 gpa) { return pool.table(s2.vttbr() & 0xfffffffff000ull)[gpa >> 30]; }
    u64 l2(u32 gpa) { return pool.table(l1(gpa) & lpae::ADDR_MASK)[(gpa >> 21) & 511]; }
    u64 l3(u32 gpa) { return pool.table(l2(gpa) & lpae::ADDR_MASK)[(gpa >> 12) & 511]; }
    u64 pa_of(u32 gpa) {
        u64 pa = 0;
        S2Attrs a;
        return s2.translate(gpa, pa, a) ? pa : ~0ull;
    }
};

TEST(Stage2Descriptor, BitsOfAPage) {
    u64 d = s2_leaf(0x48123000, S2Attrs{true, true, true, false}, 3);
    EXPECT_EQ(d & 3, 3u) << "bits 1:0 = 0b11: a page at level 3";
    EXPECT_EQ(d & lpae::ADDR_MASK, 0x48123000u) << "output address in bits 39:12";
    EXPECT_EQ((d >> 2) & 0xf, 0xfu) << "MemAttr[3:0] = 0b1111: normal, outer and inner write-back";
    EXPECT_EQ((d >> 6) & 3, 3u) << "HAP[2:1] = 0b11: read and write";
    EXPECT_EQ((d >> 8) & 3, 3u) << "SH[1:0] = 0b11: inner shareable";
    EXPECT_EQ((d >> 10) & 1, 1u) << "AF: accessed, or the first access faults";
    EXPECT_EQ((d >> 54) & 1, 0u) << "XN clear: executable";
    EXPECT_EQ(d >> 55, 0u) << "nothing above XN";
}

TEST(Stage2Descriptor, BitsOfABlockAndOfDeviceMemory) {
    u64 b = s2_leaf(0x48200000, S2Attrs{true, false, false, false}, 2);
    EXPECT_EQ(b & 3, 1u) << "bits 1:0 = 0b01: a block at level 2";
    EXPECT_EQ((b >> 6) & 3, 1u) << "HAP = 0b01: read-only";
    EXPECT_EQ((b >> 54) & 1, 1u) << "XN set: not executable";
    u64 d = s2_leaf(0x09000000, S2Attrs{true, true, false, true}, 3);
    EXPECT_EQ((d >> 2) & 0xf, 0x1u) << "MemAttr = 0b0001: Device-nGnRE";
    EXPECT_EQ((d >> 8) & 3, 0u) << "device memory: no shareability attribute";
    EXPECT_EQ((s2_leaf(0x1000, S2Attrs{false, true, true, false}, 3) >> 6) & 3, 2u) << "HAP = 0b10: write-only";
}

TEST(Stage2Descriptor, AttributesRoundTrip) {
    for (int bits = 0; bits < 16; ++bits) {
        S2Attrs a{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0};
        EXPECT_TRUE(s2_attrs(s2_leaf(0x40000000, a, 3)) == a) << "attribute bits " << bits;
        EXPECT_TRUE(s2_attrs(s2_leaf(0x40000000, a, 2)) == a) << "attribute bits " << bits << " (block)";
    }
}

TEST_F(Lab3, VttbrNamesTheTableAndTheVmid) {
    EXPECT_EQ(s2.vttbr() >> 48, 7u) << "VMID in bits 55:48";
    EXPECT_EQ(s2.vttbr() & 0xffffffffffffull, POOL_PHYS) << "the level-1 table, from the pool";
    ASSERT_EQ(s2.map(0x80000000, 0x48000000, PAGE, rw), S2Status::ok);
    EXPECT_EQ(l1(0x80000000) & 3, 3u) << "level-1 entry 2 (GiB 2) became a table descriptor";
    EXPECT_EQ(l1(0x80000000) & lpae::ADDR_MASK, POOL_PHYS + PAGE) << "pointing at the next table from the pool";
    EXPECT_EQ(l1(0x40000000), 0u) << "the other GiBs stay invalid";
}

TEST_F(Lab3, AlignedRangesGetBlocksTheRestPages) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 4u << 20, rw), S2Status::ok);
    EXPECT_EQ(l1(0x40000000) & 3, 3u) << "level 1 is always a table";
    EXPECT_EQ(l2(0x40000000) & 3, 1u) << "a whole aligned 2 MiB: a block";
    EXPECT_EQ(l2(0x40200000) & 3, 1u);
    ASSERT_EQ(s2.map(0x40400000, 0x48400000, 3 * PAGE, rw), S2Status::ok);
    EXPECT_EQ(l2(0x40400000) & 3, 3u) << "less than 2 MiB: a level-3 table";
    EXPECT_EQ(l3(0x40402000) & lpae::ADDR_MASK, 0x48402000u);
    EXPECT_EQ(l3(0x40403000), 0u) << "nothing past the range";
    ASSERT_EQ(s2.map(0x40600000, 0x48700000, BLOCK, rw), S2Status::ok);
    EXPECT_EQ(l2(0x40600000) & 3, 3u) << "pa not 2 MiB aligned: pages, not a block";
}

TEST_F(Lab3, TranslateBlocksAndPages) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok);
    ASSERT_EQ(s2.map(0x40200000, 0x58001000, 2 * PAGE, S2Attrs{true, false, false, false}), S2Status::ok);
    EXPECT_EQ(pa_of(0x40123456), 0x48123456u) << "inside a block: offset kept";
    EXPECT_EQ(pa_of(0x40201abc), 0x58002abcu) << "inside a page: offset kept";
    EXPECT_EQ(pa_of(0x40202000), ~0ull) << "unmapped";
    EXPECT_EQ(pa_of(0x80000000), ~0ull) << "no table at all for GiB 2";
    u64 pa;
    S2Attrs a;
    ASSERT_TRUE(s2.translate(0x40200000, pa, a));
    EXPECT_FALSE(a.write) << "translate reports the page's attributes";
    EXPECT_FALSE(a.exec);
}

TEST_F(Lab3, RefusesBadRangesAndChangesNothing) {
    EXPECT_EQ(s2.map(0x40000800, 0x48000000, PAGE, rw), S2Status::unaligned);
    EXPECT_EQ(s2.map(0x40000000, 0x48000800, PAGE, rw), S2Status::unaligned);
    EXPECT_EQ(s2.map(0x40000000, 0x48000000, 100, rw), S2Status::unaligned);
    EXPECT_EQ(s2.map(0x40000000, 0x48000000, 0, rw), S2Status::unaligned);
    EXPECT_EQ(s2.map(0xfffff000, 0x48000000, 2 * PAGE, rw), S2Status::unaligned) << "wraps past 4 GiB";
    ASSERT_EQ(s2.map(0x40001000, 0x48001000, PAGE, rw), S2Status::ok);
    EXPECT_EQ(s2.map(0x40000000, 0x49000000, 4 * PAGE, rw), S2Status::overlap);
    EXPECT_EQ(pa_of(0x40000000), ~0ull) << "a refused map leaves nothing behind";
    EXPECT_EQ(pa_of(0x40001000), 0x48001000u) << "and keeps what was there";
}

TEST_F(Lab3, PartialUnmapSplitsTheBlock) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok);
    u32 free_before = pool.free_count();
    ASSERT_EQ(s2.unmap(0x40003000, 2 * PAGE), S2Status::ok);
    EXPECT_EQ(l2(0x40000000) & 3, 3u) << "the block became a table of pages";
    EXPECT_EQ(pool.free_count(), free_before - 1) << "one level-3 table from the pool";
    EXPECT_EQ(pa_of(0x40002fff), 0x48002fffu) << "the rest of the block is still mapped, same place";
    EXPECT_EQ(pa_of(0x40003000), ~0ull);
    EXPECT_EQ(pa_of(0x40004000), ~0ull);
    EXPECT_EQ(pa_of(0x40005000), 0x48005000u);
    EXPECT_EQ(pa_of(0x401ff000), 0x481ff000u);
    EXPECT_EQ(l3(0x40005000) & 0xffc, s2_leaf(0, rw, 3) & 0xffc) << "the pages keep the block's attributes";
}

TEST_F(Lab3, UnmapWholeBlocksAndHoles) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 2 * BLOCK, rw), S2Status::ok);
    u32 free_before = pool.free_count();
    ASSERT_EQ(s2.unmap(0x40000000, BLOCK), S2Status::ok);
    EXPECT_EQ(l2(0x40000000), 0u) << "a whole block goes without a split";
    EXPECT_EQ(pool.free_count(), free_before) << "no table taken";
    EXPECT_EQ(pa_of(0x40200000), 0x48200000u);
    EXPECT_EQ(s2.unmap(0x40000000, BLOCK), S2Status::ok) << "unmapping a hole is fine";
    EXPECT_EQ(s2.unmap(0x40000100, PAGE), S2Status::unaligned);
}

TEST_F(Lab3, BreakBeforeMakeFlushesTheVmid) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, PAGE, rw), S2Status::ok);
    EXPECT_TRUE(cpu().tlb_vmid_flushes.empty()) << "an invalid entry made valid needs no flush";
    ASSERT_EQ(s2.unmap(0x40000000, PAGE), S2Status::ok);
    ASSERT_EQ(cpu().tlb_vmid_flushes.size(), 2u)
        << "a valid page removed, then its emptied level-3 table unlinked: the TLB may hold either";
    EXPECT_EQ(cpu().tlb_vmid_flushes[0], 7) << "flush this VM's VMID";
    EXPECT_EQ(cpu().tlb_vmid_flushes[1], 7) << "flush this VM's VMID";
    ASSERT_EQ(s2.map(0x40200000, 0x48200000, BLOCK, rw), S2Status::ok);
    cpu().tlb_vmid_flushes.clear();
    ASSERT_EQ(s2.unmap(0x40200000, PAGE), S2Status::ok);
    EXPECT_GE(cpu().tlb_vmid_flushes.size(), 2u) << "split (block -> table) and unmap of the page: both flushed";
}

TEST_F(Lab3, PoolExhaustionIsReported) {
    TablePool tiny;
    std::unique_ptr<u64[]> two(new u64[2 * 512]());
    tiny.init(two.get(), 2, POOL_PHYS);
    Stage2 small;
    ASSERT_TRUE(small.init(tiny, 1, 2));  // level 1
    ASSERT_EQ(small.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok) << "level 2 from the pool";
    EXPECT_EQ(small.map(0x40200000, 0x48200000, PAGE, rw), S2Status::no_memory) << "no table left for level 3";
}

TEST_F(Lab3, QuotaExhaustionIsReported) {
    Stage2 capped;
    ASSERT_TRUE(capped.init(pool, 3, 3));  // level 1, a level 2 and one level 3: the pool has many more
    ASSERT_EQ(capped.map(0x40000000, 0x48000000, PAGE, rw), S2Status::ok) << "levels 2 and 3 within the quota of 3";
    EXPECT_EQ(capped.tables_used(), 3u) << "level 1, level 2, level 3";
    u32 free_before = pool.free_count();
    EXPECT_EQ(capped.map(0x40200000, 0x48200000, PAGE, rw), S2Status::no_memory)
        << "a second level-3 table is over the VM's quota, though the pool has " << free_before;
    EXPECT_EQ(pool.free_count(), free_before) << "a refused map takes no table from the pool";
    S2Attrs a;
    u64 pa;
    EXPECT_FALSE(capped.translate(0x40200000, pa, a)) << "and maps nothing";
}

TEST_F(Lab3, EmptiedTablesGoBackToThePool) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 2 * PAGE, rw), S2Status::ok);
    u32 used = s2.tables_used();
    ASSERT_EQ(s2.unmap(0x40000000, PAGE), S2Status::ok);
    EXPECT_EQ(s2.tables_used(), used) << "one page is left: its level-3 table stays";
    ASSERT_EQ(s2.unmap(0x40001000, PAGE), S2Status::ok);
    EXPECT_EQ(s2.tables_used(), used - 1) << "the last page went: free_if_empty() gives the level-3 table back";
    EXPECT_EQ(pool.free_count() + s2.tables_used(), TABLES) << "the table is in the pool again";
    ASSERT_EQ(s2.map(0x40200000, 0x48200000, BLOCK, rw), S2Status::ok);
    ASSERT_EQ(s2.unmap(0x40200000, PAGE), S2Status::ok) << "splits the block";
    ASSERT_EQ(s2.unmap(0x40201000, BLOCK - PAGE), S2Status::ok);
    EXPECT_EQ(s2.tables_used(), used - 1) << "a split block unmapped page by page leaves no table behind";
}

// --- MMIO decoding and emulation -----------------------------------------------------

// A data abort's ISS with a valid syndrome: SAS (size), SSE, SRT, WnR.
constexpr u32 iss(u32 sas, bool sse, u32 srt, bool write) {
    return (1u << 24) | (sas << 22) | (sse ? 1u << 21 : 0) | (srt << 16) | (write ? 1u << 6 : 0);
}

TEST(MmioDecode, EveryField) {
    MmioAccess a{};
    Hsr h = mvtest::decoded(0x24, iss(1, true, 5, false));
    ASSERT_TRUE(decode_mmio(h, 0x00090000u << 0, 0x12345ffcu, a));
    EXPECT_EQ(a.gpa, 0x09000ffcu) << "IPA bits 39:12 from HPFAR bits 31:4, bits 11:0 from HDFAR";
    EXPECT_EQ(a.size, 2u) << "SAS = 1: a halfword";
    EXPECT_TRUE(a.sign_extend) << "SSE";
    EXPECT_EQ(a.reg, 5u) << "SRT";
    EXPECT_FALSE(a.write);
    ASSERT_TRUE(decode_mmio(mvtest::decoded(0x24, iss(2, false, 14, true)), 0x00090000u, 0, a));
    EXPECT_EQ(a.size, 4u) << "SAS = 2: a word";
    EXPECT_EQ(a.reg, 14u);
    EXPECT_TRUE(a.write) << "WnR";
    ASSERT_TRUE(decode_mmio(mvtest::decoded(0x24, iss(0, false, 0, false)), 0x00090000u, 0, a));
    EXPECT_EQ(a.size, 1u) << "SAS = 0: a byte";
}

TEST(MmioDecode, NoSyndromeNoEmulation) {
    MmioAccess a{};
    EXPECT_FALSE(decode_mmio(mvtest::decoded(0x24, iss(2, false, 3, true) & ~(1u << 24)), 0x90000, 0, a))
        << "ISV = 0 (an LDM, STM or writeback access): the syndrome says nothing usable";
    EXPECT_FALSE(decode_mmio(mvtest::decoded(0x24, iss(3, false, 3, true)), 0x90000, 0, a))
        << "SAS = 0b11 is reserved in ARMv7 (there is no 8-byte access with a syndrome): refuse it";
}

TEST_F(Lab3, EmulatedUartLoadsAndStores) {
    auto trap = [&](u32 offset, u32 sas, bool sse, u32 srt, bool write, bool il = true) {
        cpu().set(reg::HPFAR, 0x00090000);
        cpu().set(reg::HDFAR, 0x09000000 + offset);
        return emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(sas, sse, srt, write), il));
    };
    guest_at(fake::RAM_BASE + 0x100);
    vcpu().r(4) = 0x1234567a;  // 'z' in the low byte
    ASSERT_TRUE(trap(0x000, 0, false, 4, true)) << "STRB to DR";
    EXPECT_NE(cpu().console.find('z'), std::string::npos) << "DR output reaches the console";
    EXPECT_EQ(vcpu().frame.elr, fake::RAM_BASE + 0x104u) << "skip the 32-bit store";
    ASSERT_TRUE(trap(0x018, 2, false, 2, false, false)) << "LDR of FR (16-bit Thumb encoding)";
    EXPECT_NE(vcpu().r(2) & (1u << 7), 0u) << "FR.TXFE set: the virtual FIFO is always empty";
    EXPECT_EQ(vcpu().frame.elr, fake::RAM_BASE + 0x106u) << "IL = 0: skip 2 bytes";
    ASSERT_TRUE(trap(0xffc, 0, true, 3, false)) << "LDRSB of PCellID3 (0xb1)";
    EXPECT_EQ(vcpu().r(3), 0xffffffb1u) << "sign-extended from bit 7";
    ASSERT_TRUE(trap(0xffc, 0, false, 3, false)) << "LDRB of PCellID3";
    EXPECT_EQ(vcpu().r(3), 0xb1u) << "zero-extended";
    vcpu().r(6) = 0xffff0050;
    ASSERT_TRUE(trap(0x038, 1, false, 6, true)) << "STRH to IMSC";
    ASSERT_TRUE(trap(0x038, 2, false, 7, false)) << "LDR of IMSC";
    EXPECT_EQ(vcpu().r(7), 0x50u) << "a halfword store writes the low 16 bits only";
}

TEST_F(Lab3, OnlyEmulatedDevicesAreEmulated) {
    guest_at(fake::RAM_BASE + 0x100);
    cpu().set(reg::HPFAR, 0x000a0000);
    cpu().set(reg::HDFAR, 0x0a000000);
    EXPECT_FALSE(emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(2, false, 1, false))))
        << "0x0a000000 is no device of this VM";
    cpu().set(reg::HPFAR, 0x00090000);
    cpu().set(reg::HDFAR, 0x09000000);
    EXPECT_FALSE(emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(2, false, 15, false))))
        << "a load into the PC is not emulated";
    // The PL011 is [0x09000000, 0x09001000): its last word is a device's, the next byte is not.
    cpu().set(reg::HPFAR, 0x00090010);
    cpu().set(reg::HDFAR, 0x09001000);
    EXPECT_FALSE(emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(0, false, 1, false))))
        << "0x09001000 is one byte past the emulated PL011 [0x09000000, 0x09001000)";
    cpu().set(reg::HPFAR, 0x0008fff0);
    cpu().set(reg::HDFAR, 0x08ffffff);
    EXPECT_FALSE(emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(0, false, 1, false))))
        << "0x08ffffff is one byte before it";
    EXPECT_EQ(vcpu().frame.elr, fake::RAM_BASE + 0x100u) << "nothing skipped";
    cpu().set(reg::HPFAR, 0x00090000);
    cpu().set(reg::HDFAR, 0x09000ffc);
    EXPECT_TRUE(emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(2, false, 1, false))))
        << "0x09000ffc, the PL011's last word (PCellID3), is emulated";
}

}  // namespace
