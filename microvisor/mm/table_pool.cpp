// SPDX-License-Identifier: MIT
// A pool of 4 KiB translation tables. Free tables are linked through their first entry.
#include "mm/table_pool.hpp"

namespace mv {

void TablePool::init(u64* storage, u32 count, u64 phys_base) {
    storage_ = storage;
    phys_base_ = phys_base;
    next_free_ = 0;
    free_count_ = 0;
    for (u32 i = count; i-- > 0;) free(phys_base + static_cast<u64>(i) * TABLE_BYTES);
}

u64 TablePool::alloc() {
    if (next_free_ == 0) return 0;
    u32 index = next_free_ - 1;
    u64* t = storage_ + static_cast<usize>(index) * ENTRIES;
    next_free_ = static_cast<u32>(t[0]);
    for (u32 i = 0; i < ENTRIES; ++i) t[i] = 0;
    --free_count_;
    return phys_base_ + static_cast<u64>(index) * TABLE_BYTES;
}

void TablePool::free(u64 phys) {
    u32 index = static_cast<u32>((phys - phys_base_) / TABLE_BYTES);
    storage_[static_cast<usize>(index) * ENTRIES] = next_free_;
    next_free_ = index + 1;
    ++free_count_;
}

u64* TablePool::table(u64 phys) const {
    return storage_ + static_cast<usize>((phys - phys_base_) / TABLE_BYTES) * ENTRIES;
}

}  // namespace mv
