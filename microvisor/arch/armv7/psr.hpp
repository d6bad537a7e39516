// SPDX-License-Identifier: MIT
// Program status register: processor modes and CPSR/SPSR bits (ARM ARM B1.3.3).
#pragma once

#include "lib/types.hpp"

namespace mv {

enum class Mode : u8 {
    usr = 0x10,
    fiq = 0x11,
    irq = 0x12,
    svc = 0x13,
    mon = 0x16,
    abt = 0x17,
    hyp = 0x1a,
    und = 0x1b,
    sys = 0x1f,
};

namespace psr {
inline constexpr u32 MODE_MASK = 0x1f;
inline constexpr u32 T = 1u << 5;   ///< Thumb execution state
inline constexpr u32 F = 1u << 6;   ///< FIQ masked
inline constexpr u32 I = 1u << 7;   ///< IRQ masked
inline constexpr u32 A = 1u << 8;   ///< asynchronous abort masked
inline constexpr u32 E = 1u << 9;   ///< big-endian data
inline constexpr u32 IT_MASK = (0x3fu << 10) | (0x3u << 25);  ///< IT[7:2] and IT[1:0]
inline constexpr u32 J = 1u << 24;

constexpr Mode mode(u32 v) { return static_cast<Mode>(v & MODE_MASK); }
constexpr u32 with_mode(u32 v, Mode m) { return (v & ~MODE_MASK) | static_cast<u32>(m); }

/// ITSTATE (Thumb's IT block state): IT[7:2] in bits 15:10, IT[1:0] in bits 26:25 (B1.3.3).
constexpr u32 itstate(u32 v) { return ((v >> 8) & 0xfc) | ((v >> 25) & 0x3); }
constexpr u32 with_itstate(u32 v, u32 it) { return (v & ~IT_MASK) | ((it & 0xfc) << 8) | ((it & 0x3) << 25); }

/// ITAdvance() (ARM ARM A2.5.2): the IT state after one instruction of an IT
/// block. IT[7:5] (the base condition) stays; IT[4:0] shifts left; an empty
/// mask (IT[2:0] = 0) ends the block.
constexpr u32 it_advance(u32 it) { return (it & 0x7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f); }

/// ConditionPassed() (ARM ARM A8.3): whether condition `cond` (4 bits) holds
/// for the N, Z, C, V flags (bits 31:28) of `v`. 0b1110 and 0b1111: always.
constexpr bool condition_passed(u32 cond, u32 v) {
    bool n = ((v >> 31) & 1) != 0, z = ((v >> 30) & 1) != 0, c = ((v >> 29) & 1) != 0, ov = ((v >> 28) & 1) != 0;
    bool r = true;
    switch ((cond >> 1) & 7) {
    case 0: r = z; break;               // EQ / NE
    case 1: r = c; break;               // CS / CC
    case 2: r = n; break;               // MI / PL
    case 3: r = ov; break;              // VS / VC
    case 4: r = c && !z; break;         // HI / LS
    case 5: r = n == ov; break;         // GE / LT
    case 6: r = n == ov && !z; break;   // GT / LE
    default: r = true; break;           // AL
    }
    return (cond & 1) != 0 && cond != 0xf ? !r : r;
}
}  // namespace psr

}  // namespace mv
