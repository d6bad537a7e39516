// SPDX-License-Identifier: MIT
// The part of a guest's CPU state that stays in the hardware while it runs
// and must be saved when another vCPU takes the CPU (Lab 2).
#pragma once

#include "arch/armv7/psr.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// The banked registers of one PL1 exception mode (ARM ARM B1.3.2).
struct BankedMode {
    u32 sp, lr, spsr;
};

/// The CP15 registers a guest OS owns (ARM ARM B4.1), as one list: it
/// declares GuestContext's fields below and drives their reset
/// (reset_guest_cpu_state), save and restore, so that none is forgotten and
/// nothing of one VM reaches the next. X(field, register) for each: 32-bit
/// registers in MV_GUEST_CP15, 64-bit ones in MV_GUEST_CP15_64.
#define MV_GUEST_CP15(X)                                                                              \
    X(sctlr, SCTLR) X(cpacr, CPACR) X(ttbcr, TTBCR) X(dacr, DACR) X(dfsr, DFSR) X(ifsr, IFSR)         \
    X(adfsr, ADFSR) X(aifsr, AIFSR) X(dfar, DFAR) X(ifar, IFAR) X(prrr, PRRR) X(nmrr, NMRR)           \
    X(vbar, VBAR) X(contextidr, CONTEXTIDR) X(tpidrurw, TPIDRURW) X(tpidruro, TPIDRURO)               \
    X(tpidrprw, TPIDRPRW) X(csselr, CSSELR) X(cntkctl, CNTKCTL)
#define MV_GUEST_CP15_64(X) X(ttbr0, TTBR0) X(ttbr1, TTBR1) X(par, PAR)

/// Everything of the guest's PL1 world that vectors.S does not save in the Frame.
struct GuestContext {
    // banked registers: svc, abt, und, irq, fiq, and FIQ's own r8-r12
    BankedMode svc, abt, und, irq, fiq;
    u32 r8_12_fiq[5];
    // CP15 state a guest OS owns: the list above
#define MV_CP15_FIELD(field, reg) u32 field;
#define MV_CP15_FIELD_64(field, reg) u64 field;
    MV_GUEST_CP15(MV_CP15_FIELD)
    MV_GUEST_CP15_64(MV_CP15_FIELD_64)
#undef MV_CP15_FIELD
#undef MV_CP15_FIELD_64
    // the virtual timer (B8.2): CNTVOFF is per VM and lives in Vm
    u32 cntv_ctl;
    u64 cntv_cval;
};

/// The PL1 modes with banked SP, LR and SPSR, and where GuestContext keeps them.
inline constexpr struct {
    Mode mode;
    BankedMode GuestContext::*field;
} BANKED_MODES[] = {{Mode::svc, &GuestContext::svc}, {Mode::abt, &GuestContext::abt}, {Mode::und, &GuestContext::und},
                    {Mode::irq, &GuestContext::irq}, {Mode::fiq, &GuestContext::fiq}};

/// Save the current (running) vCPU's GuestContext from the hardware. (Lab 2)
void save_context(Vcpu& vcpu);
/// Load `vcpu`'s GuestContext into the hardware, CNTVOFF from its VM included. (Lab 2)
void restore_context(const Vcpu& vcpu);

}  // namespace mv
