// SPDX-License-Identifier: MIT
// Sharing the CPU (labs 2 on): after every trap and interrupt, run the right vCPU.
#pragma once

namespace mv {

/// Start the scheduler: interrupts for the HYP timer, every VM's vCPU 0 runnable.
void schedule_start();

/// Make the hardware run the vCPU the scheduler picks: save the one that ran,
/// load the next, idle while nothing may run, and arm the HYP timer for the
/// end of the slice or the next timer deadline, whichever comes first.
void reschedule();

/// A physical interrupt arrived in HYP mode (the HYP timer).
void handle_irq();

}  // namespace mv
