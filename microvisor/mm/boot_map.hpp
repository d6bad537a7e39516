// SPDX-License-Identifier: MIT
// The coarse stage-2 identity map of labs 1 and 2: 2 MiB blocks built at boot.
//
// Lab 3 replaces it with the Stage2 object (pages, blocks, splitting, VMIDs).
// Until then every VM gets this fixed map of exactly the regions its system
// description lists, so a stray guest access is a stage-2 abort, never a
// write into the microvisor.
#pragma once

#include "kernel/config.hpp"
#include "lib/types.hpp"
#include "mm/lpae.hpp"

namespace mv {

struct BootMap {
    alignas(4096) u64 l2[4][lpae::ENTRIES];  ///< one level-2 table per GiB
    alignas(32) u64 l1[4];                   ///< level 1: 4 entries cover 32 bits of IPA

    /// Fill the tables from the VM's regions; returns false if a region is not 2 MiB aligned.
    bool build(const VmConfig& vm);
    /// The VTTBR value for this map and `vmid`.
    u64 vttbr(u32 vmid) const;
};

/// VTCR for a 32-bit IPA space starting at level 1 (ARM ARM B4.1.159).
u32 boot_vtcr();

}  // namespace mv
