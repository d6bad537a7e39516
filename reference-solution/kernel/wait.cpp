// SPDX-License-Identifier: MIT
// Lab 2: a vCPU waits (WFI), yields or waives its priority.
#include "arch.hpp"
#include "kernel/preempt.hpp"
#include "kernel/scheduler.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

void block_until_event(Vcpu& vcpu) {
    // The running vCPU's timer is live in the hardware. An enabled timer
    // whose condition is met is an event: WFI returns at once, as on hardware.
    u32 ctl = arch::read<reg::CNTV_CTL>();
    if ((ctl & CNTV_CTL_ENABLE) != 0 && (ctl & CNTV_CTL_ISTATUS) != 0) return;
    scheduler.remove(vcpu);
    vcpu.state = VcpuState::blocked;
}

void vcpu_yield(Vcpu& vcpu) { scheduler.rotate(vcpu); }

void priority_waive(Vcpu& vcpu) {
    scheduler.remove(vcpu);
    vcpu.priority = 0;
    scheduler.add(vcpu);
}

}  // namespace mv
