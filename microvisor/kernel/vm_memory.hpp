// SPDX-License-Identifier: MIT
// A VM's guest-physical memory: its stage-2 map, as the rest of the kernel sees it.
//
// Lab 3's Stage2 tables implement it (kernel/vm_memory.cpp). Images of Labs 1
// and 2 have no Stage2 yet: staging/coarse_map.cpp stands in for it there
// with a fixed map of 2 MiB blocks. See staging/README.md.
#pragma once

#include "config/system_config.hpp"
#include "lib/types.hpp"
#include "mm/stage2.hpp"

namespace mv {

class Vm;

/// Boot: the storage the maps come from.
void vm_memory_init();

/// Map every region of the VM's description (its start). False if it did not fit.
bool vm_memory_build(Vm& vm);

/// Map every region again, undoing the guest's own unmaps (PSCI SYSTEM_RESET).
bool vm_memory_restore(Vm& vm);

/// VTTBR while the VM runs: its tables and VMID.
u64 vm_vttbr(const Vm& vm);

/// What guest-physical `gpa` maps to in the VM's stage-2 map now: the
/// physical address and the attributes. False if it is unmapped.
bool vm_translate(const Vm& vm, u32 gpa, u64& pa, S2Attrs& attrs);

}  // namespace mv
