// SPDX-License-Identifier: MIT
// Staging: the stand-in for Lab 3's Stage2 in images of Labs 1 and 2.
//
// Until a student has written Lab 3, every VM gets this fixed stage-2 map of
// exactly the regions its system description lists, in 2 MiB blocks, built
// once at its start. A stray guest access is a stage-2 abort (Lab 1 reflects
// it), never a write into the microvisor. It implements kernel/vm_memory.hpp.
#pragma once

#include "config/system_config.hpp"
#include "lib/types.hpp"
#include "arch/armv7/lpae.hpp"

namespace mv {

struct CoarseMap {
    alignas(4096) u64 l2[4][lpae::ENTRIES];  ///< one level-2 table per GiB
    alignas(32) u64 l1[4];                   ///< level 1: 4 entries cover 32 bits of IPA

    /// Fill the tables from the VM's regions; returns false if a region is not 2 MiB aligned.
    bool build(const VmConfig& vm);
    /// The descriptor of the block that holds `gpa` (0: unmapped).
    u64 block(u32 gpa) const { return l2[lpae::l1_index(gpa)][lpae::l2_index(gpa)]; }
    /// The VTTBR value for this map and `vmid`.
    u64 vttbr(u32 vmid) const;
};

}  // namespace mv
