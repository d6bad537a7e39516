// SPDX-License-Identifier: MIT
// Lab 1: trapped WFI/WFE and SMC.
#include "kernel/reflect.hpp"
#include "kernel/run.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

void handle_wfx(Vcpu& vcpu, const Hsr& hsr) {
    // ELR_hyp holds the WFI/WFE itself: resume after it (16-bit or 32-bit,
    // by the IL bit), once there is something to resume for: run_wait()
    // lets the scheduler block the vCPU or give the CPU away.
    vcpu.skip_instruction(hsr.instr_len());
    run_wait(vcpu, (hsr.iss & 1) != 0);  // ISS bit 0: WFE
}

void handle_smc(Vcpu& vcpu, const Hsr&) {
    // There is no secure monitor for a guest: an SMC is undefined, as on a CPU
    // without the Security Extensions. ELR_hyp holds the SMC itself.
    inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb());
}

}  // namespace mv
