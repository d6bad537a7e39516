// SPDX-License-Identifier: MIT
// The system description of Lab 5's host tests: three VMs, each with its own
// stage-2 map (`lab` of the autograder, so Lab 3's tables), and channels
// between them (what mv-sysgen would emit for it). All RAM lies in the fake
// RAM (fake::RAM_BASE, 16 MiB).
//
// Every VM has the same guest-physical layout, backed by its own memory:
//   guest-physical         what
//   0x4000_0000 1 MiB      RAM (mvtest::lab5::RAM)
//   0x4010_0000 64 KiB     RAM, read-only (mvtest::lab5::READ_ONLY)
//   0x4020_0000 8 KiB      RAM; the page after it is unmapped (mvtest::lab5::EDGE)
//   0x0a00_0000 4 KiB      a device (mvtest::lab5::DEVICE)
// VM k's memory is at physical 0x4800_0000 + k * 0x40_0000 (RAM, then read-only, then the 8 KiB).
//
// Channels (handle: ends, irq, depth, message size):
//   0: a <-> b, SPI 80, 4 messages of 62 bytes (slots of 4 + 64)
//   1: b <-> c, SPI 48, 2 of 16 (not VM a's)
//   2: c <-> a, SPI 95, 1 of 2048 (VM a is ends[1])
//   and past nchannels, an entry that is no channel: a handle check off by one that reads it fails its test.
#include "host_fixture.hpp"
#include "config/system_config.hpp"

namespace mv {
namespace {

constexpr u32 QUOTA = 6;  // level 1, two level 2 (GiB 0 and 1), three level 3 (the 1 MiB, the 8 KiB, the device)

constexpr MemRegion region(u32 vm, u32 gpa, u32 offset, u32 size, MemKind kind, bool writable) {
    return {gpa, kind == MemKind::Device ? 0x0a000000 + vm * 0x1000 : 0x48000000 + vm * 0x400000 + offset, size, kind,
            writable, false};
}
#define MV_LAB5_REGIONS(k)                                                    \
    {region(k, 0x40000000, 0, 0x100000, MemKind::Ram, true),                 \
     region(k, 0x40100000, 0x100000, 0x10000, MemKind::Ram, false),          \
     region(k, 0x40200000, 0x200000, 0x2000, MemKind::Ram, true),            \
     region(k, 0x0a000000, 0, 0x1000, MemKind::Device, true)}
const MemRegion regions_a[] = MV_LAB5_REGIONS(0);
const MemRegion regions_b[] = MV_LAB5_REGIONS(1);
const MemRegion regions_c[] = MV_LAB5_REGIONS(2);
#undef MV_LAB5_REGIONS

const VmConfig vm_configs[] = {
    // vCPUs 0, 1
    {.name = "a", .id = 0, .entry = 0x40000000, .vcpus = 2, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = regions_a, .nregions = 4, .params_gpa = 0, .pmu = false, .table_quota = QUOTA},
    // vCPU 2
    {.name = "b", .id = 1, .entry = 0x40000000, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = regions_b, .nregions = 4, .params_gpa = 0, .pmu = false, .table_quota = QUOTA},
    // vCPU 3
    {.name = "c", .id = 2, .entry = 0x40000000, .vcpus = 1, .priority = 100, .on_fault = FaultPolicy::Reflect,
     .regions = regions_c, .nregions = 4, .params_gpa = 0, .pmu = false, .table_quota = QUOTA},
};

alignas(4) u8 storage0[2 * 4 * (4 + 64)];
alignas(4) u8 storage1[2 * 2 * (4 + 16)];
alignas(4) u8 storage2[2 * 1 * (4 + 2048)];
alignas(4) u8 storage3[2 * 4 * (4 + 64)];
const ChannelConfig channel_table[] = {
    {.ends = {0, 1}, .irq = 80, .depth = 4, .message_size = 62, .storage = storage0},
    {.ends = {1, 2}, .irq = 48, .depth = 2, .message_size = 16, .storage = storage1},
    {.ends = {2, 0}, .irq = 95, .depth = 1, .message_size = 2048, .storage = storage2},
    {.ends = {0, 1}, .irq = 81, .depth = 4, .message_size = 64, .storage = storage3},  // past nchannels: no channel
};

Vm vm_pool[3];
Vcpu vcpu_pool[4];
alignas(4096) u64 table_storage[3 * QUOTA][512];

}  // namespace

const SystemConfig system_config = {.name = "host-test-lab5", .ram_base = 0x40000000, .ram_size = 0x40000000,
                                    .vms = vm_configs, .nvms = 3, .vm_pool = vm_pool, .vcpu_pool = vcpu_pool,
                                    .nvcpus = 4, .lab = MV_TEST_SYSTEM_LAB, .time_slice_us = 1000,
                                    .table_storage = &table_storage[0][0], .table_pages = 3 * QUOTA,
                                    .channels = channel_table, .nchannels = 3};

}  // namespace mv
