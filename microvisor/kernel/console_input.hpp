// SPDX-License-Identifier: MIT
// Input from the physical console: it goes to the VM that has the focus.
// VM 0 has it at first; Ctrl-A followed by a VM's number moves it.
#pragma once

#include "lib/types.hpp"

namespace mv {

/// Move what was typed on the physical console into the input queue of the
/// VM with the focus, handling Ctrl-A <n>. Called on every read, and (Lab 2
/// on, where the scheduler turns the console's interrupt on) on every
/// interrupt of the physical UART, so the focus moves even while no VM reads.
void console_input_poll();

/// The next character typed for VM `vm_id`, or -1 if none waits (or the VM
/// does not have the focus).
int console_input_getc(u32 vm_id);

/// Whether a character waits for VM `vm_id`.
bool console_input_ready(u32 vm_id);

/// The VM that has the input focus.
u32 console_input_focus();

}  // namespace mv
