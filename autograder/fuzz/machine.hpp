// SPDX-License-Identifier: MIT
// The machine around the fake arch: boot and reset, time and the HYP timer,
// the guest's side of a trap, and which RAM the microvisor touched.
//
// The fake arch (microvisor/arch/fake) records register writes but has no
// time: its GIC never raises an interrupt and its WFI returns at once, so a
// microvisor that idles until a timer fires would spin for ever. The harness
// links a small model in their place with `ld --wrap` (project/CMakeLists.txt):
//   - gic::ack() reports the HYP timer (PPI 26) while it is enabled, unmasked
//     and its compare value has passed, as the physical GIC would;
//   - arch::wait_for_interrupt() lets the physical count run to the HYP
//     timer's compare value, as WFI would;
//   - arch::phys_to_virt() checks that the microvisor touches only RAM of the
//     VM it serves, and remembers the page so that the next run starts clean.
#pragma once

#include "input.hpp"
#include "lib/types.hpp"

namespace mv {
class Vcpu;
class Vm;
}  // namespace mv

namespace mvfuzz {

inline constexpr u64 CNTFRQ_HZ = 62'500'000;  ///< as QEMU's virt board
inline constexpr u64 SLICE_TICKS = 62'500;    ///< the system's time slice (1000 us) in ticks
inline constexpr u64 BOOT_COUNT = 1'000'000;  ///< the physical count at boot
/// Sleeping longer than this (about 5 hours) ends the run: nothing more happens.
inline constexpr u64 FAR_FUTURE = 1ull << 40;

/// The system went to sleep beyond FAR_FUTURE: an expected end of a run.
struct Asleep {};

/// Reset the fake CPU, the RAM the last run touched and the kernel's state,
/// boot the system (system_init(), run_start()), then put the input's
/// console bytes and guest memory in place.
void boot(const Input& in);

/// The physical count.
u64 now();
/// Let the physical count run to `count` (it never goes back).
void advance_to(u64 count);
/// Whether the HYP timer's interrupt is pending (enabled, unmasked, due).
bool hyp_timer_pending();
/// Whether the HYP timer is armed, and when it fires.
bool hyp_timer_armed(u64& deadline);

/// The microvisor serves a trap of a vCPU of `vm` (nullptr: none): the only
/// VM whose RAM it may touch.
void serve(const mv::Vm* vm);

/// The guest ran until it trapped: give the running vCPU `v` (and the
/// hardware it owns) the registers the record says the guest changed, and
/// the syndrome and fault-address registers of the trap.
void guest_ran(mv::Vcpu& v, const Trap& t);

}  // namespace mvfuzz
