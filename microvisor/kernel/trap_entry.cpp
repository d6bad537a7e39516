// SPDX-License-Identifier: MIT
// A trap from the guest enters the kernel here (from mv_hyp_trap, and from the host fuzzer).
#include "kernel/trap.hpp"

#include "arch.hpp"
#include "kernel/trace.hpp"
#include "kernel/vcpu.hpp"

namespace mv {

namespace {
#if MV_TRACE
// One event per trap: a hypercall by its function ID, a stage-2 fault by its
// guest-physical address (HPFAR bits 31:4 hold IPA bits 39:12), the rest by HSR.
void trace_trap(Vcpu& vcpu, u32 hsr) {
    const u32 ec = hsr >> hsr_bits::EC_SHIFT, who = trace::index(&vcpu);
    if (ec == static_cast<u32>(Ec::hvc)) {
        trace::record(trace::Kind::hypercall, who, 0, vcpu.r(0));
    } else if (ec == static_cast<u32>(Ec::pabt_lower) || ec == static_cast<u32>(Ec::dabt_lower)) {
        const u32 far = ec == static_cast<u32>(Ec::dabt_lower) ? arch::read<reg::HDFAR>() : arch::read<reg::HIFAR>();
        trace::record(trace::Kind::stage2_fault, who, ec, (arch::read<reg::HPFAR>() & ~0xfu) << 8 | (far & 0xfff));
    } else {
        trace::record(trace::Kind::trap, who, ec, hsr);
    }
}
#else
inline void trace_trap(Vcpu&, u32) {}
#endif
}  // namespace

bool take_trap(Vcpu& vcpu, u32 hsr) {
    trace_trap(vcpu, hsr);
    if (trap_condition_failed(hsr, vcpu.cpsr())) {
        vcpu.skip_instruction((hsr & hsr_bits::IL) != 0 ? 4 : 2);  // it did not execute
        return false;
    }
    handle_trap(vcpu, hsr);
    return true;
}

}  // namespace mv
