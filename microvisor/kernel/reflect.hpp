// SPDX-License-Identifier: MIT
// Reflecting exceptions to a guest: making the guest take an exception on its own vectors.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// The guest takes an Undefined Instruction exception for the instruction at
/// `instr_addr` (`thumb`: it is a Thumb instruction). (Lab 1)
void inject_undef(Vcpu& vcpu, u32 instr_addr, bool thumb);

/// The guest takes a Data Abort for the instruction at vcpu.frame.elr, with
/// DFAR = `far` and DFSR = `fsr`. (Lab 1)
void inject_data_abort(Vcpu& vcpu, u32 far, u32 fsr);

/// The guest takes a Prefetch Abort at `ifar` with IFSR = `fsr`. (Lab 1)
void inject_prefetch_abort(Vcpu& vcpu, u32 ifar, u32 fsr);

/// Fault status for a synchronous external abort, in the format the guest
/// uses (long-descriptor when `lpae`, short otherwise): ARM ARM B3.13.3.
u32 external_abort_fsr(bool lpae, bool on_table_walk, bool write);

/// Vector offsets from VBAR (ARM ARM B1.8.1).
inline constexpr u32 VECTOR_UNDEF = 0x04;
inline constexpr u32 VECTOR_PABT = 0x0c;
inline constexpr u32 VECTOR_DABT = 0x10;

}  // namespace mv
