// SPDX-License-Identifier: MIT
// The scheduler (Lab 2 on): the glue between traps, the HYP timer and Lab 2's
// pieces (RunQueues, save/restore_context, on_hyp_timer, block_until_event, VFP),
// and the physical interrupts. Lab 4's virtual interrupts follow a vCPU on
// and off the CPU through the registry's VirqOps.
#include "kernel/scheduler.hpp"

#include "arch.hpp"
#include "drivers/gic.hpp"
#include "kernel/console.hpp"
#include "kernel/context.hpp"
#include "kernel/registry.hpp"
#include "kernel/run.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/system.hpp"
#include "kernel/trace.hpp"
#include "kernel/vfp.hpp"
#include "kernel/waiting.hpp"
#include "kernel/waking.hpp"

namespace mv {
namespace {

bool changed = false;     // run_after_trap() must reschedule
u64 slice_end = 0;        // physical count at which the running vCPU's slice ends
u64 slice_ticks = 0;

constexpr u32 CNTHP_ENABLE = 1u << 0;

// Why the next switch happens, for a traced image's vcpu_switch events.
#if MV_TRACE
trace::Why why = trace::Why::start;
void because(trace::Why w) { why = w; }
trace::Why why_now() { return why; }
#else
inline void because(trace::Why) {}
inline trace::Why why_now() { return trace::Why::start; }
#endif

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

const VirqOps* virq() { return registry().virq; }

// Nothing may run: sleep in WFI until a timer deadline or an interrupt wakes somebody.
void idle() {
    end_if_all_finished();
    u64 deadline = earliest_deadline();
    if (deadline == NEVER && (virq() == nullptr || !virq()->waits_for_device())) {
        kprintf("MV: every vCPU waits and no timer is armed to wake any of them: stopping\n");
        for (u32 i = 0; i < system_config.nvms; ++i) {
            Vm& vm = system_config.vm_pool[i];
            if (!vm.finished()) vm_crash(vm, "deadlocked: all its vCPUs wait for nothing");
        }
        end_if_all_finished();
    }
    if (deadline == NEVER) {
        arch::write<reg::CNTHP_CTL>(0);  // no timer at all: under QEMU -icount sleep=off, one at "never"
        arch::isb();                     // makes virtual time leap there, and input then never comes
    } else {
        arm_hyp_timer(deadline);
    }
    arch::wait_for_interrupt();  // IRQs stay masked in HYP mode: WFI wakes, nothing is taken
    run_irq();
}

}  // namespace

void need_reschedule() { changed = true; }

void run_start() {
    slice_ticks = static_cast<u64>(arch::read<reg::CNTFRQ>()) * system_config.time_slice_us / 1000000;
    if (slice_ticks == 0) slice_ticks = 1;
    gic::init();
    gic::enable(gic::PPI_HYP_TIMER, 0x80);
    const Registry& r = registry();
    for (u32 i = 0; i < r.nirqs; ++i) {
        u32 id = r.irq[i].id;
        id >= gic::SPI_FIRST ? gic::enable_spi(id, 0x80) : gic::enable(id, 0x80);
    }
    console_rx_interrupt(true);
    if (virq() != nullptr) virq()->boot();
    run_queues.clear();
    u64 epoch = now();  // every VM's time starts together
    for (u32 i = 0; i < system_config.nvms; ++i) vm_start(system_config.vm_pool[i], epoch);
    reschedule();
    if (virq() != nullptr) virq()->enter(*running_vcpu());
}

void run_ready(Vcpu& v) {
    because(trace::Why::start);
    run_queues.add(v);  // reschedule() loads its state when it runs
    changed = true;
}

void run_stop(Vcpu& v) {
    because(trace::Why::stop);
    run_queues.remove(v);
    changed = true;
}

void run_wait(Vcpu& v, bool wfe) {
    because(wfe ? trace::Why::yield : trace::Why::wait);
    if (wfe)
        vcpu_yield(v);  // no SEV tracking: a WFE gives the CPU away and comes back
    else if (virq() != nullptr && virq()->pending(v))
        return;  // an interrupt for it is pending: WFI ends at once
    else
        block_until_event(v);
    changed = true;
}

void run_wake(Vcpu& v) {
    u32 own = v.vm->config->priority;
    if (v.state == VcpuState::blocked) {
        v.state = VcpuState::runnable;
    } else if (v.state != VcpuState::runnable || v.priority == own) {
        return;
    } else {
        run_queues.remove(v);  // waived: the interrupt ends the waiver
    }
    v.priority = own;
    run_queues.add(v);
    because(trace::Why::wake);
    changed = true;
}

void run_after_trap() {
    if (changed) reschedule();
    if (virq() != nullptr) virq()->enter(*running_vcpu());  // its list registers filled
}

void reschedule() {
    Vcpu* next = run_queues.pick();
    Vcpu* running = running_vcpu();  // whose GuestContext is live in the hardware
    [[maybe_unused]] u32 before = trace::index(running);
    if (running != nullptr && next != running) {
        save_context(*running);
        if (virq() != nullptr) virq()->leave(*running);
        forget_running();
        running = nullptr;
    }
    if (next == nullptr && before != trace::NONE) {
        trace::record(trace::Kind::vcpu_switch, trace::NONE, before, static_cast<u32>(why_now()));
        before = trace::NONE;
    }
    while (next == nullptr) {
        idle();
        next = run_queues.pick();
    }
    if (next != running) {
        restore_context(*next);
        if (virq() != nullptr) virq()->take(*next);
        switch_to(*next);  // now the running vCPU
        trace::record(trace::Kind::vcpu_switch, trace::index(next), before, static_cast<u32>(why_now()));
        vfp_trap_update(*next);
        // A slice less what it overran the last one by (a long hypercall, say):
        // over time every vCPU gets its share, however long its traps take.
        u64 debt = next->overrun < slice_ticks ? next->overrun : slice_ticks - 1;
        next->overrun = 0;
        slice_end = now() + slice_ticks - debt;
    }
    // The same vCPU goes on: its slice goes on too, time in HYP included. If
    // it is over, the timer fires as soon as the guest runs: the tick is not lost.
    u64 deadline = earliest_deadline();
    arm_hyp_timer(deadline < slice_end ? deadline : slice_end);
    changed = false;
}

void run_irq() {
    u32 iar = gic::ack();
    u32 id = iar & gic::IAR_ID_MASK;
    if (id == gic::SPURIOUS) return;
    gic::eoi(iar);  // priority drop (the GIC runs with EOImode = 1: drivers/gic.hpp)
    bool done = true;
    if (id == gic::PPI_HYP_TIMER) {
        // The timer's output is a level: it stays asserted until the timer is
        // disarmed. reschedule() arms it again.
        arch::write<reg::CNTHP_CTL>(0);
        u64 t = now();
        Vcpu* running = running_vcpu();
        bool slice_over = running != nullptr && t >= slice_end;
        trace::record(trace::Kind::timer, trace::index(running), slice_over ? 1 : 0, 0);
        because(slice_over ? trace::Why::slice : trace::Why::wake);  // else a blocked or waived vCPU's deadline
        on_hyp_timer(running, t, slice_over);
        if (slice_over) {
            running->overrun = t - slice_end;  // time in HYP past the slice's end is the vCPU's too
            slice_end = t + slice_ticks;       // the tick is taken: a new slice, whoever runs it
        }
        changed = true;
    } else if (IrqHandler handler = registry().irq_handler(id); handler != nullptr) {
        done = handler(id);
    } else if (virq() != nullptr) {
        done = virq()->forward(id);  // a device's interrupt, of the VM that owns it
    } else {
        kprintf("MV: unexpected interrupt %u ignored\n", id);
    }
    if (done) gic::deactivate(iar);  // handled here, not forwarded: inactive again
}

}  // namespace mv
