// SPDX-License-Identifier: MIT
// Lab 3: stage-2 translation tables: map, unmap, split, translate.
#include "mm/stage2.hpp"

#include "arch.hpp"
#include "lib/lab_todo.hpp"

namespace mv {

// Read mm/stage2.hpp (the drawing) and arch/armv7/lpae.hpp (every descriptor bit)
// first. A table's entries are u64; pool_->table(phys) gives the table at a
// physical address, alloc_table() a new zeroed one (0 when the VM's quota of
// tables or the pool is used up), free_table(phys) gives one back.
// Write every descriptor of a table the walker can reach with
// arch::write_descriptor(entry, value), never `*entry = value`: it is one
// 64-bit single-copy-atomic store (STRD, ARM ARM A3.5.3), where a plain store
// may be two, and the host tests' fake CPU logs each one in order with the
// barriers and TLB operations.

// A block (level 2) or page (level 3) descriptor (ARM ARM B3.6.1-B3.6.2):
// output address, type (BLOCK at level 2, PAGE at level 3), AF, HAP read and
// write (S2AP_R, S2AP_W), XN unless executable, and MemAttr: S2_DEVICE for
// device memory, else S2_NORMAL_WB plus SH_INNER.
u64 s2_leaf(u64 pa, const S2Attrs& a, u32 level) {
    MV_LAB_TODO(3);
}

// The reverse of s2_leaf for the permission and memory-type bits (device:
// MemAttr[3:2], bits 5:4, are 0b00).
S2Attrs s2_attrs(u64 descriptor) {
    MV_LAB_TODO(3);
}

// From the level-1 table down to `level`: at each level above it, a leaf
// (BLOCK) entry stops the walk (report its level in *block_level, return
// nullptr); a TABLE entry leads to the next table; an invalid entry gets a
// new table from alloc_table() when `create` (write its table descriptor,
// physical address | TABLE, with arch::write_descriptor), else the walk
// returns nullptr (nullptr too when alloc_table() has none). At `level`,
// return the entry's address (valid or not).
u64* Stage2::walk(u32 gpa, u32 level, bool create, u32* block_level) const {
    MV_LAB_TODO(3);
}

// Break-before-make, in this order: if *entry is valid, write 0, then flush
// the VMID's TLB (arch::flush_vmid_tlb); then write `value`; finish with
// arch::dsb_ish(). Every write with arch::write_descriptor.
void Stage2::update(u64* entry, u64 value) const {
    MV_LAB_TODO(3);
}

// Replace the block at *entry (a level-2 descriptor) with a new level-3 table
// (alloc_table(); none left: S2Status::no_memory)
// of 512 pages that map the same 2 MiB with the same attributes (all of
// them: read, write, exec and device, as s2_attrs reads them). Fill the whole
// table first (plain stores: no walk reaches it yet), and only then point the
// entry at it with update().
S2Status Stage2::split_block(u64* entry) {
    MV_LAB_TODO(3);
}

// Checks: gpa, pa and size multiples of 4 KiB, size > 0, no wrap past 4 GiB
// (the range may end at 0xFFFF_FFFF, not past it) (S2Status::unaligned);
// nothing in the range mapped yet, in a page or in a block (S2Status::overlap,
// and then nothing may change). Then map: a 2 MiB block where gpa and pa are
// 2 MiB aligned, at least 2 MiB is left and the level-2 entry is 0; pages
// everywhere else (in the table a level-2 entry points to, even an empty one). Every entry is written with update().
S2Status Stage2::map(u32 gpa, u64 pa, u32 size, const S2Attrs& a) {
    MV_LAB_TODO(3);
}

// The same checks of gpa and size as map() (multiples of 4 KiB, size > 0,
// no wrap past 4 GiB): S2Status::unaligned, and nothing changes.
// Unmap page by page, but a block wholly inside the range (gpa + off 2 MiB
// aligned and at least 2 MiB left) goes at once, and a block only partly
// inside is split first. Unmapped holes are fine. After the last page of
// the range in a level-3 table, call free_if_empty() for it: a map that
// shrinks gives its tables back.
S2Status Stage2::unmap(u32 gpa, u32 size) {
    MV_LAB_TODO(3);
}

// Scan the level-3 table under gpa's level-2 entry; if all 512 entries are 0,
// write the level-2 entry with update(entry, 0), then free_table() the table.
void Stage2::free_if_empty(u32 gpa) {
    MV_LAB_TODO(3);
}

// Walk to the page (or the block that covers gpa) and return its output
// address plus gpa's offset in it, and its attributes.
bool Stage2::translate(u32 gpa, u64& pa, S2Attrs& a) const {
    MV_LAB_TODO(3);
}

}  // namespace mv
