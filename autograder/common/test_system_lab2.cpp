// SPDX-License-Identifier: MIT
// The system description of Lab 2's host tests: three VMs, four vCPUs, `lab = 2`.
#include "host_fixture.hpp"
#include "config/system_config.hpp"

namespace mv {
namespace {

const MemRegion ram[] = {{fake::RAM_BASE, fake::RAM_BASE, fake::RAM_SIZE, MemKind::Ram, true, true}};
const VmConfig vm_configs[] = {
    {"a", 0, fake::RAM_BASE, 2, 100, FaultPolicy::Reflect, ram, 1, 0},  // vCPUs 0, 1
    {"b", 1, fake::RAM_BASE, 1, 200, FaultPolicy::Reflect, ram, 1, 0},  // vCPU 2
    {"c", 2, fake::RAM_BASE, 1, 100, FaultPolicy::Reflect, ram, 1, 0},  // vCPU 3
};
Vm vm_pool[3];
Vcpu vcpu_pool[4];

}  // namespace

const SystemConfig system_config = {"host-test-lab2", 0x40000000, 0x40000000, vm_configs, 3, vm_pool,
                                    vcpu_pool, 4, 2, 1000, nullptr, 0};

}  // namespace mv
