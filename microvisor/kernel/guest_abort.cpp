// SPDX-License-Identifier: MIT
// Lab 1: what becomes of a guest's access that its stage-2 map refused.
#include "arch.hpp"
#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "lib/lab_todo.hpp"

namespace mv {

// A stage-2 abort (class pabt_lower or dabt_lower): the guest touched memory
// outside its regions. The faulting address is HIFAR (fetch) or HDFAR (data).
// In this order:
//  - first, try_emulate_mmio(vcpu, hsr) (kernel/registry.hpp): from Lab 3 on
//    the access may be to an emulated device's register; if it returns true,
//    you are done (touch nothing else);
//  - vm.config->on_fault == FaultPolicy::Stop: vm_crash() the VM, with exactly
//      vm_crash(vm, "%s abort at %#x: its stage-2 map does not allow it (pc %#x)",
//               fetch ? "prefetch" : "data", far, vcpu.frame.elr);
//    (the console then reads "MV: VM <id> (<name>) crashed: data abort at 0xa000000: its
//    stage-2 map does not allow it (pc 0x...)");
//  - a fetch fault within the 32 bytes of the guest's own vector table (the
//    vector base: 0xffff0000 if SCTLR.V, bit 13, is set, else VBAR): it could
//    never handle it, so
//      vm_crash(vm, "prefetch abort at its own exception vector %#x", far);
//  - otherwise reflect a synchronous external abort with the faulting address:
//    inject_prefetch_abort() or inject_data_abort(), the fault status from
//    external_abort_fsr(lpae, on_table_walk, write) (kernel/reflect.hpp):
//    lpae = TTBCR.EAE (bit 31), on_table_walk = ISS bit 7 (S1PTW), and write =
//    ISS bit 6 (WnR), only for a data access that is not a table walk.
// Call the inject_* and external_abort_fsr() functions (kernel/reflect.cpp),
// do not repeat what they do: the tests check which of them you call, with what.
void handle_guest_abort(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(1);
}

}  // namespace mv
