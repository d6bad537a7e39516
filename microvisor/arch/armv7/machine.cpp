// SPDX-License-Identifier: MIT
// Ending the machine: Arm semihosting SYS_EXIT_EXTENDED makes QEMU exit with a status.
#include "arch.hpp"

namespace mv::arch {

void exit_system(int status) {
    // Semihosting (ARM DUI 0471, "SYS_EXIT_EXTENDED"): r0 = 0x20, r1 = {reason, subcode}.
    // QEMU run with -semihosting exits with `subcode` for ADP_Stopped_ApplicationExit.
    static u32 block[2];
    block[0] = 0x20026;  // ADP_Stopped_ApplicationExit
    block[1] = static_cast<u32>(status);
    register u32 r0 asm("r0") = 0x20;
    register u32* r1 asm("r1") = block;
    asm volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    halt();  // without semihosting: stop here
}

void wait_for_interrupt() { asm volatile("dsb sy\n wfi" ::: "memory"); }

void halt() {
    for (;;) asm volatile("wfi");
}

}  // namespace mv::arch

namespace mv::arch {
void enter_guest() {
    asm volatile("b hyp_exit");  // arch/armv7/vectors.S: restore the current frame, ERET
    __builtin_unreachable();
}
}  // namespace mv::arch
