// SPDX-License-Identifier: MIT
// The system description of the host tests of Lab 1 and Lab 3: one VM, one
// vCPU (what mv-sysgen would emit for it). MV_TEST_SYSTEM_LAB is its `lab`
// (Lab 3's Stage2 tests bring their own table pool).
//
// Its memory, all inside the fake RAM (fake::RAM_BASE, 16 MiB), in 2 MiB
// blocks so that the coarse map of Labs 1-2 can map it:
//   guest-physical         physical               what
//   0x4800_0000 8 MiB      0x4800_0000            RAM, 1:1 (mvtest::RAM_*)
//   0x6000_0000 2 MiB      0x48c0_0000            RAM, elsewhere (mvtest::SCATTERED)
//   0x6020_0000 2 MiB      0x4880_0000            RAM, next in the guest, before it in physical memory
//   0x6100_0000 2 MiB      0x48e0_0000            RAM, read-only (mvtest::READ_ONLY)
//   0x0a00_0000 2 MiB      0x0a00_0000            a device (mvtest::DEVICE_BASE)
//   0xffe0_0000 2 MiB      0x48a0_0000            RAM at the top of the address space (mvtest::TOP)
//   0x0000_0000 2 MiB      0x48a0_0000            and at its bottom, the same memory: a buffer that
//                                                 wraps around 4 GiB finds memory on both sides
#include "host_fixture.hpp"
#include "config/system_config.hpp"

namespace mv {
namespace {

using namespace mvtest;

const MemRegion vm0_regions[] = {
    {RAM_BASE, RAM_BASE, RAM_SIZE, MemKind::Ram, true, true},
    {SCATTERED, 0x48c00000, 0x200000, MemKind::Ram, true, true},
    {SCATTERED + 0x200000, 0x48800000, 0x200000, MemKind::Ram, true, true},
    {READ_ONLY, 0x48e00000, 0x200000, MemKind::Ram, false, false},
    {DEVICE_BASE, DEVICE_BASE, 0x200000, MemKind::Device, true, false},
    {TOP, 0x48a00000, 0x200000, MemKind::Ram, true, false},
    {0x00000000, 0x48a00000, 0x200000, MemKind::Ram, true, false},
};
const VmConfig vm_configs[] = {
    {.name = "host", .id = 0, .entry = RAM_BASE, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = vm0_regions, .nregions = 7, .params_gpa = RAM_BASE + RAM_SIZE - 0x1000, .pmu = false, .table_quota = 0},
};
Vm vm_pool[1];
Vcpu vcpu_pool[1];

}  // namespace

const SystemConfig system_config = {.name = "host-test", .ram_base = 0x40000000, .ram_size = 0x40000000,
                                    .vms = vm_configs, .nvms = 1, .vm_pool = vm_pool, .vcpu_pool = vcpu_pool,
                                    .nvcpus = 1, .lab = MV_TEST_SYSTEM_LAB, .time_slice_us = 1000,
                                    .table_storage = nullptr, .table_pages = 0};

}  // namespace mv
