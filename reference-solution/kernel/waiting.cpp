// SPDX-License-Identifier: MIT
// Lab 2: a vCPU waits (WFI), yields or waives its priority.
#include "arch.hpp"
#include "kernel/waiting.hpp"
#include "kernel/waking.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

void block_until_event(Vcpu& vcpu) {
    // The running vCPU's timer is live in the hardware. An enabled timer
    // whose condition is met is an event: WFI returns at once, as on hardware.
    u32 ctl = arch::read<reg::CNTV_CTL>();
    if ((ctl & CNTV_CTL_ENABLE) != 0 && (ctl & CNTV_CTL_ISTATUS) != 0) return;
    run_queues.remove(vcpu);
    vcpu.state = VcpuState::blocked;
}

void vcpu_yield(Vcpu& vcpu) { run_queues.rotate(vcpu); }

void priority_waive(Vcpu& vcpu) {
    run_queues.remove(vcpu);
    vcpu.priority = 0;
    run_queues.add(vcpu);
}

}  // namespace mv
