// SPDX-License-Identifier: MIT
// The microvisor's console: its own messages and what guests write.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// One character to the physical console (the PL011 driver, or the fake arch's buffer).
void console_putc(char c);

/// The next character typed on the physical console, or -1 if there is none.
int console_getc();

/// printf to the console.
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// A guest's output: each line is prefixed with the VM's name when the system has several VMs.
void console_guest_write(Vm& vm, const u8* buf, u32 len);

}  // namespace mv
