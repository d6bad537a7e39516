// SPDX-License-Identifier: MIT
// Trap dispatch: from the HSR's exception class to the handler that deals with it.
#pragma once

#include "kernel/hsr.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// A trap handler: runs in HYP mode with the guest's registers in vcpu.frame.
using TrapHandler = void (*)(Vcpu& vcpu, const Hsr& hsr);

/// Handle one trap from the guest `vcpu`: count it, then dispatch on the
/// exception class of `hsr`. (Lab 1)
void handle_trap(Vcpu& vcpu, u32 hsr);

// The handlers, one per lab file.
void handle_hvc(Vcpu& vcpu, const Hsr& hsr);          // kernel/hypercall.cpp
void handle_wfx(Vcpu& vcpu, const Hsr& hsr);          // kernel/wfx.cpp
void handle_smc(Vcpu& vcpu, const Hsr& hsr);          // kernel/wfx.cpp
void handle_guest_abort(Vcpu& vcpu, const Hsr& hsr);  // kernel/reflect.cpp
void handle_vfp_trap(Vcpu& vcpu, const Hsr& hsr);     // kernel/vfp.cpp (Lab 2)

/// Lazy VFP switching: `next` is about to run; trap its VFP accesses
/// (HCPTR.TCP10/11) unless it owns the unit. kernel/vfp.cpp (Lab 2)
void vfp_trap_update(const Vcpu& next);

/// A WFI or WFE trapped: labs 2 on block the vCPU (WFI) or yield (WFE);
/// Lab 1 systems just go on. kernel/lab_gates.cpp
void vcpu_wait(Vcpu& vcpu, bool wfe);

}  // namespace mv
