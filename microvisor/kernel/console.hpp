// SPDX-License-Identifier: MIT
// The microvisor's console: its own messages and what guests write.
//
// Every line the microvisor prints starts a line of the physical console. Every line a
// guest writes starts with `[<vm name>] ` and carries no control bytes. So no guest can
// print a line that reads as the microvisor's (MV_PANIC:, MV: VM ..., MV_EXIT:) or as
// another VM's, and the harness reads its markers at the start of a line only.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// One character to the physical console (the PL011 driver, or the fake arch's buffer).
void console_putc(char c);

/// The next character typed on the physical console, or -1 if there is none.
int console_getc();

/// The physical console interrupts (CONSOLE_IRQ) when a character arrives (on),
/// or not: what is typed then waits in the UART, and QEMU holds the rest back.
void console_rx_interrupt(bool on);
/// The physical console's receive interrupt: SPI 1 of the virt board.
inline constexpr u32 CONSOLE_IRQ = 33;

/// printf to the console. A guest line left open (no '\n' yet) is ended first.
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// A guest's output. Each of its lines starts with `[<vm name>] `; another VM's or the
/// microvisor's output ends the line first. Bytes go through console_escape().
void console_guest_write(Vm& vm, const u8* buf, u32 len);

/// How a guest's byte `c` appears on the console, NUL-terminated in `out`: printable
/// ASCII, '\n' and '\t' as they are; '\r' dropped (a lone CR would move the cursor back);
/// other control bytes as `^X` (ESC is `^[`, DEL `^?`); bytes from 0x80 as `\xNN`.
void console_escape(u8 c, char (&out)[5]);

/// The microvisor's last line, `MV_EXIT: <status> (<meaning>)`. QEMU's PSCI SYSTEM_OFF
/// carries no status, so the harness takes the system's exit status from this line.
void console_exit_line(int status);

}  // namespace mv
