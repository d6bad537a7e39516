// SPDX-License-Identifier: MIT
// The physical GICv2 (ARM IHI 0048B): distributor and CPU interface, just
// enough for the microvisor's own interrupts. Lab 4 virtualises it.
#pragma once

#include "lib/types.hpp"

namespace mv::gic {

inline constexpr u32 GICD_BASE = 0x08000000;  ///< distributor on the virt board
inline constexpr u32 GICC_BASE = 0x08010000;  ///< CPU interface
inline constexpr u32 SPURIOUS = 1023;         ///< IAR's "nothing pending"
inline constexpr u32 IAR_ID_MASK = 0x3ff;     ///< GICC_IAR bits 9:0: the interrupt ID (IHI 0048B 4.4.4)
inline constexpr u32 PPI_HYP_TIMER = 26;      ///< the HYP timer (CNTHP)
inline constexpr u32 PPI_VIRT_TIMER = 27;     ///< the guest's virtual timer (CNTV)

/// Distributor and CPU interface on, every interrupt disabled, all priorities let through.
void init();
/// Enable interrupt `id` at priority `prio` (0 highest).
void enable(u32 id, u8 prio);
/// Acknowledge the highest-priority pending interrupt: GICC_IAR (id in bits 9:0).
u32 ack();
/// End of interrupt for a value ack() returned.
void eoi(u32 iar);

}  // namespace mv::gic
