// SPDX-License-Identifier: MIT
// Stopping the whole system: panics and the exit statuses QEMU reports.
#pragma once

namespace mv {

/// QEMU's exit status when the microvisor ends the system (semihosting).
enum class ExitStatus : int {
    all_off = 0,     ///< every VM powered off
    vm_crashed = 1,  ///< at least one VM crashed
    panic = 2,       ///< the microvisor hit a bug
    lab_todo = 3,    ///< a lab function is still a stub
};

/// The microvisor cannot go on: print `MV_PANIC: <message>` and end QEMU with status 2.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mv
