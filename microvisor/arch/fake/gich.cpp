// SPDX-License-Identifier: MIT
// The fake GICH: the virtual interface of IHI 0048B 5.3 and 5.4, modelled.
#include "gich.hpp"

#include "arch.hpp"

namespace mv::fake {
namespace {

Gich the_gich;

u32 state(u32 lr) { return lr & (gich::LR_PENDING | gich::LR_ACTIVE); }
u32 prio5(u32 lr) { return (lr >> gich::LR_PRIORITY_SHIFT) & gich::LR_PRIORITY_MASK; }
// The running priority: APR's lowest set bit, or 32 (idle).
u32 running(u32 apr) { return apr == 0 ? 32 : static_cast<u32>(__builtin_ctz(apr)); }
// VirtualID, with the CPUID of an SGI: what IAR returns and EOIR names.
u32 iar_of(u32 lr) {
    u32 id = lr & gich::LR_ID_MASK;
    if ((lr & gich::LR_HW) != 0 || id >= 16) return id;
    return id | (((lr >> gich::LR_CPUID_SHIFT) & gich::LR_CPUID_MASK) << gich::LR_CPUID_SHIFT);
}

const char* name(u32 r) {
    switch (r) {
    case gich::HCR: return "HCR";
    case gich::VMCR: return "VMCR";
    case gich::APR: return "APR";
    default: return "?";
    }
}

}  // namespace

u32 Gich::eisr() const {
    u32 bits = 0;
    for (u32 i = 0; i < nlr && i < 32; ++i)
        if (state(lr[i]) == 0 && (lr[i] & gich::LR_HW) == 0 && (lr[i] & gich::LR_EOI) != 0) bits |= 1u << i;
    return bits;
}

u32 Gich::elrsr() const {
    u32 bits = 0;
    for (u32 i = 0; i < nlr && i < 32; ++i)
        if (state(lr[i]) == 0 && (eisr() & (1u << i)) == 0) bits |= 1u << i;
    return bits;
}

u32 Gich::valid() const {
    u32 n = 0;
    for (u32 i = 0; i < nlr; ++i) n += state(lr[i]) != 0;
    return n;
}

u32 Gich::misr() const {
    u32 m = eisr() != 0 ? gich::MISR_EOI : 0;
    if ((hcr & gich::HCR_UIE) != 0 && valid() <= 1) m |= gich::MISR_U;
    bool pending = false;
    for (u32 i = 0; i < nlr; ++i) pending = pending || (lr[i] & gich::LR_PENDING) != 0;
    if ((hcr & gich::HCR_NPIE) != 0 && !pending) m |= gich::MISR_NP;
    return m;
}

u32 Gich::ack() {
    u32 best = nlr, limit = running(apr);
    u32 pmr = vmcr >> gich::VMCR_PMR_SHIFT;
    if (pmr < limit) limit = pmr;
    for (u32 i = 0; i < nlr; ++i) {
        bool grp1 = (lr[i] & gich::LR_GRP1) != 0;
        if (state(lr[i]) != gich::LR_PENDING || (vmcr & (grp1 ? 2u : 1u)) == 0 || prio5(lr[i]) >= limit) continue;
        if (best == nlr || prio5(lr[i]) < prio5(lr[best])) best = i;
    }
    if (best == nlr) return 1023;
    lr[best] = (lr[best] & ~gich::LR_PENDING) | gich::LR_ACTIVE;
    apr |= 1u << prio5(lr[best]);
    return iar_of(lr[best]);
}

bool Gich::eoi(u32 iar) {
    if (apr != 0) apr &= apr - 1;  // priority drop
    for (u32 i = 0; i < nlr; ++i) {
        if ((lr[i] & gich::LR_ACTIVE) == 0 || iar_of(lr[i]) != (iar & 0x1fff)) continue;
        lr[i] &= ~gich::LR_ACTIVE;
        if ((lr[i] & gich::LR_HW) != 0) deactivated.push_back((lr[i] >> gich::LR_PHYS_SHIFT) & gich::LR_ID_MASK);
        return true;
    }
    return false;
}

Gich& gich() { return the_gich; }

void reset_gich(u32 nlr) {
    the_gich = Gich{};
    the_gich.nlr = nlr;
}

}  // namespace mv::fake

namespace mv::arch {

u32 gich_read(u32 r) {
    const fake::Gich& g = fake::gich();
    if (r >= gich::LR0 && r < gich::LR0 + 4 * g.nlr) return g.lr[(r - gich::LR0) / 4];
    switch (r) {
    case gich::HCR: return g.hcr;
    case gich::VTR: return g.vtr();
    case gich::VMCR: return g.vmcr;
    case gich::MISR: return g.misr();
    case gich::EISR0: return g.eisr();
    case gich::ELRSR0: return g.elrsr();
    case gich::APR: return g.apr;
    default: return 0;
    }
}

void gich_write(u32 r, u32 v) {
    fake::Gich& g = fake::gich();
    if (r >= gich::LR0 && r < gich::LR0 + 4 * g.nlr) {
        g.lr[(r - gich::LR0) / 4] = v;
        fake::cpu().event("write GICH_LR" + std::to_string((r - gich::LR0) / 4) + " " + fake::hex(v));
        return;
    }
    u32* reg = r == gich::HCR ? &g.hcr : r == gich::VMCR ? &g.vmcr : r == gich::APR ? &g.apr : nullptr;
    if (reg == nullptr) return;  // read-only or unassigned
    *reg = v;
    fake::cpu().event(std::string("write GICH_") + fake::name(r) + " " + fake::hex(v));
}

}  // namespace mv::arch
