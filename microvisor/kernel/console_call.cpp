// SPDX-License-Identifier: MIT
// Lab 1: the console-write hypercall.
#include "kernel/console.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/hypercall.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// MV_CALL_CONSOLE_WRITE (see mv/abi.h): 0 for len 0; MV_INVALID_PARAMETERS
// above MV_CONSOLE_MAX; MV_INVALID_ADDRESS if guest_copy_in() refuses the
// buffer; else write it with console_guest_write() and return len.
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len) {
    MV_LAB_TODO(1);
}

}  // namespace mv
