// SPDX-License-Identifier: MIT
// The microvisor's console: lines of its own, and guest lines that cannot pass for them.
#include "kernel/console.hpp"

#include "config/system_config.hpp"
#include "kernel/panic.hpp"
#include "kernel/vm.hpp"
#include "lib/format.hpp"

namespace mv {
namespace {

// The VM whose line is open on the physical console: it is open while the VM's
// at_line_start is false (host tests reset that flag between tests).
Vm* open_line = nullptr;

/// Ends an open guest line unless `next` (nullptr: the microvisor) continues it.
void end_open_line(const Vm* next) {
    if (open_line == nullptr || open_line == next || open_line->at_line_start) return;
    console_putc('\n');
    open_line->at_line_start = true;
}

}  // namespace

void kprintf(const char* fmt, ...) {
    end_open_line(nullptr);
    va_list ap;
    va_start(ap, fmt);
    vformat([](void*, char c) { console_putc(c); }, nullptr, fmt, ap);
    va_end(ap);
}

void console_escape(u8 c, char (&out)[5]) {
    static const char hex[] = "0123456789abcdef";
    u32 n = 0;
    if (c == '\r') {
        // dropped: alone it returns the cursor, to overwrite the line's start
    } else if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
        out[n++] = static_cast<char>(c);
    } else if (c < 0x80) {
        out[n++] = '^';
        out[n++] = static_cast<char>(c ^ 0x40);  // 0x1b -> '[', 0x7f -> '?'
    } else {
        out[n++] = '\\';
        out[n++] = 'x';
        out[n++] = hex[c >> 4];
        out[n++] = hex[c & 0xf];
    }
    out[n] = '\0';
}

void console_guest_write(Vm& vm, const u8* buf, u32 len) {
    for (u32 i = 0; i < len; ++i) {
        char shown[5];
        console_escape(buf[i], shown);
        if (shown[0] == '\0') continue;
        end_open_line(&vm);
        if (vm.at_line_start) {
            const char* name = vm.config->name;
            console_putc('[');
            while (*name != '\0') console_putc(*name++);
            console_putc(']');
            console_putc(' ');
        }
        for (const char* p = shown; *p != '\0'; ++p) console_putc(*p);
        vm.at_line_start = buf[i] == '\n';
        open_line = &vm;
    }
}

void console_exit_line(int status) {
    const char* meaning = "?";
    switch (static_cast<ExitStatus>(status)) {
    case ExitStatus::all_off: meaning = "every VM powered off"; break;
    case ExitStatus::vm_crashed: meaning = "a VM crashed"; break;
    case ExitStatus::panic: meaning = "the microvisor panicked"; break;
    case ExitStatus::lab_todo: meaning = "a lab function is not written yet"; break;
    }
    kprintf("MV_EXIT: %d (%s)\n", status, meaning);
}

}  // namespace mv
