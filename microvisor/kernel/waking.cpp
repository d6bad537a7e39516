// SPDX-License-Identifier: MIT
// Lab 2: timer deadlines, waking blocked vCPUs, and the end of a time slice.
#include "config/system_config.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/waking.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

// A vCPU that is not running has its timer in vcpu.ctx. NEVER when
// CNTV_CTL_ENABLE is clear; else CNTV_CVAL + the VM's cntvoff (a physical
// count), and NEVER if that sum overflows.
u64 timer_deadline(const Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

// For every vCPU of the system (system_config.vcpu_pool, nvcpus of them)
// except `current` (its timer is live in the hardware: its vcpu.ctx is stale),
// whose deadline is <= now:
//  - blocked: it becomes runnable at its VM's priority (even if it waived its
//    priority before it blocked) and joins the run queues;
//  - runnable but waived (priority below its VM's): it gets the VM's priority
//    back (remove, change, add: the queue depends on the priority);
//  - any other: nothing (a runnable vCPU keeps its place; off and stopped
//    vCPUs stay as they are).
// Then, if slice_over and `current` is not nullptr and still runnable, rotate
// it: wake first, rotate second.
void on_hyp_timer(Vcpu* current, u64 now, bool slice_over) {
    MV_LAB_TODO(2);
}

}  // namespace mv
