// SPDX-License-Identifier: MIT
// The port of an emulated device: the little it may ask of the VM it belongs
// to. The kernel implements it (kernel/device_port.cpp); a device model
// includes nothing of the kernel.
#pragma once

#include "lib/types.hpp"

namespace mv::port {

/// The VM's console output: one byte the guest wrote.
void console_out(u32 vm_id, u8 c);

/// The console's input for the VM: the next character, or -1 if none waits.
int console_in(u32 vm_id);

/// Whether a character of input waits for the VM.
bool console_in_ready(u32 vm_id);

/// The device's interrupt output, interrupt `id` of the VM's GIC, is now
/// `high` (Lab 4 on; before, a device's interrupt goes nowhere).
void irq_line(u32 vm_id, u32 id, bool high);

}  // namespace mv::port
