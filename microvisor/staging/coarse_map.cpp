// SPDX-License-Identifier: MIT
// Staging: the coarse stage-2 map that stands in for Lab 3's Stage2 in images
// of Labs 1 and 2 (see staging/README.md).
#include "staging/coarse_map.hpp"

#include "arch.hpp"
#include "kernel/vm.hpp"
#include "kernel/vm_memory.hpp"

namespace mv {
namespace {

CoarseMap maps[MAX_VMS];  // one per VM, by VM id

u64 block_descriptor(const MemRegion& r, u32 pa) {
    u64 d = pa | lpae::BLOCK | lpae::AF | lpae::S2AP_R;
    if (r.writable) d |= lpae::S2AP_W;
    if (!r.executable) d |= lpae::XN;
    return r.kind == MemKind::Ram ? d | lpae::S2_NORMAL_WB | lpae::SH_INNER : d | lpae::S2_DEVICE;
}

}  // namespace

bool CoarseMap::build(const VmConfig& vm) {
    for (auto& table : l2)
        for (u64& e : table) e = 0;
    for (u32 i = 0; i < vm.nregions; ++i) {
        const MemRegion& r = vm.regions[i];
        if (((r.gpa | r.pa | r.size) & (lpae::BLOCK_2M - 1)) != 0) return false;
        for (u32 off = 0; off < r.size; off += lpae::BLOCK_2M) {
            u32 gpa = r.gpa + off;
            l2[lpae::l1_index(gpa)][lpae::l2_index(gpa)] = block_descriptor(r, r.pa + off);
        }
    }
    for (u32 g = 0; g < 4; ++g) l1[g] = arch::virt_to_phys(l2[g]) | lpae::TABLE;
    return true;
}

u64 CoarseMap::vttbr(u32 vmid) const {
    return arch::virt_to_phys(l1) | (static_cast<u64>(vmid & 0xff) << 48);
}

// --- kernel/vm_memory.hpp, for images of Labs 1 and 2 ---------------------------

void vm_memory_init() {}

bool vm_memory_build(Vm& vm) { return maps[vm.id()].build(*vm.config); }

bool vm_memory_restore(Vm&) { return true; }  // the map never changes

u64 vm_vttbr(const Vm& vm) { return maps[vm.id()].vttbr(vm.vmid()); }

bool vm_translate(const Vm& vm, u32 gpa, u64& pa, S2Attrs& attrs) {
    u64 d = maps[vm.id()].block(gpa);
    if ((d & lpae::VALID) == 0) return false;
    pa = (d & lpae::ADDR_MASK & ~static_cast<u64>(lpae::BLOCK_2M - 1)) | (gpa & (lpae::BLOCK_2M - 1));
    attrs.read = (d & lpae::S2AP_R) != 0;
    attrs.write = (d & lpae::S2AP_W) != 0;
    attrs.exec = (d & lpae::XN) == 0;
    attrs.device = (d & lpae::s2_memattr(0xf)) == lpae::S2_DEVICE;
    return true;
}

}  // namespace mv
