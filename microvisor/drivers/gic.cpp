// SPDX-License-Identifier: MIT
// The physical GICv2: distributor and CPU interface (IHI 0048B, chapter 4).
#include "drivers/gic.hpp"

namespace mv::gic {
namespace {

enum class Gicd : u32 {
    CTLR = 0x000,        ///< distributor control: bit 0 forwards interrupts
    ISENABLER = 0x100,   ///< set-enable, one bit per interrupt
    ICENABLER = 0x180,   ///< clear-enable
    IPRIORITYR = 0x400,  ///< priority, one byte per interrupt
};
enum class Gicc : u32 {
    CTLR = 0x00,  ///< CPU interface control: bit 0 signals interrupts to the CPU
    PMR = 0x04,   ///< priority mask: interrupts below (numerically above) it stay pending
    IAR = 0x0c,   ///< interrupt acknowledge
    EOIR = 0x10,  ///< end of interrupt
};
constexpr u32 MAX_IRQS = 1020;

volatile u32& d(Gicd r, u32 index = 0) {
    return *reinterpret_cast<volatile u32*>(GICD_BASE + static_cast<u32>(r) + 4 * index);
}
volatile u32& c(Gicc r) { return *reinterpret_cast<volatile u32*>(GICC_BASE + static_cast<u32>(r)); }

}  // namespace

void init() {
    d(Gicd::CTLR) = 0;
    for (u32 i = 0; i < MAX_IRQS / 32; ++i) d(Gicd::ICENABLER, i) = 0xffffffff;
    d(Gicd::CTLR) = 1;
    c(Gicc::PMR) = 0xff;
    c(Gicc::CTLR) = 1;
}

void enable(u32 id, u8 prio) {
    *(reinterpret_cast<volatile u8*>(GICD_BASE + static_cast<u32>(Gicd::IPRIORITYR)) + id) = prio;
    d(Gicd::ISENABLER, id / 32) = 1u << (id % 32);
}

u32 ack() { return c(Gicc::IAR); }

void eoi(u32 iar) { c(Gicc::EOIR) = iar; }

}  // namespace mv::gic
