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

// MV_CALL_CONSOLE_WRITE (see mv/abi.h), in this order: 0 for len 0 (call
// nothing); MV_INVALID_PARAMETERS above MV_CONSOLE_MAX (MV_CONSOLE_MAX bytes
// exactly are allowed); copy the buffer in with guest_copy_in(*vcpu.vm, ...)
// and MV_INVALID_ADDRESS if it refuses; else console_guest_write(*vcpu.vm,
// buf, len) and return len.
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len) {
    MV_LAB_TODO(1);
}

}  // namespace mv
