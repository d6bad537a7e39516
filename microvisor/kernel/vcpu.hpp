// SPDX-License-Identifier: MIT
// A virtual CPU: the guest's registers and what the microvisor knows of it.
#pragma once

#include "kernel/context.hpp"
#include "arch/armv7/frame.hpp"
#include "arch/armv7/psr.hpp"
#include "arch/armv7/vfp_state.hpp"
#include "lib/types.hpp"
#include "vdev/list_registers.hpp"

namespace mv {

class Vm;

enum class VcpuState : u8 {
    off,       ///< not started (PSCI CPU_OFF, or a VM not yet started)
    runnable,  ///< may run: in the scheduler's queues (lab 2 on)
    blocked,   ///< waits in WFI for its timer (lab 2 on)
    stopped,   ///< its VM powered off or crashed
};

class Vcpu final {
public:
    Frame frame{};                 ///< r0-r12, LR_usr, SP_usr, ELR_hyp, SPSR_hyp
    Vm* vm = nullptr;
    u32 id = 0;                    ///< index within its VM
    VcpuState state = VcpuState::off;
    u32 trap_count[64] = {};       ///< traps taken, by exception class
    u32 irq_exits = 0;             ///< physical interrupts taken while it ran
    GuestContext ctx{};            ///< PL1 state, saved while another vCPU runs (lab 2)
    VfpState vfp{};                ///< VFP state, saved while another vCPU owns the unit (lab 2)

    // Scheduling (lab 2): the queue link and the priority the scheduler uses.
    Vcpu* next = nullptr;          ///< next in its priority's run queue
    bool queued = false;           ///< in a run queue
    u32 priority = 0;              ///< effective priority: the VM's, or 0 while waived
    u64 overrun = 0;               ///< counter ticks it ran past its last slice (in HYP): its next one is shorter
    u32 teehbr = 0;                ///< ThumbEE handler base: emulated, never in the CPU (Lab 6, kernel/cp14_traps.cpp)
    VgicCpu vgic{};                ///< its virtual CPU interface (Lab 4)

    /// The guest's CPSR at the trap.
    u32 cpsr() const { return frame.spsr; }
    Mode mode() const { return psr::mode(frame.spsr); }
    bool thumb() const { return (frame.spsr & psr::T) != 0; }

    /// Argument/result register n (0-12) as the SMCCC sees it.
    u32& r(unsigned n) { return frame.r[n]; }

    /// Resume the guest after the trapped instruction of `len` bytes. In an
    /// IT block the IT state advances, as if the instruction had executed.
    void skip_instruction(u32 len) {
        frame.elr += len;
        if ((frame.spsr & psr::IT_MASK) != 0)
            frame.spsr = psr::with_itstate(frame.spsr, psr::it_advance(psr::itstate(frame.spsr)));
    }

    /// Guest register n (0-14) as the guest's current mode sees it: r8-r12
    /// of FIQ mode and r13-r14 of every PL1 mode are banked (the running
    /// vCPU's are live in the hardware).
    u32 reg(unsigned n) const;
    void set_reg(unsigned n, u32 value);

    /// Reset to start at `entry` in SVC mode, interrupts masked: a fresh frame,
    /// GuestContext and VFP state, and the VM's priority.
    void reset(u32 entry);
};

/// Whose registers the VFP unit holds (Lab 2's lazy switching), or nullptr.
extern Vcpu* vfp_owner;

}  // namespace mv
