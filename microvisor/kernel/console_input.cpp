// SPDX-License-Identifier: MIT
// Input from the physical console, for the VM that has the focus.
#include "kernel/console_input.hpp"

#include "config/system_config.hpp"
#include "kernel/console.hpp"
#include "kernel/registry.hpp"
#include "kernel/trace.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

constexpr int CTRL_A = 0x01;  // then a digit: the VM that gets the input; in a traced image, 't': the trace now

u32 focus = 0;
bool escape = false;
u8 queue[64];  // typed, not yet read by the VM with the focus
u32 head = 0, count = 0;
bool held = false;  // the queue is full: the UART's receive interrupt is off

// The physical UART's receive interrupt (the scheduler enables it): input waits.
bool on_console_irq(u32) {
    console_input_poll();
    return true;
}

}  // namespace

MV_IRQ_HANDLER(CONSOLE_IRQ, on_console_irq);

u32 console_input_focus() { return focus; }

void console_input_poll() {
    bool arrived = false;
    // Take no more than the queue holds: the rest waits in the UART (its receive
    // interrupt off meanwhile), and QEMU holds back what is typed or pasted after
    // it. Nothing is lost, however fast it comes.
    for (int c = count < sizeof(queue) ? console_getc() : -1; c >= 0;
         c = count < sizeof(queue) ? console_getc() : -1) {
        if (escape) {
            escape = false;
            if (c == 't' && trace::ENABLED) {  // the harness, at a run's timeout (kernel/trace.hpp)
                trace::dump();
                continue;
            }
            u32 n = static_cast<u32>(c - '0');
            if (c >= '0' && n < system_config.nvms) {
                focus = n;
                count = 0;  // what was typed for the old focus is not the new one's
                kprintf("\nMV: input goes to VM %u (%s)\n", n, system_config.vms[n].name);
                continue;
            }
        } else if (c == CTRL_A) {
            escape = true;
            continue;
        }
        queue[(head + count) % sizeof(queue)] = static_cast<u8>(c);
        ++count;
        arrived = true;
    }
    if (count == sizeof(queue) && !held) console_rx_interrupt(false);
    held = count == sizeof(queue);
    // With virtual interrupts (Lab 4), the emulated UART of the VM with the focus
    // raises its own, whoever drained the physical one: its interrupt, or a
    // guest's read of its UART that polls it too.
    if (const VirqOps* ops = registry().virq; arrived && ops != nullptr && focus < system_config.nvms)
        ops->console_input(system_config.vm_pool[focus]);
}

bool console_input_ready(u32 vm_id) {
    console_input_poll();
    return vm_id == focus && count > 0;
}

int console_input_getc(u32 vm_id) {
    if (!console_input_ready(vm_id)) return -1;
    u8 c = queue[head];
    head = (head + 1) % sizeof(queue);
    --count;
    if (held) {
        held = false;
        console_rx_interrupt(true);  // room again: what waits in the UART comes in
    }
    return c;
}

}  // namespace mv
