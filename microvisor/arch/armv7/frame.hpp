// SPDX-License-Identifier: MIT
// The guest register frame that HYP entry saves and HYP exit restores.
#pragma once

#include "arch/armv7/asm_defs.h"
#include "lib/types.hpp"

namespace mv {

/// What arch/armv7/vectors.S saves on every trap from a guest. The layout is
/// fixed: the assembly uses the offsets of asm_defs.h, asserted below.
///
/// HYP mode has its own SP (SP_hyp) but shares LR with usr/sys mode, so the
/// frame holds LR_usr; SP_usr is saved too so that the frame holds the whole
/// usr/sys register file. The guest's banked SP/LR/SPSR of its PL1 modes stay
/// in the hardware while it runs (see arch::banked_lr()).
struct Frame {
    u32 r[13];   ///< r0-r12
    u32 lr_usr;  ///< r14 of usr/sys mode
    u32 sp_usr;  ///< r13 of usr/sys mode
    u32 elr;     ///< ELR_hyp: where the guest resumes
    u32 spsr;    ///< SPSR_hyp: the guest's CPSR at the trap
};

static_assert(sizeof(Frame) == FRAME_SIZE);
static_assert(__builtin_offsetof(Frame, lr_usr) == FRAME_LR_USR);
static_assert(__builtin_offsetof(Frame, sp_usr) == FRAME_SP_USR);
static_assert(__builtin_offsetof(Frame, elr) == FRAME_ELR);
static_assert(__builtin_offsetof(Frame, spsr) == FRAME_SPSR);

}  // namespace mv
