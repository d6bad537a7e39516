// SPDX-License-Identifier: MIT
// Where a lab's code reaches a later lab's mechanism: only systems of that
// later lab (SystemConfig::lab) go through, so an earlier lab still passes
// with the later labs stubbed.
#include "kernel/hypercall.hpp"
#include "kernel/mmio.hpp"
#include "kernel/preempt.hpp"
#include "kernel/system.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

bool psci_smp_implemented(u32 fid) {
    return scheduling() && (fid == PSCI_CPU_ON || fid == PSCI_CPU_OFF || fid == PSCI_AFFINITY_INFO);
}

bool psci_smp_call(Vcpu& vcpu, u32 fid) {
    if (!psci_smp_implemented(fid)) return false;
    switch (fid) {
    case PSCI_CPU_ON:
        vcpu.r(0) = static_cast<u32>(psci_cpu_on(vcpu, vcpu.r(1), vcpu.r(2), vcpu.r(3)));
        break;
    case PSCI_CPU_OFF:
        psci_cpu_off(vcpu);
        break;
    default:
        vcpu.r(0) = static_cast<u32>(psci_affinity_info(vcpu, vcpu.r(1), vcpu.r(2)));
        break;
    }
    return true;
}

void hc_priority_waive(Vcpu& vcpu) {
    if (!scheduling()) {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
        return;
    }
    vcpu.r(0) = MV_OK;
    priority_waive(vcpu);
}

namespace {

// The region of the caller's description that holds [gpa, gpa + size), 4 KiB aligned.
const MemRegion* own_region(const Vcpu& vcpu, u32 gpa, u32 size) {
    if (size == 0 || ((gpa | size) & 0xfff) != 0) return nullptr;
    const VmConfig& c = *vcpu.vm->config;
    for (u32 i = 0; i < c.nregions; ++i) {
        const MemRegion& r = c.regions[i];
        if (gpa >= r.gpa && gpa - r.gpa <= r.size - size && size <= r.size) return &r;
    }
    return nullptr;
}

}  // namespace

void hc_mem_unmap(Vcpu& vcpu) {
    u32 gpa = vcpu.r(1), size = vcpu.r(2);
    if (!own_stage2()) {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
    } else if (own_region(vcpu, gpa, size) == nullptr) {
        vcpu.r(0) = static_cast<u32>(MV_INVALID_PARAMETERS);
    } else {
        S2Status s = vcpu.vm->stage2.unmap(gpa, size);
        vcpu.r(0) = static_cast<u32>(s == S2Status::ok ? MV_OK : MV_INVALID_PARAMETERS);
    }
}

void hc_mem_map(Vcpu& vcpu) {
    u32 gpa = vcpu.r(1), size = vcpu.r(2);
    const MemRegion* r = own_stage2() ? own_region(vcpu, gpa, size) : nullptr;
    if (!own_stage2()) {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
    } else if (r == nullptr) {
        vcpu.r(0) = static_cast<u32>(MV_INVALID_PARAMETERS);
    } else {
        S2Status s = vm_map_region(*vcpu.vm, *r, gpa, size);
        vcpu.r(0) = static_cast<u32>(s == S2Status::ok        ? MV_OK
                                     : s == S2Status::overlap ? MV_DENIED
                                                              : MV_INVALID_PARAMETERS);
    }
}

bool guest_buffer_mapped(const Vcpu& vcpu, u32 gpa, u32 len) {
    if (!own_stage2() || len == 0) return true;  // labs 1-2: the description's regions are the map
    u64 last;
    if (__builtin_add_overflow(static_cast<u64>(gpa), len - 1, &last) || last > 0xffffffffu) return false;
    for (u64 page = gpa & ~0xfffu; page <= last; page += 0x1000) {
        u64 pa;
        S2Attrs a;
        if (!vcpu.vm->stage2.translate(static_cast<u32>(page), pa, a) || !a.read || a.device) return false;
    }
    return true;
}

bool try_emulate_mmio(Vcpu& vcpu, const Hsr& hsr) {
    return own_stage2() && hsr.ec == Ec::dabt_lower && emulate_mmio(vcpu, hsr);
}

void vcpu_wait(Vcpu& vcpu, bool wfe) {
    if (!scheduling()) return;
    if (wfe)
        vcpu_yield(vcpu);  // no SEV tracking: a WFE gives the CPU away and comes back
    else
        block_until_event(vcpu);
}

}  // namespace mv
