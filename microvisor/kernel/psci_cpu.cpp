// SPDX-License-Identifier: MIT
// Lab 2: PSCI CPU_ON, CPU_OFF and AFFINITY_INFO for the vCPUs of one VM.
#include "kernel/psci_cpu.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// vCPU n of a VM has the MPIDR affinity 0.0.n: bits 7:0 = n, bits 23:8 zero;
// bits 31:24 are ignored (a value read from MPIDR has bit 31 set). A target
// that names no vCPU of the caller's VM: MV_INVALID_PARAMETERS.

// Start vCPU `mpidr` of the caller's VM at `entry` with r0 = context_id.
// Only a vCPU that is off can start (else MV_ALREADY_ON: a blocked vCPU is
// on): reset() it, set r0, make it runnable and add it to the run queues.
// Returns MV_OK.
i32 psci_cpu_on(Vcpu& caller, u32 mpidr, u32 entry, u32 context_id) {
    MV_LAB_TODO(2);
}

// The caller stops: out of the run queues, state off; its r0 is left alone.
// When every vCPU of its VM is off (a blocked one is on), the VM is powered
// off (vm_power_off()).
void psci_cpu_off(Vcpu& caller) {
    MV_LAB_TODO(2);
}

// 1 (OFF) if vCPU `mpidr` of the caller's VM is off, 0 (ON) in any other
// state; level must be 0.
i32 psci_affinity_info(Vcpu& caller, u32 mpidr, u32 level) {
    MV_LAB_TODO(2);
}

}  // namespace mv
