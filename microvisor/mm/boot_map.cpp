// SPDX-License-Identifier: MIT
// The coarse stage-2 identity map of labs 1 and 2.
#include "mm/boot_map.hpp"

#include "arch.hpp"

namespace mv {
namespace {

u64 block_descriptor(const MemRegion& r, u32 pa) {
    u64 d = pa | lpae::BLOCK | lpae::AF | lpae::S2AP_R;
    if (r.writable) d |= lpae::S2AP_W;
    if (!r.executable) d |= lpae::XN;
    return r.kind == MemKind::Ram ? d | lpae::S2_NORMAL_WB | lpae::SH_INNER : d | lpae::S2_DEVICE;
}

}  // namespace

bool BootMap::build(const VmConfig& vm) {
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

u64 BootMap::vttbr(u32 vmid) const {
    return arch::virt_to_phys(l1) | (static_cast<u64>(vmid & 0xff) << 48);
}

u32 boot_vtcr() {
    // T0SZ=0 (4 GiB IPA), SL0=1 (start at level 1), walks write-back cached and inner shareable.
    return (1u << 31) | (3u << 12) | (1u << 10) | (1u << 8) | (1u << 6);
}

}  // namespace mv
