// SPDX-License-Identifier: MIT
// The GICv2 virtual interface control registers of the hardware (Lab 4):
// generic code includes "gich.hpp" and gets these, or the fake's on the host.
#pragma once

#include "arch/armv7/gich_regs.hpp"

namespace mv::arch {

/// Read GICH register `r` (a gich::Reg, or gich::LR0 + 4n).
inline u32 gich_read(u32 r) { return *reinterpret_cast<volatile u32*>(gich::BASE + r); }
/// Write GICH register `r`.
inline void gich_write(u32 r, u32 v) { *reinterpret_cast<volatile u32*>(gich::BASE + r) = v; }

}  // namespace mv::arch
