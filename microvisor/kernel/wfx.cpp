// SPDX-License-Identifier: MIT
// Lab 1: trapped WFI/WFE and SMC.
#include "lib/lab_todo.hpp"
#include "kernel/reflect.hpp"
#include "kernel/run.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

// A trapped WFI or WFE: vcpu.frame.elr points AT the instruction. Resume
// after it with vcpu.skip_instruction() (it is 2 or 4 bytes long: hsr.il,
// not the T bit; in an IT block the IT state advances), then call run_wait(vcpu, wfe)
// (kernel/run.hpp) with wfe = ISS bit 0: in a Lab 1 image it returns at once,
// from Lab 2 on the scheduler blocks the vCPU until its timer fires.
void handle_wfx(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(1);
}

// A trapped SMC (vcpu.frame.elr points at it): the guest has no secure
// monitor, so it takes an undefined-instruction exception at the SMC.
void handle_smc(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(1);
}

}  // namespace mv
