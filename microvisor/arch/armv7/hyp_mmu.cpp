// SPDX-License-Identifier: MIT
// The microvisor's own stage-1 translation (HYP mode): an identity map, caches on,
// and no mapping both writable and executable.
#include "arch.hpp"
#include "arch/armv7/lpae.hpp"

extern "C" char __text_start[], __text_end[], __rodata_end[];  // microvisor.ld, 4 KiB aligned

namespace mv::arch {
namespace {

// GiB 1 (0x4000_0000, RAM on the virt board) is normal write-back memory; the
// other three GiB are device memory, never executable. In RAM only the
// microvisor's code is executable, and it is read-only: its first 2 MiB
// (where the linker script puts the code, read-only data, data and stack) are
// mapped in 4 KiB pages, the rest of RAM (the guests' memory, which HYP only
// reads and writes) in 2 MiB blocks, execute-never. HSCTLR.WXN on top makes
// every writable mapping execute-never, whatever its descriptor says.
constexpr u32 ATTR_NORMAL = 0;  // HMAIR0.Attr0
constexpr u32 ATTR_DEVICE = 1;  // HMAIR0.Attr1
constexpr u32 HMAIR0_VALUE = 0xffu | (0x04u << 8);  // Attr0 normal WB RW-allocate, Attr1 Device
constexpr u32 RAM_BASE = 0x40000000;

alignas(32) u64 hyp_l1[4];
alignas(4096) u64 hyp_l2_ram[lpae::ENTRIES];  // GiB 1 in 2 MiB blocks
alignas(4096) u64 hyp_l3_image[lpae::ENTRIES]; // its first 2 MiB in pages

constexpr u64 NORMAL = lpae::AF | lpae::AP_SBO | lpae::attr_index(ATTR_NORMAL) | lpae::SH_INNER;

constexpr u64 device_gib(u32 gib) {
    return (static_cast<u64>(gib) << lpae::L1_SHIFT) | lpae::BLOCK | lpae::AF | lpae::AP_SBO |
           lpae::attr_index(ATTR_DEVICE) | lpae::XN;
}

// The page at `pa` of the microvisor's image: code read-only and executable,
// read-only data read-only, the rest writable and execute-never.
u64 image_page(u32 pa) {
    u32 text_start = reinterpret_cast<u32>(__text_start), text_end = reinterpret_cast<u32>(__text_end);
    u64 d = pa | lpae::PAGE | NORMAL;
    if (pa >= text_start && pa < text_end) return d | lpae::AP_RO;
    if (pa >= text_end && pa < reinterpret_cast<u32>(__rodata_end)) return d | lpae::AP_RO | lpae::XN;
    return d | lpae::XN;
}

// HTCR (B4.1.74): T0SZ = 0 (a 4 GiB input space), table walks inner shareable
// (SH0 = 3, bits 13:12), outer and inner write-back write-allocate (ORGN0,
// IRGN0 = 1, bits 11:10 and 9:8). Bits 31 and 23 are RES1.
constexpr u32 HTCR_RES1 = (1u << 31) | (1u << 23);
constexpr u32 HTCR_VALUE = HTCR_RES1 | (3u << 12) | (1u << 10) | (1u << 8);
// HSCTLR (B4.1.71): M (MMU), C (data cache), I (instruction cache), WXN (writable implies execute-never).
constexpr u32 HSCTLR_M = 1u << 0, HSCTLR_C = 1u << 2, HSCTLR_I = 1u << 12, HSCTLR_WXN = 1u << 19;

// Before the caches go on, they hold whatever the reset left in them
// (B2.2.2): invalidate the instruction cache, the branch predictor and every
// data and unified cache level CLIDR reports, by set/way.
void invalidate_caches() {
    write<reg::ICIALLU>(0);
    write<reg::BPIALL>(0);
    u32 clidr = read<reg::CLIDR>();
    u32 levels = (clidr >> 24) & 7;  // LoC: the levels to the point of coherency
    for (u32 level = 0; level < levels; ++level) {
        if (((clidr >> (3 * level)) & 7) < 2) continue;  // no data cache at this level
        write<reg::CSSELR>(level << 1);
        isb();
        u32 ccsidr = read<reg::CCSIDR>();
        u32 line_shift = (ccsidr & 7) + 4;        // log2(line bytes)
        u32 ways = ((ccsidr >> 3) & 0x3ff) + 1;
        u32 sets = ((ccsidr >> 13) & 0x7fff) + 1;
        u32 way_shift = ways > 1 ? static_cast<u32>(__builtin_clz(ways - 1)) : 0;  // way in the top bits
        for (u32 w = 0; w < ways; ++w)
            for (u32 s = 0; s < sets; ++s)
                write<reg::DCISW>((ways > 1 ? w << way_shift : 0) | (s << line_shift) | (level << 1));
    }
    dsb();
    isb();
}

}  // namespace

void enable_hyp_mmu() {
    invalidate_caches();
    for (u32 i = 0; i < lpae::ENTRIES; ++i) {
        u32 pa = RAM_BASE + i * lpae::BLOCK_2M;
        hyp_l2_ram[i] = pa | lpae::BLOCK | NORMAL | lpae::XN;
        hyp_l3_image[i] = image_page(RAM_BASE + i * (1u << lpae::L3_SHIFT));
    }
    hyp_l2_ram[0] = reinterpret_cast<u32>(hyp_l3_image) | lpae::TABLE;
    for (u32 g = 0; g < 4; ++g) hyp_l1[g] = device_gib(g);
    hyp_l1[1] = reinterpret_cast<u32>(hyp_l2_ram) | lpae::TABLE;
    write<reg::HMAIR0>(HMAIR0_VALUE);
    write<reg::HMAIR1>(0);
    write<reg::HTCR>(HTCR_VALUE);
    write64<reg::HTTBR>(reinterpret_cast<u32>(hyp_l1));
    dsb();                       // the table writes reach memory before the walker reads them
    write<reg::TLBIALLH>(0);
    dsb();
    isb();
    write<reg::HSCTLR>(read<reg::HSCTLR>() | HSCTLR_M | HSCTLR_C | HSCTLR_I | HSCTLR_WXN);
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
