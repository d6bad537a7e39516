// SPDX-License-Identifier: MIT
// PSCI for the vCPUs of one VM (PSCI 1.0 sections 5.1.3-5.1.5): kernel/psci_cpu.cpp. (Lab 2)
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;

i32 psci_cpu_on(Vcpu& caller, u32 target_mpidr, u32 entry, u32 context_id);
void psci_cpu_off(Vcpu& caller);
i32 psci_affinity_info(Vcpu& caller, u32 target_mpidr, u32 level);

}  // namespace mv
