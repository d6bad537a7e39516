// SPDX-License-Identifier: MIT
// The scheduler (Lab 2 on): the one physical CPU shared by every runnable
// vCPU, in time slices of the HYP timer. It implements kernel/run.hpp with
// Lab 2's pieces: the run queues, save/restore_context, the wake-ups and lazy VFP.
#pragma once

namespace mv {

/// Something changed what should run (a vCPU became runnable or stopped, a
/// yield, a waiver): the next run_after_trap() reschedules. Without this
/// the running vCPU goes straight back (the fast path).
void need_reschedule();

/// Make the hardware run the vCPU the run queues pick: save the one that
/// ran, load the next, idle while nothing may run, and arm the HYP timer for
/// the end of the slice or the next timer deadline, whichever comes first.
void reschedule();

}  // namespace mv
