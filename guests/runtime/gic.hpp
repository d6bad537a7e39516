// SPDX-License-Identifier: MIT
// The guest's GICv2 driver (Lab 4 on): the distributor at 0x0800_0000 and the
// CPU interface at 0x0801_0000, as on the virt board, programmed the way
// Linux's irq-gic.c programs them, so that a test guest exercises what an
// unmodified kernel will. IHI 0048B: 4.3 (distributor), 4.4 (CPU interface).
#pragma once

#include "guest.hpp"

namespace guest::gic {

inline constexpr u32 GICD = 0x08000000;
inline constexpr u32 GICC = 0x08010000;
inline constexpr u32 SPURIOUS = 1023;
inline constexpr u32 PPI_VIRT_TIMER = 27;

/// A handler of interrupt `intid`; it runs in IRQ mode between IAR and EOIR.
using Handler = void (*)(u32 intid, ExcFrame& frame);

/// What the distributor says of itself: GICD_TYPER's ITLinesNumber as a count
/// of interrupt IDs, and its CPU count.
struct Info {
    u32 irqs;
    u32 cpus;
};

/// The boot vCPU's part (Linux's gic_dist_init): distributor off, every SPI
/// disabled, not pending, not active, level-triggered, priority 0xa0, aimed
/// at this CPU; then on. Returns what TYPER says.
Info init_distributor();
/// Every vCPU's part (gic_cpu_init): its banked SGIs and PPIs disabled and at
/// priority 0xa0, the priority mask at 0xf0, binary point 0, the interface on,
/// and this runtime's IRQ path installed (IAR, the handler, EOIR).
void init_cpu();

/// Interrupt `intid` at `priority` to `handler`, enabled (an SPI aimed at this vCPU).
void enable(u32 intid, u8 priority, Handler handler);
void disable(u32 intid);
/// GICD_ISPENDR: make `intid` pending as a device would.
void set_pending(u32 intid);
/// GICD_SGIR with target-list filter 0: SGI `intid` to the vCPUs in `cpu_mask`.
void send_sgi(u32 intid, u32 cpu_mask);
/// GICC_PMR: only priorities numerically below `mask` are signalled.
void set_priority_mask(u8 mask);

/// Interrupts taken so far on this vCPU, of `intid` (SGIs: from any source).
u32 taken(u32 intid);
/// The IDs in the order they were taken (the first `n` of up to 64), for order tests.
u32 history(u32* out, u32 n);

/// Unmask IRQs at the CPU (CPSR.I clear) / mask them again.
inline void irq_on() { asm volatile("cpsie i" ::: "memory"); }
inline void irq_off() { asm volatile("cpsid i" ::: "memory"); }

/// The virtual timer with its interrupt unmasked: it fires PPI 27 at `us` of virtual time.
void timer_irq_at_us(u64 us);

/// What count_timer_ticks() saw: the interrupts taken, and how late the latest of them was.
struct TickCount {
    u32 ticks;
    u64 latest_us;     ///< how late the latest tick was
    u64 latest_at_us;  ///< when (virtual time) that tick was due
};
/// With the GIC initialised: a 1 kHz virtual timer, re-armed at absolute times
/// by its handler, for `periods` ms of virtual time, the vCPU in WFI between
/// its interrupts. The timer is off again after.
TickCount count_timer_ticks(u32 periods);

}  // namespace guest::gic
