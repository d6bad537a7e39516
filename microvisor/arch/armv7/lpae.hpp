// SPDX-License-Identifier: MIT
// LPAE descriptor fields, declared once (ARM ARM B3.6.1, B3.6.2).
//
// A 32-bit input address splits into three indices of the long-descriptor
// translation table format (4 KiB granule):
//
//    31 30 29          21 20          12 11           0
//   +-----+--------------+--------------+--------------+
//   | L1  |      L2      |      L3      |    offset    |
//   +-----+--------------+--------------+--------------+
//     1 GiB    2 MiB         4 KiB
//
// Level 1 and 2 entries are a block or point to the next table; level 3
// entries are pages. Every entry is 64 bits.
#pragma once

#include "lib/types.hpp"

namespace mv::lpae {

inline constexpr u32 L1_SHIFT = 30;
inline constexpr u32 L2_SHIFT = 21;
inline constexpr u32 L3_SHIFT = 12;
inline constexpr u32 ENTRIES = 512;
inline constexpr u32 BLOCK_2M = 1u << L2_SHIFT;

constexpr u32 l1_index(u32 a) { return a >> L1_SHIFT; }
constexpr u32 l2_index(u32 a) { return (a >> L2_SHIFT) & (ENTRIES - 1); }
constexpr u32 l3_index(u32 a) { return (a >> L3_SHIFT) & (ENTRIES - 1); }

// Descriptor type, bits[1:0]
inline constexpr u64 VALID = 1u << 0;
inline constexpr u64 TABLE = 3u << 0;  ///< level 1/2: next-level table
inline constexpr u64 BLOCK = 1u << 0;  ///< level 1/2: block
inline constexpr u64 PAGE = 3u << 0;   ///< level 3: page

// Lower attributes, bits[11:2]
inline constexpr u64 AF = 1u << 10;            ///< access flag: must be set or the first access faults
inline constexpr u64 SH_INNER = 3u << 8;       ///< inner shareable
constexpr u64 attr_index(u32 i) { return static_cast<u64>(i & 7) << 2; }  ///< stage 1: MAIR index
inline constexpr u64 AP_RO = 1u << 7;          ///< stage 1: AP[2], read-only
inline constexpr u64 AP_SBO = 1u << 6;         ///< stage 1 in HYP: AP[1] should be one
constexpr u64 s2_memattr(u32 m) { return static_cast<u64>(m & 0xf) << 2; }  ///< stage 2: MemAttr[3:0]
inline constexpr u64 S2_NORMAL_WB = s2_memattr(0xf);   ///< outer and inner write-back
inline constexpr u64 S2_DEVICE = s2_memattr(0x1);      ///< Device (nGnRE)
inline constexpr u64 S2AP_R = 1u << 6;         ///< stage 2: HAP[1], readable
inline constexpr u64 S2AP_W = 1u << 7;         ///< stage 2: HAP[2], writable

// Upper attributes, bits[63:52]
inline constexpr u64 XN = 1ull << 54;          ///< execute never

inline constexpr u64 ADDR_MASK = 0x000000fffffff000ull;  ///< output address bits[39:12]

// VTCR (ARM ARM B4.1.159): how the stage-2 walk of every VM goes.
inline constexpr u32 VTCR_RES1 = 1u << 31;        ///< bit 31 is RES1: write it as one
inline constexpr u32 VTCR_SH0_INNER = 3u << 12;   ///< table walks: inner shareable
inline constexpr u32 VTCR_ORGN0_WBWA = 1u << 10;  ///< outer write-back write-allocate
inline constexpr u32 VTCR_IRGN0_WBWA = 1u << 8;   ///< inner write-back write-allocate
inline constexpr u32 VTCR_SL0_LEVEL1 = 1u << 6;   ///< the walk starts at level 1
/// T0SZ = 0 (bits 3:0) and S = 0 (bit 4): a 32-bit IPA space of 4 GiB.
inline constexpr u32 VTCR_VALUE = VTCR_RES1 | VTCR_SH0_INNER | VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA | VTCR_SL0_LEVEL1;

}  // namespace mv::lpae
