// SPDX-License-Identifier: MIT
// Lab 1: the console-write hypercall.
#include "kernel/console.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

i32 console_write(Vcpu& vcpu, u32 gpa, u32 len) {
    if (len == 0) return 0;
    if (len > MV_CONSOLE_MAX) return MV_INVALID_PARAMETERS;
    u8 buf[MV_CONSOLE_MAX];
    if (!guest_copy_in(*vcpu.vm, buf, gpa, len)) return MV_INVALID_ADDRESS;
    console_guest_write(*vcpu.vm, buf, len);
    return static_cast<i32>(len);
}

}  // namespace mv
