// SPDX-License-Identifier: MIT
// What Lab 4's virtual interrupts offer guests: the emulated GIC distributor
// at 0x0800_0000 (vdev/vgic.hpp), whose registers are banked per vCPU (the
// accessing one is the vCPU that trapped), and the inter-VM interrupt lines
// (kernel/irq_lines.hpp).
#include "kernel/irq_lines.hpp"
#include "kernel/registry.hpp"
#include "kernel/system.hpp"
#include "kernel/virq.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

u32 gicd_read(Vm& vm, u32 offset, u32 size) {
    virq_sync();  // the guest may have taken or ended some since the last entry
    return vm.vgic.read(current_vcpu().id, offset, size);
}

void gicd_write(Vm& vm, u32 offset, u32 size, u32 value) {
    virq_sync();
    vm.vgic.write(current_vcpu().id, offset, size, value);
    virq_wake(vm);  // an SGI, a set-pending or an enable may be for a vCPU that waits
}

void hc_virq_raise(Vcpu& vcpu) {
    u32 handle = vcpu.r(1);
    virq_sync();
    i32 status = irq_line_raise(*vcpu.vm, handle, vcpu.r(2));
    if (status == MV_OK) {
        const IrqLine& line = system_config.irq_lines[handle];
        virq_wake_for(system_config.vm_pool[line.target], line.irq);
    }
    vcpu.r(0) = static_cast<u32>(status);
}

void hc_virq_fetch(Vcpu& vcpu) {
    u32 payload = 0;
    vcpu.r(0) = static_cast<u32>(irq_line_fetch(*vcpu.vm, vcpu.r(1), payload));
    vcpu.r(1) = payload;
}

}  // namespace

MV_MMIO_DEVICE(gicd, VGICD_BASE, VGICD_SIZE, gicd_read, gicd_write);
MV_VENDOR_CALL(MV_CALL_VIRQ_RAISE, hc_virq_raise);
MV_VENDOR_CALL(MV_CALL_VIRQ_FETCH, hc_virq_fetch);

}  // namespace mv
