// SPDX-License-Identifier: MIT
// Lab 4: the list registers, the distributor's interrupts in and out of GICH.
#include "vdev/list_registers.hpp"

#include "gich.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

constexpr u32 KEY_ID_BITS = 7;  // a candidate's sort key: inactive (bit 15), priority (14:7), ID (6:0)
static_assert(VGIC_IRQS <= (1u << KEY_ID_BITS));

u32 key(const Virq& x) { return (x.active ? 0 : 1u << 15) | (u32{x.priority} << KEY_ID_BITS) | x.id; }

u32 encode(const Virq& x) {
    u32 lr = x.id | (u32{x.priority} >> 3) << gich::LR_PRIORITY_SHIFT | (x.group1 ? gich::LR_GRP1 : 0) |
             (x.pending ? gich::LR_PENDING : 0) | (x.active ? gich::LR_ACTIVE : 0);
    if (x.phys != 0) return lr | gich::LR_HW | u32{x.phys} << gich::LR_PHYS_SHIFT;
    if (x.id < VGIC_SGIS) lr |= u32{x.source} << gich::LR_CPUID_SHIFT;
    return x.level || x.more ? lr | gich::LR_EOI : lr;
}

u32 lr_reg(u32 i) { return gich::LR0 + 4 * i; }

}  // namespace

void vgic_flush(Vcpu& v) {
    Vgic& g = v.vm->vgic;
    u32 nlr = (arch::gich_read(gich::VTR) & gich::VTR_LISTREGS_MASK) + 1;
    u32 ready[VGIC_WORDS];
    g.ready(v.id, ready);
    // The nlr best candidates, sorted by key; `more` if some did not fit.
    u32 best[gich::MAX_LRS];
    Virq what[gich::MAX_LRS];
    u32 n = 0;
    bool more = false;
    for (u32 w = 0; w < VGIC_WORDS; ++w) {
        for (u32 bits = ready[w]; bits != 0; bits &= bits - 1) {
            Virq x = g.virq(v.id, 32 * w + static_cast<u32>(__builtin_ctz(bits)));
            u32 k = key(x);
            if (n == nlr) {
                more = true;
                if (k > best[n - 1]) continue;
                --n;  // the worst of them makes room
            }
            u32 i = n++;
            for (; i > 0 && best[i - 1] > k; --i) {
                best[i] = best[i - 1];
                what[i] = what[i - 1];
            }
            best[i] = k;
            what[i] = x;
        }
    }
    for (u32 i = 0; i < n; ++i) {
        Virq& x = what[i];
        if (x.phys != 0 && x.active) x.pending = false;  // HW = 1 has no pending-and-active: after the EOI
        g.to_lr(v.id, x);
        arch::gich_write(lr_reg(i), encode(x));
    }
    for (u32 i = n; i < v.vgic.used; ++i) arch::gich_write(lr_reg(i), 0);
    v.vgic.used = n;
    // UIE: the maintenance interrupt when at most one LR is still valid (the
    // hardware has at least 2: QEMU 4, GIC-400 4), so there is room again.
    arch::gich_write(gich::HCR, gich::HCR_EN | (more ? gich::HCR_UIE : 0));
}

void vgic_sync(Vcpu& v) {
    Vgic& g = v.vm->vgic;
    for (u32 i = 0; i < v.vgic.used; ++i) {
        u32 lr = arch::gich_read(lr_reg(i));
        u32 id = lr & gich::LR_ID_MASK;
        u32 source = (lr & gich::LR_HW) == 0 && id < VGIC_SGIS ? (lr >> gich::LR_CPUID_SHIFT) & gich::LR_CPUID_MASK : 0;
        g.from_lr(v.id, id, source, (lr & gich::LR_PENDING) != 0, (lr & gich::LR_ACTIVE) != 0);
    }
}

void vgic_save(Vcpu& v) {
    v.vgic.vmcr = arch::gich_read(gich::VMCR);
    v.vgic.apr = arch::gich_read(gich::APR);
    for (u32 i = 0; i < v.vgic.used; ++i) arch::gich_write(lr_reg(i), 0);
    v.vgic.used = 0;
    arch::gich_write(gich::HCR, 0);  // no maintenance interrupt for a vCPU that is not there
}

void vgic_restore(Vcpu& v) {
    arch::gich_write(gich::VMCR, v.vgic.vmcr);
    arch::gich_write(gich::APR, v.vgic.apr);
}

bool virq_pending(const Vcpu& v) {
    // The GICV signals an interrupt only above the priority mask and above
    // the running priority (the highest active one: APR's lowest set bit),
    // both in the 5 bits an LR keeps, and only of a group it has enabled.
    u32 ceiling = v.vgic.vmcr >> gich::VMCR_PMR_SHIFT;
    if (v.vgic.apr != 0 && static_cast<u32>(__builtin_ctz(v.vgic.apr)) < ceiling)
        ceiling = static_cast<u32>(__builtin_ctz(v.vgic.apr));
    const Vgic& g = v.vm->vgic;
    u32 ready[VGIC_WORDS];
    g.ready(v.id, ready);
    for (u32 w = 0; w < VGIC_WORDS; ++w) {
        for (u32 bits = ready[w]; bits != 0; bits &= bits - 1) {
            Virq x = g.virq(v.id, 32 * w + static_cast<u32>(__builtin_ctz(bits)));
            u32 group_on = x.group1 ? gich::VMCR_GRP1_EN : gich::VMCR_GRP0_EN;
            if (x.pending && !x.active && (v.vgic.vmcr & group_on) != 0 && (x.priority >> 3) < ceiling) return true;
        }
    }
    return false;
}

}  // namespace mv
