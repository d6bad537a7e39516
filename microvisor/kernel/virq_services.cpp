// SPDX-License-Identifier: MIT
// What Lab 4's virtual interrupts offer guests: the emulated GIC distributor
// at 0x0800_0000 (vdev/vgic.hpp). Its registers are banked per vCPU: the
// accessing one is the vCPU that trapped.
#include "kernel/registry.hpp"
#include "kernel/system.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

u32 gicd_read(Vm& vm, u32 offset, u32 size) { return vm.vgic.read(current_vcpu().id, offset, size); }
void gicd_write(Vm& vm, u32 offset, u32 size, u32 value) { vm.vgic.write(current_vcpu().id, offset, size, value); }

}  // namespace

MV_MMIO_DEVICE(gicd, VGICD_BASE, VGICD_SIZE, gicd_read, gicd_write);

}  // namespace mv
