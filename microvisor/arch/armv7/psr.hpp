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
}  // namespace psr

}  // namespace mv
