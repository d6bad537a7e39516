// SPDX-License-Identifier: MIT
// Lazy VFP switching (Lab 2): the unit keeps its owner's registers until
// another vCPU touches it.
#pragma once

#include "kernel/hsr.hpp"

namespace mv {

class Vcpu;

/// `next` is about to run: trap its VFP accesses (HCPTR.TCP10/11) unless it
/// owns the unit. (Lab 2)
void vfp_trap_update(const Vcpu& next);

/// The guest touched the VFP unit while its accesses trapped (class 0x07):
/// make it the unit's owner. (Lab 2)
void handle_vfp_trap(Vcpu& vcpu, const Hsr& hsr);

}  // namespace mv
