// SPDX-License-Identifier: MIT
// The virtual GIC distributor: interrupt state and the GICD registers (IHI 0048B 4.3).
#include "vdev/vgic.hpp"

#include "drivers/gic_regs.hpp"

namespace mv {
namespace {

/// The GICD registers, as offsets (the map is drivers/gic_regs.hpp's).
using gic::regs::at;
using gic::regs::Gicd;
constexpr u32 CTLR = at(Gicd::CTLR), TYPER = at(Gicd::TYPER), IIDR = at(Gicd::IIDR), IGROUPR = at(Gicd::IGROUPR),
              ISENABLER = at(Gicd::ISENABLER), ICENABLER = at(Gicd::ICENABLER), ISPENDR = at(Gicd::ISPENDR),
              ICPENDR = at(Gicd::ICPENDR), ISACTIVER = at(Gicd::ISACTIVER), ICACTIVER = at(Gicd::ICACTIVER),
              IPRIORITYR = at(Gicd::IPRIORITYR), ITARGETSR = at(Gicd::ITARGETSR), ICFGR = at(Gicd::ICFGR),
              SGIR = at(Gicd::SGIR), CPENDSGIR = at(Gicd::CPENDSGIR), SPENDSGIR = at(Gicd::SPENDSGIR);
constexpr u32 BITS_PER_REGION = 0x80;
constexpr u32 ITLINES = VGIC_WORDS - 1;    ///< TYPER.ITLinesNumber: 32 * (N + 1) interrupts
constexpr u32 TYPER_CPUS_SHIFT = 5;        ///< TYPER.CPUNumber, bits 7:5: CPUs - 1
constexpr u32 IIDR_VALUE = 0x4d00043b;     ///< ProductID 'M', implementer ARM (JEP106 0x43b)
constexpr u32 PRIORITY_BITS = 0xf8;        ///< the five bits a list register holds (GICH_LR bits 27:23)
constexpr u32 SGI_CFG = 0xaaaaaaaa;        ///< ICFGR0: every SGI edge-triggered, read-only
constexpr u32 SGIR_FILTER_SHIFT = 24, SGIR_LIST_SHIFT = 16, SGIR_ID_MASK = 0xf;

u32 bit(u32 id) { return 1u << (id % 32); }

// The registers a byte access may reach (IHI 0048B 4.1.4); the others are word-only.
bool byte_accessible(u32 offset) {
    return (offset >= IPRIORITYR && offset < ICFGR) || (offset >= CPENDSGIR && offset < SPENDSGIR + 0x10);
}

}  // namespace

void Vgic::reset(u32 ncpus) {
    *this = Vgic{};
    ncpus_ = ncpus;
    for (Bank& b : bank_) b.bits.edge = 0xffff;  // SGIs
}

u32 Vgic::read(u32 cpu, u32 offset, u32 size) {
    if (offset >= VGICD_SIZE || cpu >= ncpus_) return 0;
    if (size == 1 && byte_accessible(offset)) return read_byte(cpu, offset);
    if (size != 4 || (offset & 3) != 0) return 0;
    if (byte_accessible(offset)) {
        u32 v = 0;
        for (u32 i = 0; i < 4; ++i) v |= read_byte(cpu, offset + i) << (8 * i);
        return v;
    }
    if (offset >= IGROUPR && offset < IPRIORITYR) return read_bits(cpu, offset);
    if (offset >= ICFGR && offset < ICFGR + 4 * VGIC_IRQS / 16) return read_cfg(cpu, (offset - ICFGR) / 4);
    switch (offset) {
    case CTLR: return ctlr_;
    case TYPER: return ITLINES | ((ncpus_ - 1) << TYPER_CPUS_SHIFT);
    case IIDR: return IIDR_VALUE;
    default: return 0;  // SGIR is write-only; the rest reserved
    }
}

void Vgic::write(u32 cpu, u32 offset, u32 size, u32 value) {
    if (offset >= VGICD_SIZE || cpu >= ncpus_) return;
    if (size == 1 && byte_accessible(offset)) return write_byte(cpu, offset, static_cast<u8>(value));
    if (size != 4 || (offset & 3) != 0) return;
    if (byte_accessible(offset)) {
        for (u32 i = 0; i < 4; ++i) write_byte(cpu, offset + i, static_cast<u8>(value >> (8 * i)));
    } else if (offset >= IGROUPR && offset < IPRIORITYR) {
        write_bits(cpu, offset, value);
    } else if (offset >= ICFGR && offset < ICFGR + 4 * VGIC_IRQS / 16) {
        write_cfg(cpu, (offset - ICFGR) / 4, value);
    } else if (offset == CTLR) {
        ctlr_ = value & 3;
    } else if (offset == SGIR) {
        send_sgi(cpu, value);
    }
}

u32 Vgic::read_bits(u32 cpu, u32 offset) const {
    u32 n = (offset % BITS_PER_REGION) / 4;
    if (n >= VGIC_WORDS) return 0;
    const IrqWord& w = word(cpu, 32 * n);
    switch (offset - offset % BITS_PER_REGION) {
    case IGROUPR: return w.group;
    case ISENABLER: case ICENABLER: return w.enabled;
    case ISPENDR: case ICPENDR: return w.pending();
    default: return w.active;
    }
}

void Vgic::write_bits(u32 cpu, u32 offset, u32 v) {
    u32 n = (offset % BITS_PER_REGION) / 4;
    if (n >= VGIC_WORDS) return;
    IrqWord& w = word(cpu, 32 * n);
    u32 reg = offset - offset % BITS_PER_REGION;
    if ((reg == ISPENDR || reg == ICPENDR) && n == 0) v &= ~0xffffu;  // SGIs: SPENDSGIR and CPENDSGIR
    switch (reg) {
    case IGROUPR: w.group = v; break;
    case ISENABLER: w.enabled |= v; break;
    case ICENABLER: w.enabled &= ~v; break;
    case ISPENDR:
        w.latch |= v;
        for (u32 bits = v; bits != 0; bits &= bits - 1)
            trace_raise(cpu, 32 * n + static_cast<u32>(__builtin_ctz(bits)), trace::Source::gicd);
        break;
    case ICPENDR: w.latch &= ~v; break;  // a level-sensitive line still high keeps it pending
    case ISACTIVER: w.active |= v; break;
    default: w.active &= ~v; break;
    }
    if (n == 0 || (reg != ISACTIVER && reg != ICACTIVER)) return;
    for (u32 i = 0; i < 32; ++i)  // an SPI is active on one vCPU: the one that made it so
        if ((v & (1u << i)) != 0) spi_owner_[32 * (n - 1) + i] = reg == ISACTIVER ? static_cast<u8>(cpu + 1) : 0;
}

u32 Vgic::read_byte(u32 cpu, u32 offset) {
    if (offset >= IPRIORITYR && offset < IPRIORITYR + VGIC_IRQS) return priority(cpu, offset - IPRIORITYR);
    if (offset >= ITARGETSR && offset < ITARGETSR + VGIC_IRQS) {
        u32 id = offset - ITARGETSR;
        return id < VGIC_PRIVATE ? 1u << cpu : spi_targets_[id - 32];
    }
    if (offset >= CPENDSGIR && offset < SPENDSGIR + 0x10) return bank_[cpu].sgi_sources[offset % VGIC_SGIS];
    return 0;
}

void Vgic::write_byte(u32 cpu, u32 offset, u8 v) {
    u32 cpus = (1u << ncpus_) - 1;
    if (offset >= IPRIORITYR && offset < IPRIORITYR + VGIC_IRQS) {
        priority(cpu, offset - IPRIORITYR) = v & PRIORITY_BITS;
    } else if (offset >= ITARGETSR + VGIC_PRIVATE && offset < ITARGETSR + VGIC_IRQS) {
        set_targets(offset - ITARGETSR - 32, static_cast<u8>(v & cpus));
    } else if (offset >= CPENDSGIR && offset < SPENDSGIR + 0x10) {
        u32 sgi = offset % VGIC_SGIS, sources = bank_[cpu].sgi_sources[sgi];
        set_sgi_sources(cpu, sgi, static_cast<u8>(offset < SPENDSGIR ? sources & ~u32{v} : sources | (v & cpus)));
    }
}

// ICFGR n covers interrupts 16n..16n+15, two bits each; bit 1 of a field is
// 1 for edge-triggered, bit 0 is reserved (reads 0).
u32 Vgic::read_cfg(u32 cpu, u32 n) const {
    if (n == 0) return SGI_CFG;
    u32 edge = (word(cpu, 16 * n).edge >> (16 * n % 32)) & 0xffff, v = 0;
    for (u32 k = 0; k < 16; ++k) v |= ((edge >> k) & 1) << (2 * k + 1);
    return v;
}

void Vgic::write_cfg(u32 cpu, u32 n, u32 value) {
    if (n == 0) return;  // SGIs are edge-triggered
    IrqWord& w = word(cpu, 16 * n);
    for (u32 k = 0; k < 16; ++k) {
        u32 b = bit(16 * n + k);
        w.edge = (value >> (2 * k + 1)) & 1 ? w.edge | b : w.edge & ~b;
    }
}

void Vgic::send_sgi(u32 cpu, u32 value) {
    u32 targets = 0;
    switch ((value >> SGIR_FILTER_SHIFT) & 3) {
    case 0: targets = (value >> SGIR_LIST_SHIFT) & 0xff; break;  // the CPU target list
    case 1: targets = ~(1u << cpu); break;                        // every CPU but the sender
    case 2: targets = 1u << cpu; break;                           // the sender only
    default: return;                                               // reserved
    }
    u32 sgi = value & SGIR_ID_MASK;
    for (u32 t = 0; t < ncpus_; ++t) {
        if ((targets & (1u << t)) == 0) continue;
        trace_raise(t, sgi, trace::Source::sgi);
        set_sgi_sources(t, sgi, static_cast<u8>(bank_[t].sgi_sources[sgi] | (1u << cpu)));
    }
}

void Vgic::set_sgi_sources(u32 cpu, u32 sgi, u8 sources) {
    bank_[cpu].sgi_sources[sgi] = sources;
    IrqWord& w = bank_[cpu].bits;
    w.latch = sources != 0 ? w.latch | bit(sgi) : w.latch & ~bit(sgi);
}

void Vgic::set_targets(u32 spi, u8 targets) {
    spi_targets_[spi] = targets;
    for (u32 c = 0; c < VGIC_MAX_VCPUS; ++c) {
        u32& t = targeting_[c][spi / 32];
        t = (targets & (1u << c)) != 0 ? t | bit(spi) : t & ~bit(spi);
    }
}

void Vgic::raise(u32 cpu, u32 id) {
    if (id < VGIC_SGIS || id >= VGIC_IRQS || cpu >= ncpus_) return;  // SGIs come by GICD_SGIR
    word(cpu, id).latch |= bit(id);
}

void Vgic::set_line(u32 cpu, u32 id, bool high) {
    if (id < VGIC_SGIS || id >= VGIC_IRQS || cpu >= ncpus_) return;
    IrqWord& w = word(cpu, id);
    if (high && (w.edge & ~w.line & bit(id)) != 0) w.latch |= bit(id);  // a rising edge
    w.line = high ? w.line | bit(id) : w.line & ~bit(id);
}

void Vgic::forward(u32 id, u16 phys) {
    if (id < VGIC_IRQS) phys_[id] = phys;
}

void Vgic::ready(u32 cpu, u32 out[VGIC_WORDS]) const {
    // Called at every refill and every wake-up check: the common case (no
    // SPI active) stays a few instructions a word.
    u32 grp0 = (ctlr_ & 1) != 0 ? ~0u : 0, grp1 = (ctlr_ & 2) != 0 ? ~0u : 0;
    auto wanted = [&](const IrqWord& w) { return w.pending() & w.enabled & ((~w.group & grp0) | (w.group & grp1)); };
    const IrqWord& mine = bank_[cpu].bits;
    out[0] = wanted(mine) | mine.active;
    for (u32 n = 1; n < VGIC_WORDS; ++n) {
        const IrqWord& w = spi_[n - 1];
        u32 r = wanted(w) & targeting_[cpu][n - 1];
        out[n] = w.active == 0 ? r : with_active(cpu, n - 1, r);
    }
}

u32 Vgic::with_active(u32 cpu, u32 word, u32 ready) const {
    // An active SPI belongs to the vCPU it is active on: ready there, on no other vCPU.
    u32 mine = 0, others = 0;
    for (u32 a = spi_[word].active; a != 0; a &= a - 1) {
        u32 i = static_cast<u32>(__builtin_ctz(a));
        (spi_owner_[32 * word + i] == cpu + 1 ? mine : others) |= 1u << i;
    }
    return (ready & ~others) | mine;
}

bool Vgic::inject(u32 cpu, u32 id, Virq& out) {
    if (id < VGIC_SGIS || id >= VGIC_IRQS || cpu >= ncpus_) return false;
    IrqWord& w = word(cpu, id);
    u32 b = bit(id);
    bool group1 = (w.group & b) != 0;
    bool targets = id < VGIC_PRIVATE || (targeting_[cpu][id / 32 - 1] & b) != 0;
    if ((w.enabled & b) == 0 || (ctlr_ & (group1 ? 2u : 1u)) == 0 || !targets ||
        ((w.pending() | w.active | w.moved) & b) != 0)
        return false;
    w.moved |= b;  // raised and moved at once: from_lr() brings it back if not taken
    trace_inject(cpu, id, false);
    out = Virq{};
    out.id = id;
    out.priority = id < VGIC_PRIVATE ? bank_[cpu].priority[id] : spi_priority_[id - 32];
    out.pending = true;
    out.group1 = group1;
    out.level = (w.edge & b) == 0;
    out.phys = phys_[id];
    return true;
}

bool Vgic::offered(u32 cpu, u32 id, u8& priority, bool& group1) const {
    if (id >= VGIC_IRQS || cpu >= ncpus_) return false;
    const IrqWord& w = word(cpu, id);
    u32 b = bit(id);
    group1 = (w.group & b) != 0;
    priority = id < VGIC_PRIVATE ? bank_[cpu].priority[id] : spi_priority_[id - 32];
    bool targets = id < VGIC_PRIVATE || (targeting_[cpu][id / 32 - 1] & b) != 0;
    return (w.enabled & b) != 0 && (w.active & b) == 0 && (ctlr_ & (group1 ? 2u : 1u)) != 0 && targets;
}

Virq Vgic::virq(u32 cpu, u32 id) const {
    const IrqWord& w = word(cpu, id);
    Virq v{};
    v.id = id;
    v.priority = id < VGIC_PRIVATE ? bank_[cpu].priority[id] : spi_priority_[id - 32];
    v.pending = (w.pending() & bit(id)) != 0;
    v.active = (w.active & bit(id)) != 0;
    v.group1 = (w.group & bit(id)) != 0;
    v.level = (w.edge & bit(id)) == 0;
    v.phys = phys_[id];
    if (id < VGIC_SGIS) {
        u32 sources = bank_[cpu].sgi_sources[id];
        v.source = v.active ? bank_[cpu].sgi_active[id] : static_cast<u8>(sources != 0 ? __builtin_ctz(sources) : 0);
        v.pending = (sources & (1u << v.source)) != 0;
        v.more = (sources & ~(1u << v.source)) != 0;
    }
    return v;
}

void Vgic::to_lr(u32 cpu, const Virq& v) {
    if (!v.pending) return;
    trace_inject(cpu, v.id, true);
    if (v.id < VGIC_SGIS)
        return set_sgi_sources(cpu, v.id, static_cast<u8>(bank_[cpu].sgi_sources[v.id] & ~(1u << v.source)));
    IrqWord& w = word(cpu, v.id);
    w.moved |= w.latch & bit(v.id);  // a level-sensitive one may be pending by its line alone: nothing moves
    w.latch &= ~bit(v.id);
}

void Vgic::from_lr(u32 cpu, u32 id, u32 source, bool pending, bool active) {
    if (id >= VGIC_IRQS) return;
    trace_from_lr(cpu, id, pending, active);
    IrqWord& w = word(cpu, id);
    w.active = active ? w.active | bit(id) : w.active & ~bit(id);
    if (id >= VGIC_PRIVATE) spi_owner_[id - 32] = active ? static_cast<u8>(cpu + 1) : 0;
    if (id < VGIC_SGIS) {
        if (active) bank_[cpu].sgi_active[id] = static_cast<u8>(source);
        if (pending) set_sgi_sources(cpu, id, static_cast<u8>(bank_[cpu].sgi_sources[id] | (1u << source)));
    } else if ((w.moved & bit(id)) != 0) {
        w.moved &= ~bit(id);
        if (pending) w.latch |= bit(id);  // not taken yet
    }
}

}  // namespace mv
