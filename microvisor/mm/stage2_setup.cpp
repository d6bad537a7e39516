// SPDX-License-Identifier: MIT
// Setting up a VM's Stage2: its level-1 table and VMID (the rest is Lab 3's mm/stage2.cpp).
#include "mm/stage2.hpp"

namespace mv {

bool Stage2::init(TablePool& pool, u8 vmid) {
    pool_ = &pool;
    vmid_ = vmid;
    l1_ = pool.alloc();
    return l1_ != 0;
}

}  // namespace mv
