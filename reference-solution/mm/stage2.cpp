// SPDX-License-Identifier: MIT
// Lab 3: stage-2 translation tables: map, unmap, split, translate.
#include "mm/stage2.hpp"

#include "arch.hpp"

namespace mv {
namespace {

constexpr u32 PAGE = 1u << lpae::L3_SHIFT;
constexpr u64 TYPE_MASK = 3;

u32 index_of(u32 gpa, u32 level) {
    return level == 1 ? lpae::l1_index(gpa) : level == 2 ? lpae::l2_index(gpa) : lpae::l3_index(gpa);
}
bool is_table(u64 d, u32 level) { return level < 3 && (d & TYPE_MASK) == lpae::TABLE; }
bool is_leaf(u64 d, u32 level) { return (d & TYPE_MASK) == (level == 3 ? lpae::PAGE : lpae::BLOCK); }
// A range of at least one page that ends at 0xFFFF_FFFF at the latest.
bool in_4gib(u32 gpa, u32 size) { return size != 0 && static_cast<u64>(gpa) + size <= (1ull << 32); }

}  // namespace

u64 s2_leaf(u64 pa, const S2Attrs& a, u32 level) {
    u64 d = (pa & lpae::ADDR_MASK) | (level == 3 ? lpae::PAGE : lpae::BLOCK) | lpae::AF;
    if (a.read) d |= lpae::S2AP_R;
    if (a.write) d |= lpae::S2AP_W;
    if (!a.exec) d |= lpae::XN;
    return a.device ? d | lpae::S2_DEVICE : d | lpae::S2_NORMAL_WB | lpae::SH_INNER;
}

S2Attrs s2_attrs(u64 d) {
    S2Attrs a;
    a.read = (d & lpae::S2AP_R) != 0;
    a.write = (d & lpae::S2AP_W) != 0;
    a.exec = (d & lpae::XN) == 0;
    a.device = ((d >> 2) & 0xc) == 0;  // MemAttr[3:2] = 0b00: Device memory
    return a;
}

u64* Stage2::walk(u32 gpa, u32 level, bool create, u32* block_level) const {
    u64* table = pool_->table(l1_);
    for (u32 l = 1;; ++l) {
        u64* entry = &table[index_of(gpa, l)];
        if (l == level) return entry;
        if (is_leaf(*entry, l)) {
            if (block_level != nullptr) *block_level = l;
            return nullptr;
        }
        if (!is_table(*entry, l)) {
            if (!create) return nullptr;
            u64 next = alloc_table();
            if (next == 0) return nullptr;
            arch::write_descriptor(entry, next | lpae::TABLE);  // was invalid: nothing to break
        }
        table = pool_->table(*entry & lpae::ADDR_MASK);
    }
}

void Stage2::update(u64* entry, u64 value) const {
    if ((*entry & lpae::VALID) != 0) {
        arch::write_descriptor(entry, 0);  // break ...
        arch::flush_vmid_tlb(vmid_);   // ... no TLB keeps the old entry ...
    }
    arch::write_descriptor(entry, value);  // ... make
    arch::dsb_ish();
}

S2Status Stage2::split_block(u64* entry) {
    u64 block = *entry;
    u64 next = alloc_table();
    if (next == 0) return S2Status::no_memory;
    u64* pages = pool_->table(next);
    u64 pa = block & lpae::ADDR_MASK;
    S2Attrs a = s2_attrs(block);
    for (u32 i = 0; i < lpae::ENTRIES; ++i) pages[i] = s2_leaf(pa + static_cast<u64>(i) * PAGE, a, 3);
    update(entry, next | lpae::TABLE);
    return S2Status::ok;
}

S2Status Stage2::map(u32 gpa, u64 pa, u32 size, const S2Attrs& a) {
    if (((gpa | pa | size) & (PAGE - 1)) != 0 || !in_4gib(gpa, size)) return S2Status::unaligned;
    // Check first, so that a refused map changes nothing.
    for (u32 off = 0; off < size; off += PAGE) {
        u64 p;
        S2Attrs x;
        if (translate(gpa + off, p, x)) return S2Status::overlap;
    }
    for (u32 off = 0; off < size;) {
        u32 g = gpa + off;
        u64 p = pa + off;
        bool whole_block = (g % lpae::BLOCK_2M) == 0 && (p % lpae::BLOCK_2M) == 0 && size - off >= lpae::BLOCK_2M;
        if (whole_block) {
            u64* e = walk(g, 2, true);
            if (e == nullptr) return S2Status::no_memory;
            if (*e == 0) {  // an empty level-2 slot takes the block; an existing table gets pages
                update(e, s2_leaf(p, a, 2));
                off += lpae::BLOCK_2M;
                continue;
            }
        }
        u64* e = walk(g, 3, true);
        if (e == nullptr) return S2Status::no_memory;
        update(e, s2_leaf(p, a, 3));
        off += PAGE;
    }
    return S2Status::ok;
}

S2Status Stage2::unmap(u32 gpa, u32 size) {
    if ((gpa & (PAGE - 1)) != 0 || (size & (PAGE - 1)) != 0) return S2Status::unaligned;
    if (!in_4gib(gpa, size)) return S2Status::unaligned;  // size 0, or past 4 GiB: nothing changes
    for (u32 off = 0; off < size;) {
        u32 g = gpa + off;
        u32 block_level = 0;
        u64* e = walk(g, 3, false, &block_level);
        if (e == nullptr && block_level == 2) {
            u64* b = walk(g, 2, false);
            if ((g % lpae::BLOCK_2M) == 0 && size - off >= lpae::BLOCK_2M) {
                update(b, 0);  // the whole block goes
                off += lpae::BLOCK_2M;
                continue;
            }
            S2Status s = split_block(b);  // only part of it goes
            if (s != S2Status::ok) return s;
            e = walk(g, 3, false);
        }
        if (e != nullptr && (*e & lpae::VALID) != 0) update(e, 0);
        off += PAGE;
        // The last page of this range in its level-3 table: an empty table goes back to the pool.
        if (e != nullptr && ((g + PAGE) % lpae::BLOCK_2M == 0 || off == size)) free_if_empty(g);
    }
    return S2Status::ok;
}

void Stage2::free_if_empty(u32 gpa) {
    u64* l2 = walk(gpa, 2, false);
    if (l2 == nullptr || !is_table(*l2, 2)) return;
    u64 table = *l2 & lpae::ADDR_MASK;
    const u64* pages = pool_->table(table);
    for (u32 i = 0; i < lpae::ENTRIES; ++i)
        if (pages[i] != 0) return;
    update(l2, 0);  // no walk reaches the table any more, and no TLB holds it ...
    free_table(table);  // ... before it is reused
}

bool Stage2::translate(u32 gpa, u64& pa, S2Attrs& a) const {
    u32 block_level = 0;
    u64* e = walk(gpa, 3, false, &block_level);
    if (e == nullptr && block_level == 2) {
        u64 d = *walk(gpa, 2, false);
        pa = (d & lpae::ADDR_MASK & ~static_cast<u64>(lpae::BLOCK_2M - 1)) | (gpa & (lpae::BLOCK_2M - 1));
        a = s2_attrs(d);
        return true;
    }
    if (e == nullptr || !is_leaf(*e, 3)) return false;
    pa = (*e & lpae::ADDR_MASK) | (gpa & (PAGE - 1));
    a = s2_attrs(*e);
    return true;
}

}  // namespace mv
