// SPDX-License-Identifier: MIT
// The list registers: how the interrupts of a VM's distributor (vdev/vgic.hpp)
// reach the running vCPU through the hardware's virtual CPU interface (GICH,
// ARM IHI 0048B 5.3; arch "gich.hpp").
//
// As in KVM, the list registers hold interrupts only while the guest runs:
// vgic_sync() folds what the guest did with them back into the distributor
// after an exit, and vgic_flush() fills them again from it before the entry.
// (The kernel syncs lazily: before the first use of a distributor after an
// exit, not at every exit; kernel/virq.cpp.) Between the two, the
// distributor is the whole truth: a GICD access, an interrupt raised or a
// vCPU switch needs no list register. The active state of a descheduled
// vCPU's interrupts stays in the distributor, an SPI tied to the vCPU it is
// active on; its CPU interface (VMCR, APR) is saved.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// A vCPU's virtual CPU interface while another runs, and what it holds while it runs.
struct VgicCpu {
    u32 vmcr = 0;  ///< GICH_VMCR: the guest's GICV_CTLR and GICV_PMR
    u32 apr = 0;   ///< GICH_APR: the priorities it has active
    u32 used = 0;  ///< list registers the last vgic_flush() filled
    bool timer_active = false;  ///< the physical virtual-timer PPI was active when it left (kernel/virq.cpp)
};

/// Before entering vCPU `v`: fill the list registers (as many as GICH_VTR
/// says) with the interrupts the distributor may give it, active ones first,
/// then by priority (lowest value first), then by ID; clear the rest. An
/// SGI carries its source vCPU; a forwarded interrupt has HW = 1 and its
/// physical ID. A level-sensitive interrupt, and an SGI pending from another
/// source too, ask for EOI maintenance. If more are waiting than fit,
/// GICH_HCR.UIE asks for the maintenance interrupt when at most one LR is
/// still valid, and the next flush fills the rest.
void vgic_flush(Vcpu& v);

/// After vCPU `v` exits: each list register the last flush filled goes back
/// to the distributor: taken (pending no more), ended (active no more),
/// still pending, still active.
void vgic_sync(Vcpu& v);

/// `v` leaves the CPU (after vgic_sync): save its VMCR and APR, empty the
/// list registers and turn the virtual interface off until the next flush.
void vgic_save(Vcpu& v);

/// `v` takes the CPU (before vgic_flush): its VMCR and APR back.
void vgic_restore(Vcpu& v);

/// Whether an interrupt is pending for `v` that its virtual CPU interface
/// would signal now, by its distributor and its saved VMCR and APR: WFI ends,
/// a blocked vCPU wakes.
bool virq_pending(const Vcpu& v);

}  // namespace mv
