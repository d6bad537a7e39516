// SPDX-License-Identifier: MIT
// The trace buffer (make trace; book: measurement, "Traces"): a ring of
// fixed-size events, each stamped with the physical counter, which the
// microvisor prints on its own console lines when the system ends, or when
// Ctrl-A t is typed on its console (the harness does, at a run's timeout:
// the snapshot of a run that hangs). A guest's
// console output always starts "[<vm>] ", so no guest can forge a line of it.
//
// Compiled in only in a traced image (MV_TRACE=1: <system>-trace.elf). In
// every other image each call below is an empty inline function, and the
// microvisor is the same code, instruction for instruction.
#pragma once

#include "lib/types.hpp"

namespace mv {
class Vcpu;
}

namespace mv::trace {

/// What happened. The numbers are the trace's format (tools/trace/trace.py reads them).
enum class Kind : u8 {
    trap = 1,          ///< a = exception class, b = HSR
    hypercall = 2,     ///< a = 0, b = function ID (r0)
    vcpu_switch = 3,   ///< vcpu = the one switched to (NONE: idle), a = the one before (NONE), b = Why
    virq_raise = 4,    ///< vcpu = a vCPU of the target VM (an SGI's: its target), a = interrupt ID, b = Source
    virq_inject = 5,   ///< vcpu = target, a = interrupt ID: into a list register, not there at the last flush
    virq_eoi = 6,      ///< vcpu = the guest, a = interrupt ID: its list register came back ended (vdev/vgic.hpp)
    timer = 7,         ///< the HYP timer: vcpu = the running one, a = 1 if its slice is over
    channel_send = 8,  ///< a = channel handle, b = result (bytes sent, or an error)
    channel_recv = 9,  ///< a = channel handle, b = result
    stage2_fault = 10, ///< a = exception class, b = faulting IPA
    vm_stop = 11,      ///< vcpu = the VM's first vCPU, a = VM id, b = 0 powered off, 1 crashed
};

/// Why the scheduler switched (vcpu_switch's b).
enum class Why : u32 { start = 0, slice = 1, wait = 2, wake = 3, yield = 4, stop = 5 };

/// Where a raised interrupt came from (virq_raise's b).
enum class Source : u32 { line = 0, device = 1, timer = 2, sgi = 3, gicd = 4 };  // gicd: a guest's ISPENDR write

inline constexpr u32 NONE = 0xffff;

#if MV_TRACE
inline constexpr bool ENABLED = true;
void record(Kind kind, u32 vcpu, u32 a, u32 b);
u32 index(const Vcpu* v);  ///< in system_config.vcpu_pool, NONE for nullptr
void dump();               ///< print every event, oldest first (at the end of the system, or Ctrl-A t)
#else
inline constexpr bool ENABLED = false;
inline void record(Kind, u32, u32, u32) {}
inline u32 index(const Vcpu*) { return NONE; }
inline void dump() {}
#endif

}  // namespace mv::trace
