// SPDX-License-Identifier: MIT
// Trap dispatch: from the HSR's exception class to the handler that deals with it.
#pragma once

#include "kernel/hsr.hpp"
#include "kernel/registry.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// A trap from the guest `vcpu` (kernel/trap_entry.cpp): an instruction whose
/// condition failed did not execute and is skipped (false); any other trap
/// goes to handle_trap() (true).
bool take_trap(Vcpu& vcpu, u32 hsr);

/// Handle one trap from the guest `vcpu`: count it, then dispatch on the
/// exception class of `hsr` through the registry. (Lab 1)
void handle_trap(Vcpu& vcpu, u32 hsr);

// Lab 1's handlers (kernel/base_services.cpp registers them).
void handle_hvc(Vcpu& vcpu, const Hsr& hsr);          // kernel/hypercall.cpp
void handle_wfx(Vcpu& vcpu, const Hsr& hsr);          // kernel/wfx.cpp
void handle_smc(Vcpu& vcpu, const Hsr& hsr);          // kernel/wfx.cpp
void handle_guest_abort(Vcpu& vcpu, const Hsr& hsr);  // kernel/guest_abort.cpp

}  // namespace mv
