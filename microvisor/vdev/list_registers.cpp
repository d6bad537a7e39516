// SPDX-License-Identifier: MIT
// Lab 4: the list registers, the distributor's interrupts in and out of GICH
// (vdev/list_registers.hpp; book: Lab 4). The distributor (vdev/vgic.hpp)
// holds every interrupt's state between an exit and the next entry; here it
// meets the hardware: arch::gich_read/gich_write and the fields of
// arch/armv7/gich_regs.hpp (IHI 0048B 5.3.11 for an LR).
#include "vdev/list_registers.hpp"

#include "gich.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

// Before vCPU v (of VM v.vm, index v.id) enters its guest.
//  - The hardware has (GICH_VTR.ListRegs + 1) list registers.
//  - The candidates are the interrupts v.vm->vgic.ready(v.id, ...) reports;
//    vgic.virq(v.id, id) tells what each is.
//  - The best of them fill LRs 0, 1, ...: active ones first, then by priority
//    (lower value first), then by lower ID. How you find the best N is
//    yours to choose (ready() may report up to 96).
//  - Each one placed: tell the distributor (vgic.to_lr) before you encode it,
//    then write the LR: virtual ID; priority bits 7:3 in the LR's 27:23;
//    group 1 bit; pending and active state; then either
//      forwarded (virq.phys != 0): HW = 1 and the physical ID in bits 19:10,
//        and never pending and active at once (an active one goes in active only);
//      or an SGI: the source vCPU in bits 12:10; and the EOI bit (maintenance
//        when the guest ends it) for a level-sensitive interrupt or an SGI that
//        is pending from another source too.
//  - LRs this flush leaves empty but the last one filled (v.vgic.used) are
//    written 0; v.vgic.used becomes the number filled now.
//  - GICH_HCR = En, plus UIE if some candidate did not fit: the maintenance
//    interrupt brings the guest back here when there is room.
void vgic_flush(Vcpu& v) {
    MV_LAB_TODO(4);
}

// After vCPU v's guest stopped (a trap, an interrupt): each of the
// v.vgic.used LRs the last flush filled goes back to the distributor with
// vgic.from_lr(v.id, id, source, pending, active), as the guest left it; an
// SGI's source is the LR's CPUID field (HW = 0 only; 0 otherwise). The LRs
// themselves stay as they are.
void vgic_sync(Vcpu& v) {
    MV_LAB_TODO(4);
}

// v leaves the CPU, after vgic_sync: keep what the guest's CPU interface holds
// (GICH_VMCR, GICH_APR) in v.vgic; then write 0 to the LRs it used
// (v.vgic.used becomes 0) and to GICH_HCR: no maintenance interrupt for a
// vCPU that is not on the CPU.
void vgic_save(Vcpu& v) {
    MV_LAB_TODO(4);
}

// v takes the CPU, before vgic_flush: its GICH_VMCR and GICH_APR back.
void vgic_restore(Vcpu& v) {
    MV_LAB_TODO(4);
}

// Whether v's virtual CPU interface would signal an interrupt now, from the
// distributor's state and v.vgic.vmcr and v.vgic.apr (the kernel makes them
// current before it asks). One of ready()'s interrupts that is pending and
// not active, of a group VMCR enables (VMGrp0En bit 0, VMGrp1En bit 1), whose
// priority bits 7:3 are below both VMCR's priority mask (bits 31:27) and the
// running priority, the lowest bit set in APR (none set: no limit).
bool virq_pending(const Vcpu& v) {
    MV_LAB_TODO(4);
}

}  // namespace mv
