// SPDX-License-Identifier: MIT
// Time in the scheduler: timer deadlines, waking, preemption, waiting, yielding (Lab 2).
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;

inline constexpr u64 NEVER = ~0ull;
inline constexpr u32 CNTV_CTL_ENABLE = 1u << 0;   ///< CNTV_CTL: the timer is on
inline constexpr u32 CNTV_CTL_IMASK = 1u << 1;    ///< CNTV_CTL: its interrupt is masked
inline constexpr u32 CNTV_CTL_ISTATUS = 1u << 2;  ///< CNTV_CTL: the condition is met

/// The physical count at which a vCPU that is not running sees its virtual
/// timer's condition met (its saved CNTV_CVAL plus its VM's CNTVOFF), or
/// NEVER when its timer is disabled. (Lab 2)
u64 timer_deadline(const Vcpu& vcpu);

/// The time is `now` (physical count): every vCPU whose timer deadline has
/// passed gets its event: a blocked one becomes runnable, a waived one gets
/// its VM's priority back. If `slice_over`, the running vCPU `current` goes to
/// the tail of its queue. (Lab 2)
void on_hyp_timer(Vcpu* current, u64 now, bool slice_over);

/// The running vCPU executed WFI: unless its virtual timer's condition is
/// already met (an event is pending), it blocks. (Lab 2)
void block_until_event(Vcpu& vcpu);

/// MV_CALL_VCPU_YIELD: the rest of the slice goes to the next vCPU of the same priority. (Lab 2)
void vcpu_yield(Vcpu& vcpu);

/// MV_CALL_PRIORITY_WAIVE: run at priority 0 until the vCPU's timer fires (OKL4's priority_waive). (Lab 2)
void priority_waive(Vcpu& vcpu);

}  // namespace mv
