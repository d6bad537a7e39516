// SPDX-License-Identifier: MIT
// What Lab 3's memory offers guests: MV_CALL_MEM_UNMAP and MV_CALL_MEM_MAP,
// the emulation of MMIO on stage-2 data aborts, and the emulated PL011.
#include "kernel/mmio.hpp"
#include "kernel/registry.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"
#include "vdev/vpl011.hpp"

namespace mv {
namespace {

// A Stage2 result as the guest sees it.
u32 status(S2Status s) {
    switch (s) {
    case S2Status::ok: return MV_OK;
    case S2Status::overlap: return static_cast<u32>(MV_DENIED);
    case S2Status::no_memory: return static_cast<u32>(MV_NO_MEMORY);
    default: return static_cast<u32>(MV_INVALID_PARAMETERS);
    }
}

// The region of the caller's description that holds [gpa, gpa + size), 4 KiB aligned.
const MemRegion* own_region(const Vcpu& vcpu, u32 gpa, u32 size) {
    if (size == 0 || ((gpa | size) & 0xfff) != 0) return nullptr;
    const VmConfig& c = *vcpu.vm->config;
    for (u32 i = 0; i < c.nregions; ++i) {
        const MemRegion& r = c.regions[i];
        if (gpa >= r.gpa && size <= r.size && gpa - r.gpa <= r.size - size) return &r;
    }
    return nullptr;
}

void hc_mem_unmap(Vcpu& vcpu) {
    u32 gpa = vcpu.r(1), size = vcpu.r(2);
    if (own_region(vcpu, gpa, size) == nullptr) {
        vcpu.r(0) = static_cast<u32>(MV_INVALID_PARAMETERS);
        return;
    }
    vcpu.r(0) = status(vcpu.vm->stage2.unmap(gpa, size));
}

void hc_mem_map(Vcpu& vcpu) {
    u32 gpa = vcpu.r(1), size = vcpu.r(2);
    const MemRegion* r = own_region(vcpu, gpa, size);
    if (r == nullptr) {
        vcpu.r(0) = static_cast<u32>(MV_INVALID_PARAMETERS);
        return;
    }
    vcpu.r(0) = status(vcpu.vm->stage2.map(gpa, r->pa + (gpa - r->gpa), size, region_attrs(*r)));
}

u32 uart_read(Vm& vm, u32 offset, u32 size) { return vpl011_read(vm.uart, offset, size); }
void uart_write(Vm& vm, u32 offset, u32 size, u32 value) { vpl011_write(vm.uart, offset, size, value); }

}  // namespace

MV_VENDOR_CALL(MV_CALL_MEM_UNMAP, hc_mem_unmap);
MV_VENDOR_CALL(MV_CALL_MEM_MAP, hc_mem_map);
MV_MMIO_EMULATOR(emulate_mmio);
MV_MMIO_DEVICE(pl011, VPL011_BASE, VPL011_SIZE, uart_read, uart_write);

}  // namespace mv
