// SPDX-License-Identifier: MIT
// Lab 1: the console-write hypercall and the check of a guest buffer.
#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/lab.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// Return a pointer the microvisor can read [gpa, gpa+len) through, if every
// byte of it lies inside ONE region of kind MemKind::Ram of vm.config->regions;
// nullptr otherwise, and for len == 0. A region maps guest-physical
// [r.gpa, r.gpa + r.size) to physical r.pa onwards; arch::phys_to_virt()
// turns a physical address into a pointer. Beware: gpa + len can wrap around.
const u8* guest_range(const Vm& vm, u32 gpa, u32 len) {
    MV_LAB_TODO(1);
}

// MV_CALL_CONSOLE_WRITE (see mv/abi.h): 0 for len 0; MV_INVALID_PARAMETERS
// above MV_CONSOLE_MAX; MV_INVALID_ADDRESS if the buffer is not the guest's;
// else write it with console_guest_write() and return len.
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len) {
    MV_LAB_TODO(1);
}

}  // namespace mv
