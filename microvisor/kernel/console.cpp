// SPDX-License-Identifier: MIT
// The microvisor's console.
#include "kernel/console.hpp"

#include "config/system_config.hpp"
#include "kernel/vm.hpp"
#include "lib/format.hpp"

namespace mv {

void kprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vformat([](void*, char c) { console_putc(c); }, nullptr, fmt, ap);
    va_end(ap);
}

void console_guest_write(Vm& vm, const u8* buf, u32 len) {
    bool prefix = system_config.nvms > 1;
    for (u32 i = 0; i < len; ++i) {
        if (prefix && vm.at_line_start) kprintf("[%s] ", vm.config->name);
        console_putc(static_cast<char>(buf[i]));
        vm.at_line_start = buf[i] == '\n';
    }
}

}  // namespace mv
