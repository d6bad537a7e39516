// SPDX-License-Identifier: MIT
// Trapped MCR and MRC to CP15 (class 0x03): what the guest may not reach directly.
//
// system_init() traps, for every VM: set/way cache maintenance (HCR.TSW),
// the auxiliary control register ACTLR (HCR.TAC), IMPLEMENTATION DEFINED
// registers (HCR.TIDCP for c9-c11, HSTR.T15 for c15), and, unless the system
// description gives the VM the PMU, the performance monitors (HDCR.TPM and
// TPMCR). Set/way operations and ACTLR are emulated; everything else is an
// undefined instruction to the guest, as on a CPU without the register.
#include "arch.hpp"
#include "kernel/reflect.hpp"
#include "kernel/registry.hpp"
#include "kernel/vcpu.hpp"

namespace mv {
namespace {

void handle_cp15_access(Vcpu& vcpu, const Hsr& hsr) {
    const CoprocAccess a = decode_coproc(hsr.iss);
    if (!a.read && (a.is(0, 7, 6, 2) || a.is(0, 7, 10, 2) || a.is(0, 7, 14, 2))) {
        // DCISW, DCCSW, DCCISW. The one CPU's caches hold every VM's data and
        // the microvisor's: do the guest's operation for it, but always clean
        // before invalidating, so that nobody else's dirty lines are lost.
        arch::write<reg::DCCISW>(vcpu.reg(a.rt));
        arch::dsb();
    } else if (a.is(0, 1, 0, 1)) {
        // ACTLR: the microvisor owns the CPU's implementation-defined controls.
        // The guest reads the real value, and its writes are ignored.
        if (a.read && a.rt != 15) vcpu.set_reg(a.rt, arch::read<reg::ACTLR>());
    } else {
        report_unhandled(vcpu, hsr);
        inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb());
        return;
    }
    vcpu.skip_instruction(hsr.instr_len());
}

}  // namespace

MV_TRAP_CLASS(Ec::cp15_32, handle_cp15_access);

}  // namespace mv
