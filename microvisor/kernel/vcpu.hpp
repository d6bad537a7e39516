// SPDX-License-Identifier: MIT
// A virtual CPU: the guest's registers and what the microvisor knows of it.
#pragma once

#include "kernel/frame.hpp"
#include "kernel/psr.hpp"
#include "lib/types.hpp"

namespace mv {

class Vm;

enum class VcpuState : u8 {
    off,       ///< not started (PSCI CPU_OFF, or a VM not yet started)
    runnable,  ///< may run
    stopped,   ///< its VM powered off or crashed
};

class Vcpu final {
public:
    Frame frame{};                 ///< r0-r12, LR_usr, SP_usr, ELR_hyp, SPSR_hyp
    Vm* vm = nullptr;
    u32 id = 0;                    ///< index within its VM
    VcpuState state = VcpuState::off;
    u32 trap_count[64] = {};       ///< traps taken, by exception class

    /// The guest's CPSR at the trap.
    u32 cpsr() const { return frame.spsr; }
    Mode mode() const { return psr::mode(frame.spsr); }
    bool thumb() const { return (frame.spsr & psr::T) != 0; }

    /// Argument/result register n (0-12) as the SMCCC sees it.
    u32& r(unsigned n) { return frame.r[n]; }

    /// Resume the guest after the trapped instruction of `len` bytes.
    void skip_instruction(u32 len) { frame.elr += len; }

    /// Reset the register frame to start at `entry` in SVC mode, interrupts masked.
    void reset(u32 entry);
};

}  // namespace mv
