// SPDX-License-Identifier: MIT
// The physical GICv2 (ARM IHI 0048B): distributor and CPU interface for the
// microvisor's own interrupts and the devices it hands to VMs, and where the
// virtualisation extensions' interfaces are. Lab 4 virtualises it.
//
// The CPU interface runs with EOImode = 1 (IHI 0048B 3.2.1, 4.4.1): eoi()
// only drops the running priority, deactivate() makes the interrupt inactive
// again. An interrupt the microvisor handles itself takes both, in that order;
// a physical interrupt forwarded to a guest takes eoi() alone, and the guest's
// virtual EOI deactivates it through the list register's HW bit (5.2.2).
// Registers: drivers/gic_regs.hpp. Host builds link the fake of arch/fake/fake.cpp.
#pragma once

#include "lib/types.hpp"

namespace mv::gic {

// Where the GIC is on QEMU's virt board (hw/arm/virt.c, the device tree's
// "arm,cortex-a15-gic" node: reg = GICD, GICC, GICH, GICV).
inline constexpr u32 GICD_BASE = 0x08000000;  ///< distributor
inline constexpr u32 GICD_SIZE = 0x1000;
inline constexpr u32 GICC_BASE = 0x08010000;  ///< CPU interface
inline constexpr u32 GICC_SIZE = 0x2000;      ///< 8 KiB: GICC_DIR is at 0x1000 (IHI 0048B 4.4.15)
inline constexpr u32 GICH_BASE = 0x08030000;  ///< virtual interface control (IHI 0048B 5.3): HYP only
inline constexpr u32 GICH_SIZE = 0x1000;
inline constexpr u32 GICV_BASE = 0x08040000;  ///< virtual CPU interface (IHI 0048B 5.5): a GICC for a guest
inline constexpr u32 GICV_SIZE = 0x2000;      ///< as GICC: GICV_DIR at 0x1000
/// Where a guest finds its CPU interface: GICV, mapped by stage 2 at the
/// board's GICC address, where a guest written for virt looks for it.
inline constexpr u32 GUEST_GICC_BASE = GICC_BASE;

// Interrupt IDs (IHI 0048B 2.2.1).
inline constexpr u32 SGI_COUNT = 16;          ///< 0-15: software-generated, banked per CPU
inline constexpr u32 PRIVATE_COUNT = 32;      ///< 0-31: SGIs and PPIs, banked per CPU
inline constexpr u32 SPI_FIRST = 32;          ///< shared peripheral interrupts from 32 on
inline constexpr u32 SPURIOUS = 1023;         ///< IAR's "nothing pending"
inline constexpr u32 IAR_ID_MASK = 0x3ff;     ///< GICC_IAR bits 9:0: the interrupt ID (IHI 0048B 4.4.4)
inline constexpr u32 PPI_MAINTENANCE = 25;    ///< the virtual interface's maintenance interrupt (GICH_HCR, GICH_MISR)
inline constexpr u32 PPI_HYP_TIMER = 26;      ///< the HYP timer (CNTHP)
inline constexpr u32 PPI_VIRT_TIMER = 27;     ///< the guest's virtual timer (CNTV)

/// How an SPI's input is sampled (GICD_ICFGR, IHI 0048B 4.3.13).
enum class Trigger : u8 {
    Level,  ///< pending while the line is asserted (the virt board's devices)
    Edge,   ///< pending on a rising edge
};

/// Distributor and CPU interface on: every interrupt disabled, not pending,
/// not active; every priority let through; EOImode = 1 (split EOI).
void init();
/// Set interrupt `id`'s priority to `prio` (0 highest; the GIC may ignore low bits), then enable it.
void enable(u32 id, u8 prio);
/// An SPI of a device (32 and up): level-sensitive, sent to CPU 0, enabled at `prio`.
void enable_spi(u32 id, u8 prio);
/// Disable interrupt `id`: it may still become pending, but is not signalled.
void disable(u32 id);
/// Set interrupt `id`'s priority (0 highest) without changing whether it is enabled.
void set_priority(u32 id, u8 prio);
/// Send SPI `id` (32 and up) to CPU 0, the one the microvisor runs on.
void route_to_cpu0(u32 id);
/// Configure SPI `id` (32 and up) as level-sensitive or edge-triggered; set it while it is disabled.
void set_trigger(u32 id, Trigger t);
/// Whether interrupt `id` is active (GICD_ISACTIVER).
bool active(u32 id);
/// Make interrupt `id` active or inactive (GICD_ISACTIVER, GICD_ICACTIVER):
/// how a hypervisor keeps a forwarded interrupt's state per vCPU.
void set_active(u32 id, bool on);
/// Acknowledge the highest-priority pending interrupt: GICC_IAR (ID in bits 9:0,
/// SPURIOUS if none). The interrupt is now active and its priority running.
u32 ack();
/// Priority drop for a value ack() returned (GICC_EOIR): interrupts of that
/// priority may be signalled again. It stays active until deactivate().
void eoi(u32 iar);
/// Deactivate an interrupt whose priority eoi() dropped (GICC_DIR): it may be
/// signalled again. Not for one forwarded to a guest with the list register's HW bit.
void deactivate(u32 iar);
/// Make the CPU interface look at its pending interrupts again (a GICC_PMR
/// write of the value it holds). Hardware needs none of this; QEMU 7.2 does:
/// when a guest's EOI deactivates a hardware-linked interrupt (a list
/// register with HW = 1) whose level is still high, its GIC marks it pending
/// but recomputes only the virtual interface (arm_gic.c: gic_update_virt),
/// so the physical IRQ is not signalled until something else touches the
/// GIC. A guest whose timer fires more than once a slice lost its ticks so.
void resample();

}  // namespace mv::gic
