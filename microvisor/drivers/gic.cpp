// SPDX-License-Identifier: MIT
// The physical GICv2: distributor and CPU interface (IHI 0048B, chapter 4).
#include "drivers/gic.hpp"

#include "drivers/gic_regs.hpp"

namespace mv::gic {
namespace {

using regs::Gicc;
using regs::Gicd;

volatile u32& d(u32 offset) { return *reinterpret_cast<volatile u32*>(GICD_BASE + offset); }
volatile u32& d(regs::Field f) { return d(f.offset); }
volatile u8& d_byte(u32 offset) { return *reinterpret_cast<volatile u8*>(GICD_BASE + offset); }
volatile u32& c(Gicc r) { return *reinterpret_cast<volatile u32*>(GICC_BASE + static_cast<u32>(r)); }

}  // namespace

void init() {
    d(static_cast<u32>(Gicd::CTLR)) = 0;
    u32 n = regs::lines(d(static_cast<u32>(Gicd::TYPER)));
    for (u32 id = 0; id < n; id += 32) {
        d(regs::bit_field(Gicd::ICENABLER, id)) = 0xffffffff;
        d(regs::bit_field(Gicd::ICPENDR, id)) = 0xffffffff;
        d(regs::bit_field(Gicd::ICACTIVER, id)) = 0xffffffff;
    }
    d(static_cast<u32>(Gicd::CTLR)) = regs::GICD_CTLR_ENABLE;
    c(Gicc::PMR) = regs::GICC_PMR_ALL;
    c(Gicc::BPR) = 0;  // every priority bit is group priority: a higher priority always preempts
    c(Gicc::CTLR) = regs::GICC_CTLR_ENABLE | regs::GICC_CTLR_EOIMODE;
}

void set_priority(u32 id, u8 prio) { d_byte(regs::byte_offset(Gicd::IPRIORITYR, id)) = prio; }

void enable(u32 id, u8 prio) {
    set_priority(id, prio);
    regs::Field f = regs::bit_field(Gicd::ISENABLER, id);
    d(f) = 1u << f.shift;  // write-1-to-set: the other bits are left alone
}

void enable_spi(u32 id, u8 prio) {
    set_trigger(id, Trigger::Level);
    route_to_cpu0(id);
    enable(id, prio);
}

void disable(u32 id) {
    regs::Field f = regs::bit_field(Gicd::ICENABLER, id);
    d(f) = 1u << f.shift;
}

void route_to_cpu0(u32 id) { d_byte(regs::byte_offset(Gicd::ITARGETSR, id)) = 1u << 0; }

void set_trigger(u32 id, Trigger t) {
    regs::Field f = regs::config_field(id);
    u32 edge = 2u << f.shift;  // bit 1 of the pair; bit 0 is reserved on GICv2
    u32 v = d(f);
    d(f) = t == Trigger::Edge ? v | edge : v & ~edge;
}

bool active(u32 id) {
    regs::Field f = regs::bit_field(Gicd::ISACTIVER, id);
    return (d(f) >> f.shift & 1) != 0;
}

void set_active(u32 id, bool on) {
    regs::Field f = regs::bit_field(on ? Gicd::ISACTIVER : Gicd::ICACTIVER, id);
    d(f) = 1u << f.shift;
}

u32 ack() { return c(Gicc::IAR); }

void eoi(u32 iar) { c(Gicc::EOIR) = iar; }

void deactivate(u32 iar) { c(Gicc::DIR) = iar; }

void resample() { c(Gicc::PMR) = c(Gicc::PMR); }

}  // namespace mv::gic
