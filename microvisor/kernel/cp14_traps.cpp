// SPDX-License-Identifier: MIT
// Lab 6: trapped MCR and MRC to CP14 (class 0x05), the debug registers.
//
// HDCR traps them all (kernel/system.cpp): the one CPU's breakpoints are the
// microvisor's. Below Lab 6 nothing handles the class, so every access is
// undefined. Linux, though, reads DBGDIDR unconditionally while it boots
// (get_debug_arch in arch/arm/kernel/hw_breakpoint.c) and dies of the
// undefined instruction. So DBGDIDR reads as 0, a debug architecture version
// Linux does not support: it leaves hardware breakpoints alone. And Linux
// writes the ThumbEE handler base TEEHBR at every thread switch, since the
// CPU has ThumbEE (ID_PFR0); HSTR.TTEE traps it (another VM must not find
// it), so each vCPU has its own, emulated. Every other CP14 access is still
// undefined.
#include "kernel/hsr.hpp"
#include "kernel/reflect.hpp"
#include "kernel/registry.hpp"
#include "kernel/vcpu.hpp"

namespace mv {
namespace {

void handle_cp14_access(Vcpu& vcpu, const Hsr& hsr) {
    const CoprocAccess a = decode_coproc(hsr.iss);
    if (a.rt != 15 && a.is(6, 1, 0, 0)) {  // TEEHBR: p14, 6, c1, c0, 0
        if (a.read)
            vcpu.set_reg(a.rt, vcpu.teehbr);
        else
            vcpu.teehbr = vcpu.reg(a.rt);
    } else if (a.rt != 15 && a.read && a.is(0, 0, 0, 0)) {  // DBGDIDR: p14, 0, c0, c0, 0
        vcpu.set_reg(a.rt, 0);
    } else {
        report_unhandled(vcpu, hsr);
        inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb());
        return;
    }
    vcpu.skip_instruction(hsr.instr_len());
}

}  // namespace

MV_TRAP_CLASS(Ec::cp14_32, handle_cp14_access);

}  // namespace mv
