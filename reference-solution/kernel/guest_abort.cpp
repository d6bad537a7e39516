// SPDX-License-Identifier: MIT
// Lab 1: what becomes of a guest's access that its stage-2 map refused.
#include "arch.hpp"
#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

constexpr u32 SCTLR_V = 1u << 13;    // high vectors at 0xffff0000
constexpr u32 TTBCR_EAE = 1u << 31;  // long-descriptor (LPAE) translation and fault format

}  // namespace

void handle_guest_abort(Vcpu& vcpu, const Hsr& hsr) {
    if (try_emulate_mmio(vcpu, hsr)) return;  // an emulated device's register (Lab 3 on)
    bool fetch = hsr.ec == Ec::pabt_lower;
    u32 far = fetch ? arch::read<reg::HIFAR>() : arch::read<reg::HDFAR>();
    Vm& vm = *vcpu.vm;
    if (vm.config->on_fault == FaultPolicy::Stop) {
        vm_crash(vm, "%s abort at %#x: its stage-2 map does not allow it (pc %#x)",
                 fetch ? "prefetch" : "data", far, vcpu.frame.elr);
        return;
    }
    u32 sctlr = arch::read<reg::SCTLR>();
    u32 base = (sctlr & SCTLR_V) != 0 ? 0xffff0000u : arch::read<reg::VBAR>();
    if (fetch && far - base < 0x20) {
        // Reflecting would fault again at the vector: the guest cannot handle it.
        vm_crash(vm, "prefetch abort at its own exception vector %#x", far);
        return;
    }
    bool lpae = (arch::read<reg::TTBCR>() & TTBCR_EAE) != 0;
    bool walk = (hsr.iss & hsr_bits::S1PTW) != 0;  // the guest's own table walk faulted
    bool write = (hsr.iss & hsr_bits::WNR) != 0;
    if (fetch)
        inject_prefetch_abort(vcpu, far, external_abort_fsr(lpae, walk, false));
    else
        inject_data_abort(vcpu, far, external_abort_fsr(lpae, walk, write && !walk));
}

}  // namespace mv
