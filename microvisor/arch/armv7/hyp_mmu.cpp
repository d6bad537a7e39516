// SPDX-License-Identifier: MIT
// The microvisor's own stage-1 translation (HYP mode): an identity map, caches on.
#include "arch.hpp"
#include "arch/armv7/lpae.hpp"

namespace mv::arch {
namespace {

// Four 1 GiB blocks cover the 32-bit address space: GiB 1 (0x4000_0000, RAM
// on the virt board) as normal write-back memory, the rest as device memory.
constexpr u32 ATTR_NORMAL = 0;  // HMAIR0.Attr0
constexpr u32 ATTR_DEVICE = 1;  // HMAIR0.Attr1
constexpr u32 HMAIR0_VALUE = 0xffu | (0x04u << 8);  // Attr0 normal WB RW-allocate, Attr1 Device

alignas(32) u64 hyp_l1[4];

constexpr u64 block(u32 gib, bool ram) {
    u64 d = (static_cast<u64>(gib) << lpae::L1_SHIFT) | lpae::BLOCK | lpae::AF | lpae::AP_SBO;
    return ram ? d | lpae::attr_index(ATTR_NORMAL) | lpae::SH_INNER
               : d | lpae::attr_index(ATTR_DEVICE) | lpae::XN;
}

// HTCR (B4.1.74): T0SZ=0 (4 GiB), walks cached write-back and inner shareable.
constexpr u32 HTCR_VALUE = (1u << 31) | (1u << 23) | (3u << 12) | (1u << 10) | (1u << 8);
// HSCTLR (B4.1.71): M (MMU), C (data cache), I (instruction cache).
constexpr u32 HSCTLR_M = 1u << 0, HSCTLR_C = 1u << 2, HSCTLR_I = 1u << 12;

}  // namespace

void enable_hyp_mmu() {
    for (u32 g = 0; g < 4; ++g) hyp_l1[g] = block(g, g == 1);
    write<reg::HMAIR0>(HMAIR0_VALUE);
    write<reg::HMAIR1>(0);
    write<reg::HTCR>(HTCR_VALUE);
    write64<reg::HTTBR>(reinterpret_cast<u32>(hyp_l1));
    dsb();                       // the table writes reach memory before the walker reads them
    write<reg::TLBIALLH>(0);
    dsb();
    isb();
    write<reg::HSCTLR>(read<reg::HSCTLR>() | HSCTLR_M | HSCTLR_C | HSCTLR_I);
    isb();                       // later instructions are fetched through the new map
}

void flush_guest_tlb() {
    dsb_ish();                   // stage-2 table updates are visible before the invalidate
    write<reg::TLBIALLNSNH>(0);
    dsb_ish();
    isb();
}

void flush_vmid_tlb(u8 vmid) {
    // ARMv7 has no invalidate-by-IPA for stage 2: TLBIALLIS from HYP mode
    // invalidates the entries of the VMID that VTTBR names (B4.2.2), so name
    // the one to flush for a moment.
    dsb_ish();  // the table update is visible before the invalidate
    u64 saved = read64<reg::VTTBR>();
    write64<reg::VTTBR>(static_cast<u64>(vmid) << 48);
    isb();
    write<reg::TLBIALLIS>(0);
    dsb_ish();
    write64<reg::VTTBR>(saved);
    isb();
}

}  // namespace mv::arch
