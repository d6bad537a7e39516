// SPDX-License-Identifier: MIT
// The system the trap fuzzer runs (what mv-sysgen would emit for it): two VMs,
// three vCPUs, `lab = 3`. All RAM lies in the fake RAM (fake::RAM_BASE, 16 MiB).
//
//   VM 0 "a": 2 vCPUs, priority 100, a stray access is reflected to the guest, it has the PMU
//     guest-physical        physical       what
//     0x4000_0000 2 MiB     0x4800_0000    RAM: one 2 MiB block
//     0x4020_0000 64 KiB    0x4880_0000    RAM in pages: next in the guest, elsewhere in physical memory
//     0x4100_0000 1 MiB     0x4890_0000    RAM, read-only
//     0x0a00_0000 4 KiB     0x0a00_0000    a device passed through (outside the fake RAM)
//   VM 1 "b": 1 vCPU starting in Thumb state, priority 100, a stray access stops the VM
//     0x4000_0000 2 MiB     0x4840_0000    RAM at the same guest-physical address as VM 0's
//     0x8000_0000 8 KiB     0x48a0_0000    RAM above 2 GiB: another level-1 entry
//
// Stage-2 tables: the maps at boot take 6 of VM 0 (level 1, two level 2, three
// level 3) and 4 of VM 1 (level 1, two level 2, one level 3). VM 0's quota
// leaves room for one split of its 2 MiB block, VM 1's for none.
#include "config/system_config.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

constexpr u32 QUOTA_A = 7, QUOTA_B = 4, TABLE_PAGES = QUOTA_A + QUOTA_B;

const MemRegion vm0_regions[] = {
    {.gpa = 0x40000000, .pa = 0x48000000, .size = 0x200000, .kind = MemKind::Ram, .writable = true, .executable = true},
    {.gpa = 0x40200000, .pa = 0x48800000, .size = 0x10000, .kind = MemKind::Ram, .writable = true, .executable = true},
    {.gpa = 0x41000000, .pa = 0x48900000, .size = 0x100000, .kind = MemKind::Ram, .writable = false, .executable = false},
    {.gpa = 0x0a000000, .pa = 0x0a000000, .size = 0x1000, .kind = MemKind::Device, .writable = true, .executable = false},
};
const MemRegion vm1_regions[] = {
    {.gpa = 0x40000000, .pa = 0x48400000, .size = 0x200000, .kind = MemKind::Ram, .writable = true, .executable = true},
    {.gpa = 0x80000000, .pa = 0x48a00000, .size = 0x2000, .kind = MemKind::Ram, .writable = true, .executable = true},
};
const VmConfig vm_configs[] = {
    {.name = "a", .id = 0, .entry = 0x40000000, .vcpus = 2, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = vm0_regions, .nregions = 4, .params_gpa = 0x401ff000, .pmu = true, .table_quota = QUOTA_A},
    {.name = "b", .id = 1, .entry = 0x40000001, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Stop,
     .regions = vm1_regions, .nregions = 2, .params_gpa = 0, .pmu = false, .table_quota = QUOTA_B},
};
Vm vm_pool[2];
Vcpu vcpu_pool[3];
alignas(4096) u64 table_storage[TABLE_PAGES][512];

}  // namespace

const SystemConfig system_config = {
    .name = "fuzz",
    .ram_base = 0x40000000,
    .ram_size = 0x40000000,
    .vms = vm_configs,
    .nvms = 2,
    .vm_pool = vm_pool,
    .vcpu_pool = vcpu_pool,
    .nvcpus = 3,
    .lab = 3,
    .time_slice_us = 1000,
    .table_storage = &table_storage[0][0],
    .table_pages = TABLE_PAGES,
};

}  // namespace mv
