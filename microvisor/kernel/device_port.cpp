// SPDX-License-Identifier: MIT
// The port of emulated devices (vdev/port.hpp): what a device may ask of its VM.
#include "vdev/port.hpp"

#include "config/system_config.hpp"
#include "kernel/console.hpp"
#include "kernel/console_input.hpp"
#include "kernel/registry.hpp"
#include "kernel/vm.hpp"

namespace mv::port {

void console_out(u32 vm_id, u8 c) { console_guest_write(system_config.vm_pool[vm_id], &c, 1); }

int console_in(u32 vm_id) { return console_input_getc(vm_id); }

bool console_in_ready(u32 vm_id) { return console_input_ready(vm_id); }

void irq_line(u32 vm_id, u32 id, bool high) {
    if (const VirqOps* ops = registry().virq) ops->device_line(system_config.vm_pool[vm_id], id, high);
}

}  // namespace mv::port
