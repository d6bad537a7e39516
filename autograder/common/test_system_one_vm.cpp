// SPDX-License-Identifier: MIT
// The system description of the host tests of Lab 1 and Lab 3: one VM, one
// vCPU (what mv-sysgen would emit for it). MV_TEST_SYSTEM_LAB is its `lab`
// (Lab 3's Stage2 tests bring their own table pool).
#include "host_fixture.hpp"
#include "kernel/config.hpp"

namespace mv {
namespace {

const MemRegion vm0_regions[] = {
    {fake::RAM_BASE, fake::RAM_BASE, fake::RAM_SIZE, MemKind::Ram, true, true},
    {mvtest::DEVICE_BASE, mvtest::DEVICE_BASE, 0x200000, MemKind::Device, true, false},
};
const VmConfig vm_configs[] = {
    {"host", 0, fake::RAM_BASE, 1, 100, FaultPolicy::Reflect, vm0_regions, 2,
     fake::RAM_BASE + fake::RAM_SIZE - 0x1000},
};
Vm vm_pool[1];
Vcpu vcpu_pool[1];

}  // namespace

const SystemConfig system_config = {"host-test", 0x40000000, 0x40000000, vm_configs, 1, vm_pool,
                                    vcpu_pool, 1, MV_TEST_SYSTEM_LAB, 1000, nullptr, 0};

}  // namespace mv
