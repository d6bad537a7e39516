// SPDX-License-Identifier: MIT
// Stage-2 translation of one VM: LPAE tables from guest-physical to physical (Lab 3).
//
// The guest-physical (IPA) space is 32 bits, walked from level 1 (VTCR.SL0 = 1):
//
//   level 1: 4 entries of 1 GiB      -> always a table here
//   level 2: 512 entries of 2 MiB    -> a block, or a table
//   level 3: 512 entries of 4 KiB    -> pages
//
// map() uses a 2 MiB block wherever the range covers a whole aligned 2 MiB
// and pages elsewhere; unmap() of part of a block first splits the block into
// 512 pages. Every change to a live entry is break-before-make (ARM ARM
// B3.10.1): write an invalid entry, invalidate the VMID's TLB entries, then
// write the new one. Every descriptor of a live table is written with
// arch::write_descriptor (one 64-bit single-copy-atomic store).
#pragma once

#include "config/system_config.hpp"
#include "lib/types.hpp"
#include "arch/armv7/lpae.hpp"
#include "mm/table_pool.hpp"

namespace mvtest {
struct Stage2Access;  ///< the host tests' way to the private steps (walk, update, split_block...)
}

namespace mv {

/// What a stage-2 mapping allows, and what it is.
struct S2Attrs {
    bool read = true;
    bool write = true;
    bool exec = true;
    bool device = false;  ///< Device-nGnRE instead of normal write-back memory

    bool operator==(const S2Attrs&) const = default;
};

/// What a region of a system description allows, as stage-2 attributes.
constexpr S2Attrs region_attrs(const MemRegion& r) {
    return {true, r.writable, r.executable, r.kind == MemKind::Device};
}

enum class S2Status : i32 {
    ok = 0,
    unaligned = -1,  ///< gpa, pa or size not a multiple of 4 KiB; size 0; a range past 4 GiB
    no_memory = -2,  ///< the VM's quota of tables (or the pool) is used up
    overlap = -3,    ///< part of the range is mapped already (map)
};

/// The descriptor of a block (level 2) or page (level 3) mapping `pa` with `a`. (Lab 3)
u64 s2_leaf(u64 pa, const S2Attrs& a, u32 level);
/// The attributes a block or page descriptor grants. (Lab 3)
S2Attrs s2_attrs(u64 descriptor);

class Stage2 final {
public:
    /// Take a level-1 table from `pool`; the VM's TLB entries are tagged with
    /// `vmid`; it may hold `quota` tables at most, the level-1 table included.
    bool init(TablePool& pool, u8 vmid, u32 quota) {
        pool_ = &pool;
        vmid_ = vmid;
        quota_ = quota;
        used_ = 0;
        l1_ = alloc_table();
        return l1_ != 0;
    }

    /// Map guest-physical [gpa, gpa + size) to physical [pa, pa + size). (Lab 3)
    S2Status map(u32 gpa, u64 pa, u32 size, const S2Attrs& a);
    /// Remove every mapping in [gpa, gpa + size), splitting blocks that are only
    /// partly inside; the range is checked as map() checks it. (Lab 3)
    S2Status unmap(u32 gpa, u32 size);
    /// The physical address and attributes `gpa` maps to; false if unmapped. (Lab 3)
    bool translate(u32 gpa, u64& pa, S2Attrs& a) const;

    /// VTTBR for this address space: level-1 table and VMID (ARM ARM B4.1.160).
    u64 vttbr() const { return l1_ | (static_cast<u64>(vmid_) << 48); }
    u8 vmid() const { return vmid_; }
    /// Tables it holds now (its quota is the VM's config->table_quota).
    u32 tables_used() const { return used_; }

private:
    friend struct ::mvtest::Stage2Access;

    /// The entry for `gpa` at `level` (1-3), creating missing tables on the way
    /// when `create`; nullptr if absent (or the pool is empty), or if a block
    /// at a higher level covers `gpa` (then *block_level says which). (Lab 3)
    u64* walk(u32 gpa, u32 level, bool create, u32* block_level = nullptr) const;
    /// Replace the level-2 block `*entry` by a table of 512 pages mapping the same. (Lab 3)
    S2Status split_block(u64* entry);
    /// If the level-3 table that maps `gpa` has no valid entry left, unlink it
    /// (break-before-make) and give it back with free_table(). (Lab 3)
    void free_if_empty(u32 gpa);
    /// Break-before-make: `*entry = value` with the VMID's TLB entries invalidated in between. (Lab 3)
    void update(u64* entry, u64 value) const;

    /// A zeroed table's physical address, from the pool and within the VM's
    /// quota; 0 when either is used up. (Every table of the map comes from here.)
    u64 alloc_table() const {
        if (used_ == quota_) return 0;
        u64 t = pool_->alloc();
        if (t != 0) ++used_;
        return t;
    }
    /// Give a table the map no longer uses back to the pool.
    void free_table(u64 phys) const {
        pool_->free(phys);
        --used_;
    }

    TablePool* pool_ = nullptr;
    u64 l1_ = 0;  ///< physical address of the level-1 table
    u8 vmid_ = 0;
    u32 quota_ = 0;
    mutable u32 used_ = 0;  ///< a const walk() may still add tables: the map it describes is the same
};

}  // namespace mv
