// SPDX-License-Identifier: MIT
// Sharing the CPU (labs 2 on): the glue between traps, the HYP timer and the
// Lab 2 pieces (Scheduler, save/restore_context, on_hyp_timer, VFP).
#include "kernel/schedule.hpp"

#include "arch.hpp"
#include "drivers/gic.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/preempt.hpp"
#include "kernel/scheduler.hpp"
#include "kernel/system.hpp"
#include "kernel/trap.hpp"
#include "vdev/vpl011.hpp"

namespace mv {
namespace {

u64 slice_end = 0;        // physical count at which the running vCPU's slice ends
u64 slice_ticks = 0;

constexpr u32 CNTHP_ENABLE = 1u << 0;

u64 now() { return arch::read64<reg::CNTPCT>(); }

void arm_hyp_timer(u64 deadline) {
    arch::write64<reg::CNTHP_CVAL>(deadline);
    arch::write<reg::CNTHP_CTL>(CNTHP_ENABLE);
    arch::isb();
}

// The earliest moment a vCPU that is not running wants its timer's event.
u64 earliest_deadline() {
    u64 earliest = NEVER;
    for (u32 i = 0; i < system_config.nvcpus; ++i) {
        const Vcpu& v = system_config.vcpu_pool[i];
        bool waits = v.state == VcpuState::blocked ||
                     (v.state == VcpuState::runnable && v.priority != v.vm->config->priority);
        if (waits && &v != running_vcpu()) {
            u64 d = timer_deadline(v);
            if (d < earliest) earliest = d;
        }
    }
    return earliest;
}

void finish_if_all_off() {
    for (u32 i = 0; i < system_config.nvms; ++i)
        if (!system_config.vm_pool[i].finished()) return;
    run_next();  // every VM finished: ends the system with the right status
}

// Nothing may run: sleep in WFI until a timer deadline wakes somebody.
void idle() {
    finish_if_all_off();
    u64 deadline = earliest_deadline();
    if (deadline == NEVER) {
        kprintf("MV: every vCPU waits and no timer is armed to wake any of them: stopping\n");
        for (u32 i = 0; i < system_config.nvms; ++i) {
            Vm& vm = system_config.vm_pool[i];
            if (!vm.finished()) vm_crash(vm, "deadlocked: all its vCPUs wait for nothing");
        }
        finish_if_all_off();
    }
    arm_hyp_timer(deadline);
    arch::wait_for_interrupt();  // IRQs stay masked in HYP mode: WFI wakes, nothing is taken
    handle_irq();
}

}  // namespace

void schedule_start() {
    slice_ticks = static_cast<u64>(arch::read<reg::CNTFRQ>()) * system_config.time_slice_us / 1000000;
    if (slice_ticks == 0) slice_ticks = 1;
    gic::init();
    gic::enable(gic::PPI_HYP_TIMER, 0x80);
    scheduler.clear();
    for (u32 i = 0; i < system_config.nvms; ++i) {
        Vm& vm = system_config.vm_pool[i];
        vm_start(vm);
        scheduler.add(vm.vcpus[0]);
    }
    reschedule();
}

void reschedule() {
    Vcpu* next = scheduler.pick();
    Vcpu* running = running_vcpu();  // whose GuestContext is live in the hardware
    if (running != nullptr && next != running) {
        save_context(*running);
        forget_running();
        running = nullptr;
    }
    while (next == nullptr) {
        idle();
        next = scheduler.pick();
    }
    u64 t = now();
    if (next != running) {
        restore_context(*next);
        switch_to(*next);  // now the running vCPU
        vfp_trap_update(*next);
        slice_end = t + slice_ticks;
    } else if (t >= slice_end) {
        slice_end = t + slice_ticks;
    }
    u64 deadline = earliest_deadline();
    arm_hyp_timer(deadline < slice_end ? deadline : slice_end);
}

void handle_irq() {
    u32 iar = gic::ack();
    u32 id = iar & 0x3ff;
    if (id == gic::SPURIOUS) return;
    if (id == gic::PPI_HYP_TIMER) {
        if (own_stage2()) vpl011_poll_input();  // Ctrl-A <n> moves the focus even if no VM reads
        // The timer's output is a level: it stays asserted until the timer is
        // disarmed. reschedule() arms it again.
        arch::write<reg::CNTHP_CTL>(0);
        u64 t = now();
        Vcpu* running = running_vcpu();
        on_hyp_timer(running, t, running != nullptr && t >= slice_end);
    } else {
        kprintf("MV: unexpected interrupt %u ignored\n", id);
    }
    gic::eoi(iar);
}

}  // namespace mv
