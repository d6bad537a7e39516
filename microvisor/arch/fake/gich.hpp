// SPDX-License-Identifier: MIT
// The fake GICH for host tests: the virtual interface control registers
// (ARM IHI 0048B 5.3) and the guest's side of the virtual CPU interface, so
// that a test takes and ends interrupts as the guest would. What the code
// under test writes is recorded in fake::cpu().events ("write GICH_LR0 0x...").
#pragma once

#include <vector>

#include "arch/armv7/gich_regs.hpp"

namespace mv::fake {

/// The modelled virtual interface. VTR, MISR, EISR0 and ELRSR0 are computed
/// from the rest, as the hardware does.
struct Gich {
    u32 nlr = 4;  ///< list registers (QEMU has 4)
    u32 hcr = 0, vmcr = 0, apr = 0;
    u32 lr[gich::MAX_LRS] = {};
    std::vector<u32> deactivated;  ///< physical IDs a guest's EOI deactivated (HW = 1), in order

    u32 vtr() const { return nlr - 1; }
    u32 eisr() const;   ///< LRs with State 0, HW 0 and EOI 1
    u32 elrsr() const;  ///< LRs with State 0 and not due an EOI maintenance
    u32 misr() const;   ///< EOI, U and NP as HCR enables them
    /// The maintenance interrupt is asserted (HCR.En and some MISR bit).
    bool maintenance() const { return (hcr & gich::HCR_EN) != 0 && misr() != 0; }
    u32 valid() const;  ///< how many LRs hold an interrupt

    /// The guest reads GICV_IAR: the pending LR of highest priority (lowest
    /// LR first among equals) whose priority is above both the mask
    /// (VMCR.VMPriMask) and the running priority (APR), and whose group is
    /// enabled (VMCR.VENG0/VENG1), becomes active; its priority bit is set
    /// in APR. Returns its ID, with the source CPUID in bits 12:10 for an
    /// SGI, or 1023 when none may be taken.
    u32 ack();
    /// The guest writes GICV_EOIR with a value ack() returned: the running
    /// priority drops (APR's lowest bit cleared) and the matching active LR
    /// becomes inactive (pending again if it was pending and active); with
    /// HW = 1 the physical interrupt is deactivated (recorded). False if no LR
    /// matched (the hardware would count it in HCR.EOICount).
    bool eoi(u32 iar);
};

Gich& gich();
/// A fresh virtual interface with `nlr` list registers.
void reset_gich(u32 nlr = 4);

}  // namespace mv::fake

namespace mv::arch {
/// Read GICH register `r` (a gich::Reg, or gich::LR0 + 4n) of the fake.
u32 gich_read(u32 r);
/// Write GICH register `r` of the fake (read-only ones are ignored); recorded.
void gich_write(u32 r, u32 v);
}  // namespace mv::arch
