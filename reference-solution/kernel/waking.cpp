// SPDX-License-Identifier: MIT
// Lab 2: timer deadlines, waking blocked vCPUs, and the end of a time slice.
#include "kernel/waking.hpp"

#include "config/system_config.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {

u64 timer_deadline(const Vcpu& vcpu) {
    if ((vcpu.ctx.cntv_ctl & CNTV_CTL_ENABLE) == 0) return NEVER;
    // The guest compares its virtual count (physical - CNTVOFF) with CVAL.
    u64 deadline;
    if (__builtin_add_overflow(vcpu.ctx.cntv_cval, vcpu.vm->cntvoff, &deadline)) return NEVER;
    return deadline;
}

namespace {

// v's timer at `now`, unless v is `current`, whose timer is live in the
// hardware (its vcpu.ctx is stale): a blocked vCPU wakes, a waived one gets
// its VM's priority back.
void wake_if_due(Vcpu& v, const Vcpu* current, u64 now) {
    if (&v == current || timer_deadline(v) > now) return;
    u32 own = v.vm->config->priority;
    if (v.state == VcpuState::blocked) {
        v.state = VcpuState::runnable;
        v.priority = own;
        run_queues.add(v);
    } else if (v.state == VcpuState::runnable && v.priority != own) {
        run_queues.remove(v);  // a waived vCPU's interrupt arrived
        v.priority = own;
        run_queues.add(v);
    }
}

}  // namespace

void on_hyp_timer(Vcpu* current, u64 now, bool slice_over) {
    // Wake first, rotate second: a vCPU woken now runs before the one whose slice ended.
    for (u32 i = 0; i < system_config.nvcpus; ++i) wake_if_due(system_config.vcpu_pool[i], current, now);
    if (current != nullptr && current->state == VcpuState::runnable && slice_over) run_queues.rotate(*current);
}

}  // namespace mv
