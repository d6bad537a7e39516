// SPDX-License-Identifier: MIT
// The GICv2 virtual interface control registers, GICH (ARM IHI 0048B, 5.3):
// where they are and what their fields mean. arch/armv7/gich.hpp reaches the
// hardware's; arch/fake/gich.hpp models them for host tests. Both include this.
#pragma once

#include "lib/types.hpp"

namespace mv::gich {

inline constexpr u32 BASE = 0x08030000;  ///< GICH on the virt board (QEMU's GICV is at 0x0804_0000)

/// Register offsets from BASE (IHI 0048B table 5-1).
enum Reg : u32 {
    HCR = 0x000,     ///< hypervisor control
    VTR = 0x004,     ///< VGIC type: ListRegs, PREbits, PRIbits (read-only)
    VMCR = 0x008,    ///< the guest's GICV_CTLR and GICV_PMR, as the hypervisor saves them
    MISR = 0x010,    ///< maintenance interrupt status (read-only)
    EISR0 = 0x020,   ///< LRs 0-31 whose EOI maintenance is due (read-only)
    ELRSR0 = 0x030,  ///< LRs 0-31 that hold no interrupt (read-only)
    APR = 0x0f0,     ///< active priorities
    LR0 = 0x100,     ///< list register n at LR0 + 4n
};

inline constexpr u32 MAX_LRS = 64;  ///< VTR.ListRegs is 6 bits

// GICH_HCR (5.3.2)
inline constexpr u32 HCR_EN = 1u << 0;   ///< the virtual CPU interface works
inline constexpr u32 HCR_UIE = 1u << 1;  ///< maintenance when at most one LR holds an interrupt
inline constexpr u32 HCR_NPIE = 1u << 3; ///< maintenance when no LR holds a pending interrupt

// GICH_VTR (5.3.3): ListRegs, bits 5:0, is the number of LRs minus one.
inline constexpr u32 VTR_LISTREGS_MASK = 0x3f;

// GICH_MISR (5.3.5)
inline constexpr u32 MISR_EOI = 1u << 0;  ///< some LR's EOI maintenance is due (EISR is not 0)
inline constexpr u32 MISR_U = 1u << 1;    ///< underflow: UIE set, at most one LR valid
inline constexpr u32 MISR_NP = 1u << 3;   ///< no pending: NPIE set, no LR pending

// GICH_VMCR (5.3.4): the guest's priority mask, bits 31:27 (GICV_PMR bits 7:3),
// and its GICV_CTLR's group enables.
inline constexpr u32 VMCR_PMR_SHIFT = 27;
inline constexpr u32 VMCR_GRP0_EN = 1u << 0;  ///< VMGrp0En: group 0 is signalled
inline constexpr u32 VMCR_GRP1_EN = 1u << 1;  ///< VMGrp1En: group 1 is signalled

// GICH_LR (5.3.11)
inline constexpr u32 LR_ID_MASK = 0x3ff;        ///< VirtualID, bits 9:0
inline constexpr u32 LR_PHYS_SHIFT = 10;        ///< HW = 1: PhysicalID, bits 19:10
inline constexpr u32 LR_CPUID_SHIFT = 10;       ///< HW = 0, an SGI: the source CPUID, bits 12:10
inline constexpr u32 LR_CPUID_MASK = 0x7;
inline constexpr u32 LR_EOI = 1u << 19;         ///< HW = 0: maintenance when the guest EOIs it
inline constexpr u32 LR_PRIORITY_SHIFT = 23;    ///< bits 27:23: the priority's top five bits
inline constexpr u32 LR_PRIORITY_MASK = 0x1f;
inline constexpr u32 LR_STATE_SHIFT = 28;       ///< bits 29:28
inline constexpr u32 LR_PENDING = 1u << 28;
inline constexpr u32 LR_ACTIVE = 1u << 29;
inline constexpr u32 LR_GRP1 = 1u << 30;
inline constexpr u32 LR_HW = 1u << 31;

}  // namespace mv::gich
