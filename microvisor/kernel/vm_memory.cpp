// SPDX-License-Identifier: MIT
// A VM's guest-physical memory (Lab 3 on): its own Stage2 tables, from a pool
// the system description sizes.
#include "kernel/vm_memory.hpp"

#include "arch.hpp"
#include "kernel/vm.hpp"
#include "mm/table_pool.hpp"

namespace mv {
namespace {

TablePool pool;

bool map_all(Vm& vm) {
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const MemRegion& r = vm.config->regions[i];
        if (vm.stage2.map(r.gpa, r.pa, r.size, region_attrs(r)) != S2Status::ok) return false;
    }
    return true;
}

}  // namespace

void vm_memory_init() {
    pool.init(system_config.table_storage, system_config.table_pages, arch::virt_to_phys(system_config.table_storage));
}

bool vm_memory_build(Vm& vm) { return vm.stage2.init(pool, vm.vmid(), vm.config->table_quota) && map_all(vm); }

bool vm_memory_restore(Vm& vm) {
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const MemRegion& r = vm.config->regions[i];
        if (vm.stage2.unmap(r.gpa, r.size) != S2Status::ok) return false;
    }
    return map_all(vm);
}

u64 vm_vttbr(const Vm& vm) { return vm.stage2.vttbr(); }

bool vm_translate(const Vm& vm, u32 gpa, u64& pa, S2Attrs& attrs) { return vm.stage2.translate(gpa, pa, attrs); }

}  // namespace mv
