// SPDX-License-Identifier: MIT
// Panics and lab stubs end the system with a message.
#include "kernel/panic.hpp"

#include <stdarg.h>

#include "arch.hpp"
#include "kernel/console.hpp"
#include "lib/lab_todo.hpp"
#include "lib/format.hpp"

namespace mv {

void panic(const char* fmt, ...) {
    kprintf("MV_PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    vformat([](void*, char c) { console_putc(c); }, nullptr, fmt, ap);
    va_end(ap);
    kprintf("\n");
    arch::exit_system(static_cast<int>(ExitStatus::panic));
}

void lab_todo(int lab, const char* function, const char* file) {
    static const char* const titles[] = {"",           "Lab 1: Traps",    "Lab 2: vCPU",
                                         "Lab 3: vMMU", "Lab 4: vIRQ",     "Lab 5: Channels",
                                         "Lab 6: Paravirtualised Linux"};
    const char* title = lab >= 1 && lab <= 6 ? titles[lab] : "?";
    kprintf("MV_LAB_TODO: lab %d: %s() in %s is not written yet (book: \"%s\", labs/lab%d)\n", lab,
            function, file, title, lab);
    arch::exit_system(static_cast<int>(ExitStatus::lab_todo));
}

}  // namespace mv
