// SPDX-License-Identifier: MIT
// The guest's GICv2 driver: see gic.hpp.
#include "gic.hpp"

#include "drivers/gic_regs.hpp"

namespace guest::gic {
namespace {

constexpr u32 MAX_IRQS = 96;  // what a VM's distributor has (TYPER says; more are ignored)
constexpr u32 MAX_CPUS = 8;
constexpr u32 HISTORY = 64;

// The register map is the microvisor's (drivers/gic_regs.hpp), as offsets.
using mv::gic::regs::at;
using mv::gic::regs::Gicc;
using mv::gic::regs::Gicd;
constexpr u32 D_CTLR = at(Gicd::CTLR), D_TYPER = at(Gicd::TYPER), D_ISENABLER = at(Gicd::ISENABLER),
              D_ICENABLER = at(Gicd::ICENABLER), D_ISPENDR = at(Gicd::ISPENDR), D_ICACTIVER = at(Gicd::ICACTIVER),
              D_IPRIORITYR = at(Gicd::IPRIORITYR), D_ITARGETSR = at(Gicd::ITARGETSR), D_ICFGR = at(Gicd::ICFGR),
              D_SGIR = at(Gicd::SGIR);
constexpr u32 C_CTLR = at(Gicc::CTLR), C_PMR = at(Gicc::PMR), C_BPR = at(Gicc::BPR), C_IAR = at(Gicc::IAR),
              C_EOIR = at(Gicc::EOIR);

Handler handlers[MAX_IRQS];
u32 counts[MAX_CPUS][MAX_IRQS];
u32 order[MAX_CPUS][HISTORY];
u32 norder[MAX_CPUS];

volatile u32& d32(u32 off) { return *reinterpret_cast<volatile u32*>(GICD + off); }
volatile u8& d8(u32 off) { return *reinterpret_cast<volatile u8*>(GICD + off); }
volatile u32& c32(u32 off) { return *reinterpret_cast<volatile u32*>(GICC + off); }

u32 this_cpu() { return cpu_id() < MAX_CPUS ? cpu_id() : 0; }

// The IRQ vector's work: acknowledge, run the handler, end the interrupt.
bool on_irq(ExcFrame& frame) {
    for (;;) {
        u32 iar = c32(C_IAR);
        u32 id = iar & 0x3ff;
        if (id == SPURIOUS) return true;
        u32 cpu = this_cpu();
        if (id < MAX_IRQS) {
            ++counts[cpu][id];
            if (norder[cpu] < HISTORY) order[cpu][norder[cpu]] = id;
            ++norder[cpu];
            if (handlers[id] != nullptr) handlers[id](id, frame);
        }
        c32(C_EOIR) = iar;  // with the SGI's source CPU in bits 12:10, as IAR gave it
    }
}

}  // namespace

Info init_distributor() {
    u32 typer = d32(D_TYPER);
    Info info{32 * ((typer & 0x1f) + 1), ((typer >> 5) & 7) + 1};
    u32 irqs = info.irqs < MAX_IRQS ? info.irqs : MAX_IRQS;
    d32(D_CTLR) = 0;
    u32 me = 1u << this_cpu();
    u32 targets = me | me << 8 | me << 16 | me << 24;
    for (u32 i = 32; i < irqs; i += 16) d32(D_ICFGR + i / 4) = 0;  // level-triggered
    for (u32 i = 32; i < irqs; i += 4) d32(D_ITARGETSR + i) = targets;
    for (u32 i = 32; i < irqs; i += 4) d32(D_IPRIORITYR + i) = 0xa0a0a0a0;
    for (u32 i = 32; i < irqs; i += 32) {
        d32(D_ICACTIVER + i / 8) = 0xffffffff;
        d32(D_ICENABLER + i / 8) = 0xffffffff;
    }
    d32(D_CTLR) = 1;
    return info;
}

void init_cpu() {
    d32(D_ICACTIVER) = 0xffffffff;
    d32(D_ICENABLER) = 0xffff0000;  // PPIs off
    d32(D_ISENABLER) = 0x0000ffff;  // SGIs on
    for (u32 i = 0; i < 32; i += 4) d32(D_IPRIORITYR + i) = 0xa0a0a0a0;
    c32(C_PMR) = 0xf0;
    c32(C_BPR) = 0;
    c32(C_CTLR) = 1;
    set_irq_hook(on_irq);
}

void enable(u32 intid, u8 priority, Handler handler) {
    if (intid >= MAX_IRQS) return;
    handlers[intid] = handler;
    d8(D_IPRIORITYR + intid) = priority;
    if (intid >= 32) d8(D_ITARGETSR + intid) = static_cast<u8>(1u << this_cpu());
    d32(D_ISENABLER + intid / 32 * 4) = 1u << (intid % 32);
}

void disable(u32 intid) {
    if (intid < MAX_IRQS) d32(D_ICENABLER + intid / 32 * 4) = 1u << (intid % 32);
}

void set_pending(u32 intid) {
    if (intid < MAX_IRQS) d32(D_ISPENDR + intid / 32 * 4) = 1u << (intid % 32);
}

void send_sgi(u32 intid, u32 cpu_mask) {
    asm volatile("dsb" ::: "memory");  // the data the SGI announces is visible first
    d32(D_SGIR) = (cpu_mask & 0xff) << 16 | (intid & 0xf);
}

void set_priority_mask(u8 mask) { c32(C_PMR) = mask; }

u32 taken(u32 intid) { return intid < MAX_IRQS ? counts[this_cpu()][intid] : 0; }

u32 history(u32* out, u32 n) {
    u32 cpu = this_cpu(), have = norder[cpu] < HISTORY ? norder[cpu] : HISTORY;
    u32 k = n < have ? n : have;
    for (u32 i = 0; i < k; ++i) out[i] = order[cpu][i];
    return k;
}

void timer_irq_at_us(u64 us) {
    u64 cval = us * cntfrq() / 1000000;
    asm volatile("mcrr p15, 3, %0, %1, c14" ::"r"(static_cast<u32>(cval)), "r"(static_cast<u32>(cval >> 32)));
    asm volatile("mcr p15, 0, %0, c14, c3, 1\n isb" ::"r"(1u));  // CNTV_CTL: ENABLE, IMASK clear
}

namespace {
constexpr u64 PERIOD_US = 1000;
volatile u32 ticks;
u64 next_us, latest_us, latest_at_us;
void on_tick(u32, ExcFrame&) {
    const u64 late = now_us() - next_us;
    if (late > latest_us) {
        latest_us = late;
        latest_at_us = next_us;
    }
    ticks = ticks + 1;
    next_us += PERIOD_US;
    timer_irq_at_us(next_us);
}
}  // namespace

TickCount count_timer_ticks(u32 periods) {
    enable(PPI_VIRT_TIMER, 0x80, on_tick);
    ticks = 0;
    latest_us = latest_at_us = 0;
    next_us = now_us() + PERIOD_US;
    const u64 start = now_us();
    timer_irq_at_us(next_us);
    irq_on();
    while (now_us() - start < periods * PERIOD_US) asm volatile("wfi");
    irq_off();
    timer_off();
    return {ticks, latest_us, latest_at_us};
}

}  // namespace guest::gic
