// SPDX-License-Identifier: MIT
// A pool of 4 KiB translation tables (no heap: the storage is static, sized by the system).
#pragma once

#include "lib/types.hpp"

namespace mv {

class TablePool final {
public:
    static constexpr u32 TABLE_BYTES = 4096;
    static constexpr u32 ENTRIES = TABLE_BYTES / 8;

    /// `storage`: `count` 4 KiB-aligned tables, at physical address `phys_base`
    /// (the microvisor maps RAM 1:1, so there it is the storage's own address;
    /// host tests choose one).
    void init(u64* storage, u32 count, u64 phys_base);

    /// A zeroed table's physical address, or 0 when the pool is empty.
    u64 alloc();
    /// Give a table back.
    void free(u64 phys);
    /// The table at physical address `phys` (one this pool handed out).
    u64* table(u64 phys) const;

    u32 free_count() const { return free_count_; }

private:
    u64* storage_ = nullptr;
    u64 phys_base_ = 0;
    u32 free_count_ = 0;
    u32 next_free_ = 0;  ///< head of the free list: index + 1, 0 = empty
};

}  // namespace mv
