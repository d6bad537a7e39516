// SPDX-License-Identifier: MIT
// Lab 2: a vCPU waits (WFI), yields or waives its priority.
#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/waiting.hpp"
#include "kernel/waking.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

// The running vCPU executed WFI. Its timer is live: read CNTV_CTL from the
// hardware. If the timer is enabled and its condition is met (ISTATUS), an
// event is pending and WFI returns at once. Otherwise take the vCPU out of
// the run queues and mark it blocked (on_hyp_timer() wakes it).
void block_until_event(Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

// Give the rest of the slice to the next vCPU of the same priority.
void vcpu_yield(Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

// Run at priority 0 until the vCPU's timer fires (on_hyp_timer() restores it).
// The queue a vCPU is in depends on its priority: remove, change, add.
void priority_waive(Vcpu& vcpu) {
    MV_LAB_TODO(2);
}

}  // namespace mv
