// SPDX-License-Identifier: MIT
// The part of a guest's CPU state that stays in the hardware while it runs
// and must be saved when another vCPU takes the CPU (Lab 2).
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// The banked registers of one PL1 exception mode (ARM ARM B1.3.2).
struct BankedMode {
    u32 sp, lr, spsr;
};

/// Everything of the guest's PL1 world that vectors.S does not save in the Frame.
struct GuestContext {
    // banked registers: svc, abt, und, irq, fiq, and FIQ's own r8-r12
    BankedMode svc, abt, und, irq, fiq;
    u32 r8_12_fiq[5];
    // CP15 state a guest OS owns (ARM ARM B4.1)
    u32 sctlr, cpacr, ttbcr, dacr, dfsr, ifsr, adfsr, aifsr, dfar, ifar, prrr, nmrr, vbar,
        contextidr, tpidrurw, tpidruro, tpidrprw, csselr, cntkctl;
    u64 ttbr0, ttbr1, par;
    // the virtual timer (B8.2): CNTVOFF is per VM and lives in Vm
    u32 cntv_ctl;
    u64 cntv_cval;
};

/// Save the current (running) vCPU's GuestContext from the hardware. (Lab 2)
void save_context(Vcpu& vcpu);
/// Load `vcpu`'s GuestContext into the hardware, CNTVOFF from its VM included. (Lab 2)
void restore_context(const Vcpu& vcpu);

}  // namespace mv
