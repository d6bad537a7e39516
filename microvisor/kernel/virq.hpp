// SPDX-License-Identifier: MIT
// Lab 4's virtual interrupts in the life of the kernel (kernel/virq.cpp):
// what the hypercalls and devices use to make an interrupt reach its vCPU.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// The list registers of the vCPU that ran last go back to its distributor
/// (vgic_sync), if they have not since it stopped: call it before reading or
/// changing any distributor. (Entry fills them again.)
void virq_sync();

/// Something may have made an interrupt of `vm`'s distributor pending (a
/// raise, a device, a GICD write): each of its vCPUs that waits, blocked in
/// WFI or with its priority waived, and has one pending now, wakes
/// (run_wake()). Cheap when nobody waits.
void virq_wake(Vm& vm);

/// The same when interrupt `id` of `vm` has just become pending and nothing
/// else changed: only whether a waiting vCPU would take that one is asked
/// (a waiting vCPU had nothing to take before), not virq_pending()'s scan.
void virq_wake_for(Vm& vm, u32 id);

/// Make virtual SPI `spi` pending in `vm`'s distributor, as an edge, and wake
/// a vCPU of it that waits and would take it: a kernel object notifying a VM
/// (Lab 5's channels).
void virq_raise(Vm& vm, u32 spi);

}  // namespace mv
