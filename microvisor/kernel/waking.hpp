// SPDX-License-Identifier: MIT
// Waking vCPUs: virtual-timer deadlines and the HYP timer's tick (Lab 2).
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

}  // namespace mv
