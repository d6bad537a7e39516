// SPDX-License-Identifier: MIT
// Lab 3 host tests: the stage-2 table code on fake memory, every descriptor
// bit against the ARM ARM (DDI 0406C B3.6.1-B3.6.2, B4.1.160), and the TLB
// maintenance it asks for, in order: arch::write_descriptor logs each
// descriptor write in fake::cpu().events, next to the barriers and TLB
// operations, and the tests check each change against break-before-make.
//
// Every function of mm/stage2.cpp lives in one translation unit, so a
// linker-level fake (ld --wrap) cannot stand in for a callee there. A test of
// a function that calls another lab function checks that callee first (a
// "gate") and, if it is wrong, fails naming the callee instead.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/mmio.hpp"
#include "kernel/registry.hpp"
#include "mm/stage2.hpp"

using namespace mv;

namespace mvtest {
/// The private steps of Stage2 (friend of Stage2), so that each has tests of its own.
struct Stage2Access {
    static u64* walk(const Stage2& s, u32 gpa, u32 level, bool create) { return s.walk(gpa, level, create); }
    static void update(const Stage2& s, u64* entry, u64 value) { s.update(entry, value); }
    static S2Status split_block(Stage2& s, u64* entry) { return s.split_block(entry); }
    static void free_if_empty(Stage2& s, u32 gpa) { s.free_if_empty(gpa); }
};
}  // namespace mvtest

namespace {

using mvtest::Stage2Access;

std::string H(u64 v) { return fake::hex(v); }

std::string joined(const std::vector<std::string>& events) {
    std::string all;
    for (const auto& e : events) all += (all.empty() ? "" : "; ") + e;
    return all.empty() ? "(nothing)" : all;
}

/// What is wrong with `events`, the log of one update() of the entry at
/// physical `phys` from `old` to `value` by a Stage2 of VMID `vmid`; "" if
/// nothing. The rule (ARM ARM B3.10.1, handout "Stage2::update"): a valid
/// entry is written 0, then the VMID's TLB is flushed, then the new value is
/// written; an invalid one is written once, with no flush; a DSB ISH ends it.
std::string bbm_problem(const std::vector<std::string>& events, u64 phys, u64 old, u64 value, u8 vmid) {
    const std::string pte = "pte " + H(phys) + " <- ", tlbi = "tlbi vmid " + H(vmid);
    std::vector<size_t> w;  // the writes of this entry
    size_t last_tlbi = 0;
    bool any_tlbi = false, other_vmid = false;
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].rfind(pte, 0) == 0) w.push_back(i);
        if (events[i] == tlbi) any_tlbi = true, last_tlbi = i;
        else if (events[i].rfind("tlbi vmid ", 0) == 0) other_vmid = true;
    }
    auto val = [&](size_t i) { return std::stoull(events[i].substr(pte.size()), nullptr, 16); };
    if (w.empty())
        return "the entry at " + H(phys) + " was never written with arch::write_descriptor (a plain store is "
               "not single-copy atomic, and the log cannot see it)";
    if (val(w.back()) != value)
        return "the last write of the entry is " + H(val(w.back())) + ", not the new value " + H(value);
    if ((old & lpae::VALID) == 0) {
        if (w.size() != 1)
            return "the entry was invalid (" + H(old) + "): one write, of the new value, is all it takes; saw " +
                   std::to_string(w.size());
        if (any_tlbi || other_vmid) return "the entry was invalid: no TLB can hold it, so there is nothing to flush";
    } else {
        if (val(w[0]) != 0)
            return "the entry was valid (" + H(old) + "): break first, write 0 before anything else; the first "
                   "write was " + H(val(w[0]));
        if (w.size() > 2 || (w.size() == 1 && value != 0))
            return "break (write 0) and make (write the new value): two writes of the entry, saw " +
                   std::to_string(w.size());
        size_t end = w.size() == 2 ? w[1] : events.size();
        bool between = false;
        for (size_t i = w[0] + 1; i < end; ++i) between = between || events[i] == tlbi;
        if (!between) {
            if (other_vmid && !any_tlbi) return "flushed another VMID's TLB entries: this Stage2's VMID is " + H(vmid);
            for (size_t i = 0; i < w[0]; ++i)
                if (events[i] == tlbi)
                    return "the TLB was flushed before the entry was zeroed: a walk between the flush and the "
                           "write can load the old entry into the TLB again";
            return "no arch::flush_vmid_tlb(" + H(vmid) + ") between the break (write 0) and the make (write " +
                   H(value) + "): a TLB may keep the old entry";
        }
    }
    size_t after = std::max(w.back(), any_tlbi ? last_tlbi : size_t{0});
    for (size_t i = after + 1; i < events.size(); ++i)
        if (events[i] == "dsb ish") return "";
    return "no arch::dsb_ish() after the last write: the table walker may not see the new entry before the guest runs";
}

/// A descriptor of the attributes `a`, built here from lpae.hpp, without s2_leaf.
u64 leaf(u64 pa, const S2Attrs& a, u32 level) {
    u64 d = (pa & lpae::ADDR_MASK) | (level == 3 ? lpae::PAGE : lpae::BLOCK) | lpae::AF;
    d |= (a.read ? lpae::S2AP_R : 0) | (a.write ? lpae::S2AP_W : 0) | (a.exec ? 0 : lpae::XN);
    return d | (a.device ? lpae::S2_DEVICE : lpae::S2_NORMAL_WB | lpae::SH_INNER);
}

/// "" if s2_leaf and s2_attrs are right for `a` at both levels, else what is wrong.
std::string leaf_problem(const S2Attrs& a) {
    for (u32 level : {2u, 3u}) {
        u64 want = leaf(0x48200000, a, level);
        if (s2_leaf(0x48200000, a, level) != want)
            return "s2_leaf(0x48200000, ..., " + std::to_string(level) + ") gave " + H(s2_leaf(0x48200000, a, level)) +
                   ", not " + H(want) + " (test Stage2Descriptor.*)";
        if (!(s2_attrs(want) == a))
            return "s2_attrs(" + H(want) + ") does not read back its attributes (test Stage2Descriptor.*)";
    }
    return "";
}

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
        // The events name an entry of the pool by its physical address.
        cpu().descriptor_address = [this](const u64* e) { return phys_of(e); };
        cpu().events.clear();
    }
    void TearDown() override {
        cpu().descriptor_address = nullptr;
        cpu().on_descriptor_write = nullptr;
    }
    u64 phys_of(const u64* e) const {
        auto off = reinterpret_cast<uintptr_t>(e) - reinterpret_cast<uintptr_t>(storage.get());
        return off < TABLES * 4096ull ? POOL_PHYS + off : reinterpret_cast<uintptr_t>(e);
    }
    /// The pointer to an entry, walked by the test itself.
    u64* l2_entry(u32 gpa) { return &pool.table(l1(gpa) & lpae::ADDR_MASK)[(gpa >> 21) & 511]; }
    u64* l3_entry(u32 gpa) { return &pool.table(l2(gpa) & lpae::ADDR_MASK)[(gpa >> 12) & 511]; }
    /// "" if update() is right (checked on a table of its own from the pool), else what is wrong.
    std::string update_problem() {
        u64 t = pool.alloc();
        if (t == 0) return "(the test's pool is empty)";
        u64* e = &pool.table(t)[1];
        std::string p;
        for (u64 v : {leaf(0x48000000, rw, 3), leaf(0x48001000, rw, 3), u64{0}}) {
            u64 old = *e;
            cpu().events.clear();
            Stage2Access::update(s2, e, v);
            if (p.empty() && !(p = bbm_problem(cpu().events, t + 8, old, v, 7)).empty())
                p = "update(" + H(old) + " -> " + H(v) + "): " + p + " (test Lab3.UpdateIsBreakBeforeMake)";
        }
        pool.free(t);
        cpu().events.clear();
        cpu().tlb_vmid_flushes.clear();
        return p;
    }
    /// "" if split_block() is right for a read-only, no-execute block (and update() too), else what is wrong.
    std::string split_problem() {
        const S2Attrs ro{true, false, false, false};
        if (std::string p = leaf_problem(ro); !p.empty()) return p;
        if (std::string p = update_problem(); !p.empty()) return p;
        Stage2 scratch;
        if (!scratch.init(pool, 7, 2)) return "(the test's pool is empty)";
        u64 t = pool.alloc();
        u64* e = &pool.table(t)[0];
        *e = leaf(0x48200000, ro, 2);
        std::string p;
        if (Stage2Access::split_block(scratch, e) != S2Status::ok || (*e & 3) != lpae::TABLE)
            p = "split_block() of the block " + H(leaf(0x48200000, ro, 2)) + " did not give a table";
        for (u32 i = 0; p.empty() && i < 512; ++i)
            if (pool.table(*e & lpae::ADDR_MASK)[i] != leaf(0x48200000 + i * PAGE, ro, 3))
                p = "split_block(): page " + std::to_string(i) + " of the new table is wrong";
        if (!p.empty()) p += " (tests Lab3.SplitKeepsEveryAttribute, Lab3.SplitFillsTheTableBeforeLinkingIt)";
        if ((*e & 3) == lpae::TABLE) pool.free(*e & lpae::ADDR_MASK);
        pool.free(t);
        pool.free(scratch.vttbr() & lpae::ADDR_MASK);
        cpu().events.clear();
        cpu().tlb_vmid_flushes.clear();
        return p;
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
    EXPECT_EQ(H(pa_of(0x40123456)), H(0x48123456u)) << "inside a block: offset kept";
    EXPECT_EQ(H(pa_of(0x40201abc)), H(0x58002abcu)) << "inside a page: offset kept";
    EXPECT_EQ(H(pa_of(0x40202000)), H(~0ull)) << "unmapped";
    EXPECT_EQ(H(pa_of(0x80000000)), H(~0ull)) << "no table at all for GiB 2";
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
    EXPECT_EQ(H(pa_of(0x40000000)), H(~0ull)) << "a refused map leaves nothing behind";
    EXPECT_EQ(H(pa_of(0x40001000)), H(0x48001000u)) << "and keeps what was there";
}

TEST_F(Lab3, PartialUnmapSplitsTheBlock) {
    if (std::string p = split_problem(); !p.empty())
        FAIL() << "unmap() splits blocks with split_block(), which is wrong: " << p;
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok);
    u32 free_before = pool.free_count();
    ASSERT_EQ(s2.unmap(0x40003000, 2 * PAGE), S2Status::ok);
    EXPECT_EQ(l2(0x40000000) & 3, 3u) << "the block became a table of pages";
    EXPECT_EQ(pool.free_count(), free_before - 1) << "one level-3 table from the pool";
    EXPECT_EQ(H(pa_of(0x40002fff)), H(0x48002fffu)) << "the rest of the block is still mapped, same place";
    EXPECT_EQ(H(pa_of(0x40003000)), H(~0ull));
    EXPECT_EQ(H(pa_of(0x40004000)), H(~0ull));
    EXPECT_EQ(H(pa_of(0x40005000)), H(0x48005000u));
    EXPECT_EQ(H(pa_of(0x401ff000)), H(0x481ff000u));
    EXPECT_EQ(l3(0x40005000) & 0xffc, s2_leaf(0, rw, 3) & 0xffc) << "the pages keep the block's attributes";
}

TEST_F(Lab3, UnmapWholeBlocksAndHoles) {
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 2 * BLOCK, rw), S2Status::ok);
    u32 free_before = pool.free_count();
    ASSERT_EQ(s2.unmap(0x40000000, BLOCK), S2Status::ok);
    EXPECT_EQ(l2(0x40000000), 0u) << "a whole block goes without a split";
    EXPECT_EQ(pool.free_count(), free_before) << "no table taken";
    EXPECT_EQ(H(pa_of(0x40200000)), H(0x48200000u));
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

TEST(Stage2Descriptor, DeviceMeansMemAttrBits5To4Clear) {
    // Stage-2 MemAttr[3:2] (descriptor bits 5:4) = 0b00 is Device memory, whatever MemAttr[1:0] says
    // (ARM ARM B3.6.2, "Stage 2 memory region attributes"); any other value is Normal memory.
    for (u32 memattr = 0; memattr < 16; ++memattr) {
        u64 d = 0x48000000 | lpae::PAGE | lpae::AF | lpae::S2AP_R | lpae::s2_memattr(memattr);
        EXPECT_EQ(s2_attrs(d).device, (memattr >> 2) == 0)
            << "s2_attrs(" << H(d) << "): MemAttr = " << H(memattr) << " is "
            << ((memattr >> 2) == 0 ? "Device" : "Normal") << " memory: read MemAttr[3:2], descriptor bits 5:4";
    }
}

TEST(Stage2Descriptor, EveryFieldOfABlock) {
    u64 b = s2_leaf(0xab48200000ull, S2Attrs{true, false, false, false}, 2);
    EXPECT_EQ(H(b & lpae::ADDR_MASK), H(0xab48200000ull)) << "s2_leaf: output address, bits 39:12, all 40 bits of it";
    EXPECT_EQ(H((b >> 2) & 0xf), H(0xf)) << "s2_leaf, block: MemAttr = 0b1111, normal write-back";
    EXPECT_EQ(H((b >> 8) & 3), H(3)) << "s2_leaf, block: SH = 0b11, inner shareable";
    EXPECT_EQ(H((b >> 10) & 1), H(1)) << "s2_leaf, block: AF";
    EXPECT_EQ(H(b >> 55), H(0)) << "s2_leaf, block: nothing above XN";
    EXPECT_EQ(H(s2_leaf(0x48200000, S2Attrs{true, true, true, true}, 2)),
              H(0x48200000 | lpae::BLOCK | lpae::AF | lpae::S2AP_R | lpae::S2AP_W | lpae::S2_DEVICE))
        << "s2_leaf: an executable device block, read/write: no SH, no XN";
    EXPECT_EQ(H(s2_leaf(0x148201000ull, S2Attrs{false, false, false, false}, 3)),
              H(0x148201000ull | lpae::PAGE | lpae::AF | lpae::XN | lpae::S2_NORMAL_WB | lpae::SH_INNER))
        << "s2_leaf: a page with no access at all (HAP = 0b00), above 4 GiB";
}

TEST_F(Lab3, UpdateIsBreakBeforeMake) {
    u64 t = pool.alloc();
    u64* e = &pool.table(t)[3];
    const u64 phys = t + 3 * 8, page = leaf(0x48001000, rw, 3), other = leaf(0x48002000, rw, 3);
    struct Step {
        u64 old, value;
        const char* what;
    } steps[] = {
        {0, page, "an invalid entry made valid"},
        {page, other, "a valid page replaced by another"},
        {other, 0, "a valid page removed"},
        {0x70003000 | lpae::TABLE, page, "a table descriptor (valid too) replaced by a page"},
        {0x48001002, page, "an invalid entry with other bits set (bit 0 clear) made valid"},
    };
    for (const Step& st : steps) {
        *e = st.old;
        cpu().events.clear();
        Stage2Access::update(s2, e, st.value);
        EXPECT_EQ(H(*e), H(st.value)) << "update(): " << st.what << ": the entry must hold the new value";
        std::string p = bbm_problem(cpu().events, phys, st.old, st.value, 7);
        if (!p.empty())
            ADD_FAILURE() << "update() of the entry at " << H(phys) << ", " << st.what << " (" << H(st.old) << " -> "
                          << H(st.value) << "): " << p << "\n  events: " << joined(cpu().events);
    }
    // Another VM's Stage2: its own VMID in the flush.
    Stage2 other_vm;
    ASSERT_TRUE(other_vm.init(pool, 0x2a, 4));
    *e = page;
    cpu().events.clear();
    Stage2Access::update(other_vm, e, other);
    std::string p = bbm_problem(cpu().events, phys, page, other, 0x2a);
    if (!p.empty())
        ADD_FAILURE() << "update() in the Stage2 of VMID 0x2a: " << p << "\n  events: " << joined(cpu().events);
}

TEST_F(Lab3, SplitFillsTheTableBeforeLinkingIt) {
    if (std::string p = leaf_problem({true, false, false, false}); !p.empty())
        FAIL() << "split_block() copies the block's attributes with s2_attrs and s2_leaf, which are wrong: " << p;
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "split_block() links the table with update(), which is wrong: " << p;
    u64 t = pool.alloc();
    u64* e = &pool.table(t)[1];
    const u64 block = leaf(0x48200000, S2Attrs{true, false, false, false}, 2);
    *e = block;
    int filled_at_link = -1;
    cpu().on_descriptor_write = [&](const u64* entry, u64 v) {
        if (entry != e || (v & 3) != lpae::TABLE) return;
        const u64* pages = pool.table(v & lpae::ADDR_MASK);
        filled_at_link = 0;
        for (u32 i = 0; i < 512; ++i)
            filled_at_link += pages[i] == leaf(0x48200000 + i * PAGE, {true, false, false, false}, 3);
    };
    u32 used = s2.tables_used();
    cpu().events.clear();
    ASSERT_EQ(Stage2Access::split_block(s2, e), S2Status::ok) << "split_block() of the block " << H(block);
    ASSERT_EQ(H(*e & 3), H(lpae::TABLE)) << "split_block(): the level-2 entry points at a table afterwards";
    EXPECT_EQ(s2.tables_used(), used + 1) << "split_block(): one table, from alloc_table()";
    EXPECT_EQ(filled_at_link, 512)
        << "split_block() pointed the entry at the new table when " << filled_at_link
        << " of its 512 pages were right (-1: the entry was not written with arch::write_descriptor): fill the "
           "whole table first, a walk may use it from the moment the entry points at it";
    std::string p = bbm_problem(cpu().events, t + 8, block, *e, 7);
    if (!p.empty()) ADD_FAILURE() << "split_block(): the level-2 entry goes from block to table with update(): " << p
                     << "\n  events: " << joined(cpu().events);
}

TEST_F(Lab3, SplitKeepsEveryAttribute) {
    const S2Attrs kinds[] = {{true, false, false, false}, {true, true, false, true}, {false, true, true, false}};
    const char* names[] = {"read-only, no-execute", "device, no-execute", "write-only"};
    for (int k = 0; k < 3; ++k) {
        if (std::string p = leaf_problem(kinds[k]); !p.empty())
            FAIL() << "split_block() copies the block's attributes with s2_attrs and s2_leaf, which are wrong: " << p;
    }
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "split_block() links the table with update(), which is wrong: " << p;
    for (int k = 0; k < 3; ++k) {
        u64 t = pool.alloc();
        u64* e = &pool.table(t)[0];
        u64 base = 0x148400000ull + k * BLOCK;  // above 4 GiB: all 40 bits of the address
        *e = leaf(base, kinds[k], 2);
        ASSERT_EQ(Stage2Access::split_block(s2, e), S2Status::ok) << "split_block() of a " << names[k] << " block";
        ASSERT_EQ(H(*e & 3), H(lpae::TABLE)) << "split_block(): the level-2 entry points at a table afterwards";
        const u64* pages = pool.table(*e & lpae::ADDR_MASK);
        for (u32 i = 0; i < 512; ++i) {
            u64 want = leaf(base + i * PAGE, kinds[k], 3);
            if (pages[i] != want) {
                ADD_FAILURE()
                    << "split_block() of the " << names[k] << " block " << H(leaf(base, kinds[k], 2)) << ": page " << i
                    << " is " << H(pages[i]) << ", not " << H(want)
                    << " (page i maps base + i * 4 KiB with every attribute of the block: HAP, XN, MemAttr, SH)";
                break;
            }
        }
    }
}

TEST_F(Lab3, MapPutsPagesInAnExistingTable) {
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "map() writes every entry with update(), which is wrong: " << p;
    ASSERT_NE(Stage2Access::walk(s2, 0x40000000, 3, true), nullptr) << "walk(0x40000000, 3, create) makes the tables";
    const u64 table = l2(0x40000000);
    ASSERT_EQ(H(table & 3), H(lpae::TABLE)) << "walk(0x40000000, 3, create): the level-2 entry is a table";
    u32 used = s2.tables_used();
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok)
        << "map() of the 2 MiB under a level-3 table with no valid page: nothing is mapped there";
    EXPECT_EQ(H(l2(0x40000000)), H(table))
        << "map() wrote a block over a level-2 entry that points to a table (the table would leak, and its "
           "quota with it): a block only where the level-2 entry is 0, pages in the table otherwise";
    EXPECT_EQ(s2.tables_used(), used) << "map(): no new table";
    for (u32 gpa : {0x40000000u, 0x40001000u, 0x401ff000u})
        EXPECT_EQ(H(pa_of(gpa + 0x123)), H(0x48000123u + (gpa - 0x40000000))) << "map(): the page at " << H(gpa);
}

TEST_F(Lab3, MapInsideABlockIsAnOverlap) {
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "map() writes every entry with update(), which is wrong: " << p;
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, BLOCK, rw), S2Status::ok);
    const u64 block = l2(0x40000000);
    u32 used = s2.tables_used();
    cpu().events.clear();
    EXPECT_EQ(s2.map(0x40100000, 0x49000000, PAGE, rw), S2Status::overlap)
        << "map() of a page inside a block: it is mapped already (a block maps every page it covers)";
    EXPECT_EQ(s2.map(0x40000000, 0x49000000, BLOCK, rw), S2Status::overlap) << "map() of the same 2 MiB again";
    EXPECT_EQ(s2.map(0x3ff00000, 0x49000000, BLOCK, rw), S2Status::overlap)
        << "map() of [0x3ff00000, 0x40100000): its second half is in the block";
    EXPECT_EQ(H(l2(0x40000000)), H(block)) << "a refused map() leaves the block as it was";
    EXPECT_EQ(H(pa_of(0x3ff00000)), H(~0ull)) << "a refused map() maps nothing";
    EXPECT_EQ(s2.tables_used(), used) << "a refused map() takes no table";
    EXPECT_EQ(joined(cpu().events), "(nothing)") << "a refused map() writes no entry";
}

TEST_F(Lab3, MapUpToTheLastByte) {
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "map() writes every entry with update(), which is wrong: " << p;
    ASSERT_EQ(s2.map(0xffe00000, 0x100200000ull, BLOCK, rw), S2Status::ok)
        << "map() of the last 2 MiB, [0xffe00000, 0xffffffff]: it ends at the last byte, it does not wrap";
    EXPECT_EQ(H(l2(0xffe00000) & 3), H(lpae::BLOCK)) << "map(): the last 2 MiB as a block";
    EXPECT_EQ(H(pa_of(0xffffffff)), H(0x1003fffffull)) << "translate(0xffffffff) in the block";
    Stage2 other;
    ASSERT_TRUE(other.init(pool, 9, 4));
    ASSERT_EQ(other.map(0xfffff000, 0xab45678000ull, PAGE, rw), S2Status::ok) << "map() of the last page";
    u64 pa = 0;
    S2Attrs a;
    ASSERT_TRUE(other.translate(0xffffffff, pa, a)) << "translate(0xffffffff) in the last page";
    EXPECT_EQ(H(pa), H(0xab45678fffull)) << "translate(): a 40-bit output address, kept in 64 bits";
    EXPECT_EQ(other.map(0xffffe000, 0x48000000, 2 * PAGE, rw), S2Status::overlap) << "the last page is mapped now";
}

TEST_F(Lab3, TranslateGivesEveryField) {
    const S2Attrs page_attrs{true, false, false, true}, block_attrs{true, true, false, false};
    for (const S2Attrs& a : {page_attrs, block_attrs, S2Attrs{false, true, true, false}})
        if (std::string p = leaf_problem(a); !p.empty())
            FAIL() << "translate() reads the attributes with s2_attrs (map() writes them with s2_leaf): " << p;
    ASSERT_EQ(s2.map(0x40000000, 0x140000000ull, BLOCK, block_attrs), S2Status::ok);
    ASSERT_EQ(s2.map(0x40200000, 0xab48001000ull, PAGE, page_attrs), S2Status::ok);
    ASSERT_EQ(s2.map(0x40201000, 0x48002000, PAGE, S2Attrs{false, true, true, false}), S2Status::ok);
    struct Case {
        u32 gpa;
        u64 pa;
        S2Attrs a;
    } cases[] = {{0x401fffff, 0x1401fffffull, block_attrs},
                 {0x40000000, 0x140000000ull, block_attrs},
                 {0x40200abc, 0xab48001abcull, page_attrs},
                 {0x40201fff, 0x48002fffull, {false, true, true, false}}};
    for (const Case& c : cases) {
        u64 pa = 0;
        S2Attrs a{!c.a.read, !c.a.write, !c.a.exec, !c.a.device};
        ASSERT_TRUE(s2.translate(c.gpa, pa, a)) << "translate(" << H(c.gpa) << ")";
        EXPECT_EQ(H(pa), H(c.pa)) << "translate(" << H(c.gpa) << "): the output address and gpa's offset";
        EXPECT_EQ(a.read, c.a.read) << "translate(" << H(c.gpa) << "): read";
        EXPECT_EQ(a.write, c.a.write) << "translate(" << H(c.gpa) << "): write";
        EXPECT_EQ(a.exec, c.a.exec) << "translate(" << H(c.gpa) << "): exec";
        EXPECT_EQ(a.device, c.a.device) << "translate(" << H(c.gpa) << "): device";
    }
}

TEST_F(Lab3, UnmapFromTheMiddleOfABlock) {
    if (std::string p = split_problem(); !p.empty())
        FAIL() << "unmap() splits blocks with split_block(), which is wrong: " << p;
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 2 * BLOCK, rw), S2Status::ok);
    ASSERT_EQ(s2.unmap(0x40100000, BLOCK), S2Status::ok)
        << "unmap() of [0x40100000, 0x40300000): the second half of one block and the first half of the next";
    for (u32 gpa : {0x40000000u, 0x400ff000u, 0x40300000u, 0x403ff000u})
        EXPECT_EQ(H(pa_of(gpa)), H(0x48000000u + (gpa - 0x40000000))) << "unmap(): " << H(gpa)
            << " is outside the range and stays mapped (a block goes whole only when its first page is gpa + off, "
               "2 MiB aligned, and 2 MiB are left; else split it)";
    for (u32 gpa : {0x40100000u, 0x401ff000u, 0x40200000u, 0x402ff000u})
        EXPECT_EQ(H(pa_of(gpa)), H(~0ull)) << "unmap(): " << H(gpa) << " is inside the range";
}

TEST_F(Lab3, UnmapChecksItsRange) {
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "unmap() writes every entry with update(), which is wrong: " << p;
    for (u32 gpa : {0x40000000u, 0xfffff000u, 0x00000000u})
        ASSERT_EQ(s2.map(gpa, 0x48000000u + (gpa >> 12 & 0xff000), PAGE, rw), S2Status::ok) << "map() of " << H(gpa);
    cpu().events.clear();
    EXPECT_EQ(s2.unmap(0x40000000, 0x800), S2Status::unaligned) << "unmap(): size 0x800 is no multiple of 4 KiB";
    EXPECT_EQ(s2.unmap(0x40000000, 0x1800), S2Status::unaligned) << "unmap(): size 0x1800 is no multiple of 4 KiB";
    EXPECT_EQ(s2.unmap(0x40000000, 0), S2Status::unaligned) << "unmap(): size 0 is refused, as map() refuses it";
    EXPECT_EQ(s2.unmap(0xfffff000, 2 * PAGE), S2Status::unaligned)
        << "unmap() of [0xfffff000, 0x00001000) wraps past 4 GiB: refused, as map() refuses it";
    EXPECT_EQ(joined(cpu().events), "(nothing)") << "a refused unmap() writes no entry";
    for (u32 gpa : {0x40000000u, 0xfffff000u, 0x00000000u})
        EXPECT_NE(H(pa_of(gpa)), H(~0ull)) << "a refused unmap() leaves " << H(gpa) << " mapped";
    EXPECT_EQ(s2.unmap(0xfffff000, PAGE), S2Status::ok) << "unmap() of the last page: it ends at 0xffffffff, no wrap";
    EXPECT_EQ(H(pa_of(0xfffff000)), H(~0ull)) << "unmap() of the last page removes it";
    EXPECT_NE(H(pa_of(0x00000000)), H(~0ull)) << "and not page 0";
}

TEST_F(Lab3, FreeIfEmptyUnlinksBeforeFreeing) {
    if (std::string p = update_problem(); !p.empty())
        FAIL() << "free_if_empty() unlinks the table with update(), which is wrong: " << p;
    ASSERT_EQ(s2.map(0x40000000, 0x48000000, 2 * PAGE, rw), S2Status::ok);
    u64* l2e = l2_entry(0x40000000);
    const u64 table = *l2e;
    *l3_entry(0x40000000) = 0;  // one page left: the table stays
    Stage2Access::free_if_empty(s2, 0x40000000);
    EXPECT_EQ(H(*l2e), H(table)) << "free_if_empty(): entry 1 of the level-3 table is still valid: keep the table";
    *l3_entry(0x40001000) = 0;
    u32 used = s2.tables_used(), free_before = pool.free_count();
    u32 free_at_unlink = ~0u;
    cpu().on_descriptor_write = [&](const u64* e, u64 v) {
        if (e == l2e && v == 0 && free_at_unlink == ~0u) free_at_unlink = pool.free_count();
    };
    cpu().events.clear();
    Stage2Access::free_if_empty(s2, 0x40000000);
    EXPECT_EQ(H(*l2e), H(0)) << "free_if_empty(): all 512 entries are 0: the level-2 entry goes";
    EXPECT_EQ(s2.tables_used(), used - 1) << "free_if_empty(): the table goes back with free_table()";
    EXPECT_EQ(free_at_unlink, free_before)
        << "free_if_empty() gave the table back before the level-2 entry stopped pointing at it (or wrote the entry "
           "without arch::write_descriptor): unlink first, then free_table(), or the next alloc_table() hands out a "
           "table a walk can still reach";
    std::string p = bbm_problem(cpu().events, phys_of(l2e), table, 0, 7);
    if (!p.empty())
        ADD_FAILURE() << "free_if_empty(): the level-2 entry goes with update(): " << p
                      << "\n  events: " << joined(cpu().events);
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

TEST(MmioDecode, EveryFieldOfEverySize) {
    for (u32 sas = 0; sas < 3; ++sas)
        for (u32 srt = 0; srt < 16; ++srt)
            for (int flags = 0; flags < 4; ++flags) {
                bool sse = (flags & 1) != 0, write = (flags & 2) != 0;
                MmioAccess a{0xdeadbeef, 99, !write, 99, !sse};
                u32 hsr_iss = iss(sas, sse, srt, write);
                ASSERT_TRUE(decode_mmio(mvtest::decoded(0x24, hsr_iss), 0xfffffff0u, 0x12345fffu, a))
                    << "decode_mmio(ISS " << H(hsr_iss) << ")";
                std::string at = "decode_mmio(ISS " + H(hsr_iss) + ", HPFAR 0xfffffff0, HDFAR 0x12345fff): ";
                EXPECT_EQ(H(a.gpa), H(0xffffffffu))
                    << at << "gpa: IPA bits 31:12 from HPFAR bits 27:4, 11:0 from HDFAR";
                EXPECT_EQ(a.size, 1u << sas) << at << "size = 1 << SAS (bits 23:22)";
                EXPECT_EQ(a.reg, srt) << at << "reg = SRT (bits 19:16)";
                EXPECT_EQ(a.sign_extend, sse) << at << "sign_extend = SSE (bit 21)";
                EXPECT_EQ(a.write, write) << at << "write = WnR (bit 6)";
                if (::testing::Test::HasFailure()) return;
            }
}

TEST(MmioDecode, RefusedAccessesFillInNothing) {
    for (u32 bad : {iss(2, false, 3, true) & ~(1u << 24), iss(3, true, 7, false)}) {
        MmioAccess a{0x12345678, 77, true, 11, true};
        EXPECT_FALSE(decode_mmio(mvtest::decoded(0x24, bad), 0x90000, 0x123, a)) << "decode_mmio(ISS " << H(bad) << ")";
        EXPECT_TRUE(a.gpa == 0x12345678 && a.size == 77 && a.write && a.reg == 11 && a.sign_extend)
            << "decode_mmio(ISS " << H(bad)
            << ") answered false and must fill in nothing, but changed the access to gpa " << H(a.gpa) << ", size "
            << a.size << ", reg " << a.reg;
    }
}

// A device registered for these tests only: 256 bytes from 0x0b000100, in the middle of a page, whose
// reads answer all 32 bits of `answer` whatever the size (a PL011 register is narrow already, and its
// IMSC masks what is written: neither shows a missing mask in emulate_mmio).
constexpr u32 PROBE_BASE = 0x0b000100, PROBE_SIZE = 0x100;
struct Probe {
    int reads = 0, writes = 0;
    Vm* vm = nullptr;
    u32 offset = 0, size = 0, value = 0, answer = 0;
} probe;
u32 probe_read(Vm& vm, u32 offset, u32 size) {
    ++probe.reads;
    probe.vm = &vm, probe.offset = offset, probe.size = size;
    return probe.answer;
}
void probe_write(Vm& vm, u32 offset, u32 size, u32 value) {
    ++probe.writes;
    probe.vm = &vm, probe.offset = offset, probe.size = size, probe.value = value;
}
MV_MMIO_DEVICE(probe, PROBE_BASE, PROBE_SIZE, probe_read, probe_write);

class Lab3Mmio : public Lab3 {
protected:
    void SetUp() override {
        Lab3::SetUp();
        probe = Probe{};
        guest_at(fake::RAM_BASE + 0x100);
    }
    // A trapped access of 1 << sas bytes at `gpa`; HDFAR holds the guest's virtual address, another page.
    bool trap(u32 gpa, u32 sas, bool sse, u32 srt, bool write, bool il = true) {
        cpu().set(reg::HPFAR, (gpa >> 12) << 4);
        cpu().set(reg::HDFAR, 0xc0000000 | (gpa & 0xfff));
        return emulate_mmio(vcpu(), mvtest::decoded(0x24, iss(sas, sse, srt, write), il));
    }
};

TEST_F(Lab3Mmio, DeviceRangeIsBaseToBasePlusSize) {
    vcpu().r(2) = 0x5a;
    struct Case {
        u32 gpa;
        bool inside;
    } cases[] = {{PROBE_BASE - 1, false}, {PROBE_BASE, true}, {PROBE_BASE + PROBE_SIZE - 1, true},
                 {PROBE_BASE + PROBE_SIZE, false}, {PROBE_BASE + 0x40, true}, {PROBE_BASE & ~0xfffu, false}};
    for (const Case& c : cases) {
        probe = Probe{};
        u32 elr = vcpu().frame.elr;
        bool got = trap(c.gpa, 0, false, 2, true);
        EXPECT_EQ(got, c.inside) << "emulate_mmio(): a byte store to " << H(c.gpa) << " is "
                                 << (c.inside ? "inside" : "outside") << " the device [" << H(PROBE_BASE) << ", "
                                 << H(PROBE_BASE + PROBE_SIZE) << "): [base, base + size), base + size excluded";
        if (c.inside) {
            EXPECT_EQ(probe.writes, 1) << "emulate_mmio(): one write() of the device for the store to " << H(c.gpa);
            EXPECT_EQ(H(probe.offset), H(c.gpa - PROBE_BASE))
                << "emulate_mmio(): offset = gpa - base, for " << H(c.gpa);
            EXPECT_EQ(probe.vm, &vm()) << "emulate_mmio(): the device's handler gets *vcpu.vm";
        } else {
            EXPECT_EQ(probe.writes + probe.reads, 0) << "emulate_mmio(): no device handler for " << H(c.gpa);
            EXPECT_EQ(H(vcpu().frame.elr), H(elr)) << "emulate_mmio() answered false for " << H(c.gpa)
                                                   << ": nothing changes, the PC included";
        }
    }
}

TEST_F(Lab3Mmio, StoresAreMaskedLoadsAreCut) {
    vcpu().r(5) = 0xa1b2c3d4;
    const u32 sizes[] = {1, 2, 4}, stored[] = {0xd4, 0xc3d4, 0xa1b2c3d4};
    for (u32 sas = 0; sas < 3; ++sas) {
        probe = Probe{};
        ASSERT_TRUE(trap(PROBE_BASE + 8, sas, false, 5, true)) << "emulate_mmio(): a store to the test's device";
        EXPECT_EQ(probe.size, sizes[sas]) << "emulate_mmio(): write() gets the access size";
        EXPECT_EQ(H(probe.value), H(stored[sas])) << "emulate_mmio(): a store of " << sizes[sas]
                                                  << " byte(s) from r5 = 0xa1b2c3d4 hands the device its low "
                                                  << sizes[sas] << " byte(s) only";
    }
    vcpu().set_reg(13, 0x13131313);
    probe = Probe{};
    ASSERT_TRUE(trap(PROBE_BASE, 2, false, 13, true));
    EXPECT_EQ(H(probe.value), H(0x13131313)) << "emulate_mmio(): a store from SRT = 13: vcpu.reg(13), SVC's banked SP";
    struct Load {
        u32 answer, sas;
        bool sse;
        u32 want;
    } loads[] = {{0x89abcdef, 0, false, 0xef},       {0x89abcdef, 0, true, 0xffffffef},
                 {0x89abcdef, 1, false, 0xcdef},     {0x89abcdef, 1, true, 0xffffcdef},
                 {0x89abcdef, 2, false, 0x89abcdef}, {0x12345678, 0, true, 0x78},
                 {0x12345678, 1, true, 0x5678},      {0x12348000, 1, true, 0xffff8000}};
    for (const Load& l : loads) {
        probe = Probe{};
        probe.answer = l.answer;
        u32 elr = vcpu().frame.elr;
        ASSERT_TRUE(trap(PROBE_BASE + 0x20, l.sas, l.sse, 14, false, l.sas == 0));
        EXPECT_EQ(probe.size, 1u << l.sas) << "emulate_mmio(): read() gets the access size";
        EXPECT_EQ(H(vcpu().reg(14)), H(l.want))
            << "emulate_mmio(): a load of " << (1u << l.sas) << " byte(s)" << (l.sse ? ", sign-extended (SSE)" : "")
            << ", of a device that answers " << H(l.answer) << ": cut to the size, then extend; into vcpu.set_reg(14)";
        EXPECT_EQ(H(vcpu().frame.elr), H(elr + (l.sas == 0 ? 4 : 2))) << "emulate_mmio(): skip hsr.instr_len() bytes";
    }
}

}  // namespace
