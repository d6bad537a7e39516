// SPDX-License-Identifier: MIT
// The virtual GIC distributor of one VM (ARM IHI 0048B, chapter 4): the state
// of its interrupts and the GICD registers the guest finds at 0x0800_0000,
// emulated. The list-register engine (vdev/list_registers.hpp) delivers what
// it holds through the hardware's virtual CPU interface, which the guest finds
// at 0x0801_0000. Like every device model, it includes nothing of the kernel.
//
// A VM has 32 private interrupts per vCPU (SGIs 0-15, PPIs 16-31, banked)
// and 64 shared ones (SPIs 32-95): GICD_TYPER.ITLinesNumber = 2.
#pragma once

#include "kernel/trace.hpp"
#include "lib/types.hpp"

namespace mv {

inline constexpr u32 VGICD_BASE = 0x08000000;
inline constexpr u32 VGICD_SIZE = 0x1000;
inline constexpr u32 VGIC_MAX_VCPUS = 8;  ///< ITARGETSR has a bit per CPU, LR.CPUID 3 bits
inline constexpr u32 VGIC_PRIVATE = 32;   ///< SGIs and PPIs, banked per vCPU
inline constexpr u32 VGIC_SGIS = 16;
inline constexpr u32 VGIC_IRQS = 96;      ///< 32 private, 64 SPIs
inline constexpr u32 VGIC_WORDS = VGIC_IRQS / 32;

/// One bit per interrupt, for 32 of them.
struct IrqWord {
    u32 enabled = 0;
    u32 latch = 0;   ///< pending by an edge, ISPENDR or an SGI (an SGI's: some source has it pending)
    u32 line = 0;    ///< a level-sensitive input is high
    u32 active = 0;
    u32 group = 0;   ///< IGROUPR: 1 is group 1
    u32 edge = 0;    ///< ICFGR: 1 is edge-triggered (SGIs: always)
    u32 moved = 0;   ///< the latch went into a list register (to_lr): from_lr brings it back if not taken
    /// Pending: latched, or a level-sensitive line high.
    u32 pending() const { return latch | (line & ~edge); }
};

/// What the list-register engine needs of one interrupt.
struct Virq {
    u32 id;
    u8 priority;
    u8 source;        ///< an SGI: the source vCPU of the LR (the lowest pending one, or the active one)
    bool pending;
    bool active;
    bool group1;
    bool level;       ///< level-sensitive: its EOI must be seen (the line may still be high)
    bool more;        ///< an SGI pending from another source too: its EOI must be seen
    u16 phys;         ///< forwarded: the physical interrupt's ID (HW = 1), else 0
};

class Vgic final {
public:
    /// The distributor as the board resets it, for `ncpus` vCPUs (1-8).
    void reset(u32 ncpus);

    /// A guest read of GICD register `offset` by vCPU `cpu` (size 1, 2 or
    /// 4). A width the register does not allow (IHI 0048B 4.1.4: bytes only
    /// for IPRIORITYR, ITARGETSR, CPENDSGIR and SPENDSGIR; words aligned)
    /// and a reserved offset read 0.
    u32 read(u32 cpu, u32 offset, u32 size);
    /// A guest write; what read() refuses is ignored.
    void write(u32 cpu, u32 offset, u32 size, u32 value);

    // --- the devices' side ----------------------------------------------------
    /// An edge on interrupt `id` (of vCPU `cpu`'s bank if private): it becomes pending.
    void raise(u32 cpu, u32 id);
    /// The input line of interrupt `id` is now `high`: a level-sensitive one is
    /// pending while it is high; an edge-triggered one latches a rising edge.
    void set_line(u32 cpu, u32 id, bool high);
    /// Interrupt `id` is the physical interrupt `phys` forwarded (the LR's HW
    /// bit: the guest's EOI deactivates it); `phys` 0 undoes it.
    void forward(u32 id, u16 phys);

    // --- the list-register engine's side (vdev/list_registers.cpp) ----------
    /// The interrupts vCPU `cpu` may be given now: active ones it owns, and
    /// pending, enabled ones of an enabled group that target it. Word 0 its
    /// private interrupts, words 1-2 the SPIs.
    void ready(u32 cpu, u32 out[VGIC_WORDS]) const;
    /// Interrupt `id` as vCPU `cpu` sees it.
    Virq virq(u32 cpu, u32 id) const;
    /// The fast path of a forwarded interrupt (kernel/virq.cpp): an edge on
    /// interrupt `id` (not an SGI) that goes straight into a list register of
    /// vCPU `cpu`, as raise() then to_lr() would leave it. Only if it is
    /// enabled, of an enabled group, private or targeting `cpu`, and neither
    /// pending nor active: then true, and `out` what the LR must hold.
    /// Otherwise false, and nothing changes.
    bool inject(u32 cpu, u32 id, Virq& out);
    /// Whether interrupt `id`, pending, is one vCPU `cpu` may take: enabled,
    /// of an enabled group, private or targeting it, not active. Its
    /// priority and group: `priority`, `group1`.
    bool offered(u32 cpu, u32 id, u8& priority, bool& group1) const;
    /// `v` is now in one of vCPU `cpu`'s list registers: its latched pending
    /// state (an SGI's: of its source) moves there.
    void to_lr(u32 cpu, const Virq& v);
    /// What a list register of vCPU `cpu` held when the guest stopped: the
    /// interrupt's pending and active state come back from it.
    void from_lr(u32 cpu, u32 id, u32 source, bool pending, bool active);

    u32 ncpus() const { return ncpus_; }

    /// A traced image (kernel/trace.hpp): vCPU `cpu` of this distributor is
    /// vCPU `first + cpu` of the trace. Nothing in any other image.
#if MV_TRACE
    void trace_as(u32 first) { trace_first_ = static_cast<u16>(first); }
    /// A traced image: interrupt `id` raised for vCPU `cpu` (0 for an SPI) by `source`.
    void trace_raise(u32 cpu, u32 id, trace::Source source) const {
        trace::record(trace::Kind::virq_raise, trace_first_ + cpu, id, static_cast<u32>(source));
    }
    /// A traced image: vgic_flush() of vCPU `cpu` begins (kernel/virq.cpp).
    void trace_flush(u32 cpu) {
        for (u32 w = 0; w < VGIC_WORDS; ++w) before_[w] = in_lr_[cpu][w], in_lr_[cpu][w] = 0;
    }
#else
    void trace_as(u32) {}
    void trace_raise(u32, u32, trace::Source) const {}
    void trace_flush(u32) {}
#endif

private:
    IrqWord& word(u32 cpu, u32 id) { return id < VGIC_PRIVATE ? bank_[cpu].bits : spi_[id / 32 - 1]; }
    const IrqWord& word(u32 cpu, u32 id) const { return id < VGIC_PRIVATE ? bank_[cpu].bits : spi_[id / 32 - 1]; }
    u8& priority(u32 cpu, u32 id) { return id < VGIC_PRIVATE ? bank_[cpu].priority[id] : spi_priority_[id - 32]; }
    u32 read_bits(u32 cpu, u32 offset) const;
    void write_bits(u32 cpu, u32 offset, u32 value);
    u32 read_byte(u32 cpu, u32 offset);
    void write_byte(u32 cpu, u32 offset, u8 value);
    u32 read_cfg(u32 cpu, u32 n) const;
    void write_cfg(u32 cpu, u32 n, u32 value);
    void send_sgi(u32 cpu, u32 value);
    void set_sgi_sources(u32 cpu, u32 sgi, u8 sources);
    void set_targets(u32 spi, u8 targets);
    /// ready()'s SPI word `word` (0 or 1) for `cpu` when some SPI of it is active (out of line).
    [[gnu::noinline]] u32 with_active(u32 cpu, u32 word, u32 ready) const;

    /// One vCPU's private interrupts.
    struct Bank {
        IrqWord bits;
        u8 priority[VGIC_PRIVATE] = {};
        u8 sgi_sources[VGIC_SGIS] = {};  ///< pending SGIs, a bit per source vCPU
        u8 sgi_active[VGIC_SGIS] = {};   ///< an active SGI's source vCPU
    };

    u32 ncpus_ = 0;
    u32 ctlr_ = 0;                          ///< GICD_CTLR: EnableGrp0 (bit 0), EnableGrp1 (bit 1)
    Bank bank_[VGIC_MAX_VCPUS];
    IrqWord spi_[VGIC_WORDS - 1];
    u8 spi_priority_[VGIC_IRQS - 32] = {};
    u8 spi_targets_[VGIC_IRQS - 32] = {};   ///< ITARGETSR: a bit per vCPU
    u8 spi_owner_[VGIC_IRQS - 32] = {};     ///< an active SPI: 1 + the vCPU it is active on, else 0
    u32 targeting_[VGIC_MAX_VCPUS][VGIC_WORDS - 1] = {};  ///< the SPIs whose ITARGETSR names each vCPU
    u16 phys_[VGIC_IRQS] = {};              ///< forwarded interrupts: the physical ID
#if MV_TRACE
    // A traced image's events: an interrupt that enters a list register it
    // was not in at the flush before (virq_inject: a lazy sync's re-flush is
    // no new injection, an eviction's return is), and a list register that
    // comes back ended (virq_eoi).
    u16 trace_first_ = trace::NONE;                  ///< trace_as()
    u32 in_lr_[VGIC_MAX_VCPUS][VGIC_WORDS] = {};     ///< pending in a list register at the last flush, not taken
    u32 before_[VGIC_WORDS] = {};                    ///< in_lr_ of the vCPU being flushed, before the flush
    void trace_inject(u32 cpu, u32 id, bool flushing) {
        u32 b = 1u << id % 32, was = flushing ? before_[id / 32] : in_lr_[cpu][id / 32];
        in_lr_[cpu][id / 32] |= b;
        if ((was & b) == 0) trace::record(trace::Kind::virq_inject, trace_first_ + cpu, id, 0);
    }
    void trace_from_lr(u32 cpu, u32 id, bool pending, bool active) {
        if (pending) return;
        in_lr_[cpu][id / 32] &= ~(1u << id % 32);  // taken: its next raise is injected anew
        if (!active) trace::record(trace::Kind::virq_eoi, trace_first_ + cpu, id, 0);
    }
#else
    void trace_inject(u32, u32, bool) {}
    void trace_from_lr(u32, u32, bool, bool) {}
#endif
};

}  // namespace mv
