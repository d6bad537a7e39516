// SPDX-License-Identifier: MIT
// Ending the machine: the MV_EXIT line, then PSCI SYSTEM_OFF by SMC from HYP mode.
#include "arch.hpp"
#include "kernel/console.hpp"
#include "mv/abi.h"

namespace mv::arch {

// Why not semihosting: with -semihosting any PL1 guest could end QEMU with a status of its
// choice (SVC 0x123456, HLT 0xF000), read and write host files and run host commands. So
// QEMU runs without it. Its virt board with virtualization=on and no secure firmware
// implements PSCI with the SMC conduit (psci_conduit in QEMU's hw/arm/virt.c): an SMC from HYP
// mode reaches QEMU's PSCI, and SYSTEM_OFF (ARM DEN 0022) ends QEMU with status 0. Guests cannot
// get there: HCR.TSC traps their SMCs to us (kernel/system.cpp), SMC is UNDEFINED at PL0.
// SYSTEM_OFF carries no status, so the console's last line does: the harness reads
// `MV_EXIT: <status>` at the start of a line, which no guest line can be (kernel/console.hpp).
void exit_system(int status) {
    static bool exiting = false;  // if the SMC fails and a panic follows: do not loop
    if (!exiting) {
        exiting = true;
        console_exit_line(status);
        register u32 r0 asm("r0") = PSCI_SYSTEM_OFF;
        asm volatile("smc #0" : "+r"(r0) : : "memory");
    }
    halt();  // no PSCI on this board: stop here, the harness's timeout ends QEMU
}

void wait_for_interrupt() { asm volatile("dsb sy\n wfi" ::: "memory"); }

void halt() {
    for (;;) asm volatile("wfi");
}

}  // namespace mv::arch

extern "C" [[noreturn]] void hyp_exit();  // arch/armv7/vectors.S: restore the current frame, ERET

namespace mv::arch {
void enter_guest() {
    hyp_exit();  // a call, not an asm branch: the linker makes it BLX from Thumb code to ARM
}
}  // namespace mv::arch
