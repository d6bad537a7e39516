// SPDX-License-Identifier: MIT
// The system description of the host tests of Labs 2 and 4: three VMs, four vCPUs, interrupt lines, `lab` of the autograder.
#include "host_fixture.hpp"
#include "config/system_config.hpp"

namespace mv {
namespace {

const MemRegion ram[] = {{fake::RAM_BASE, fake::RAM_BASE, fake::RAM_SIZE, MemKind::Ram, true, true}};
const VmConfig vm_configs[] = {
    // vCPUs 0, 1
    {.name = "a", .id = 0, .entry = fake::RAM_BASE, .vcpus = 2, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = ram, .nregions = 1, .params_gpa = 0, .pmu = false, .table_quota = 0},
    // vCPU 2
    {.name = "b", .id = 1, .entry = fake::RAM_BASE, .vcpus = 1, .priority = 200, .on_fault = FaultPolicy::Reflect,
     .regions = ram, .nregions = 1, .params_gpa = 0, .pmu = false, .table_quota = 0},
    // vCPU 3
    {.name = "c", .id = 2, .entry = fake::RAM_BASE, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = ram, .nregions = 1, .params_gpa = 0, .pmu = false, .table_quota = 0},
};
// Inter-VM interrupt lines (Lab 4's host tests, lab4/irq_lines_tests.cpp): handles 0-3.
// Their SPIs are both ends of each word of SPIs (32-63, 64-95).
const IrqLine irq_line_table[] = {
    {.source = 0, .target = 1, .irq = 32},  // a -> b
    {.source = 1, .target = 0, .irq = 63},  // b -> a
    {.source = 2, .target = 0, .irq = 64},  // c -> a
    {.source = 0, .target = 2, .irq = 95},  // a -> c
    {.source = 0, .target = 1, .irq = 33},  // past nirq_lines, no line: a limit check that reads it fails its test
};
Vm vm_pool[3];
Vcpu vcpu_pool[4];

}  // namespace

const SystemConfig system_config = {.name = "host-test-lab2", .ram_base = 0x40000000, .ram_size = 0x40000000,
                                    .vms = vm_configs, .nvms = 3, .vm_pool = vm_pool, .vcpu_pool = vcpu_pool,
                                    .nvcpus = 4, .lab = MV_TEST_SYSTEM_LAB, .time_slice_us = 1000, .table_storage = nullptr,
                                    .table_pages = 0, .irq_lines = irq_line_table, .nirq_lines = 4};

}  // namespace mv
