// SPDX-License-Identifier: MIT
// The victim: it measures its own progress while the attack runs, then checks that its
// memory, its registers and its own MEM_UNMAP/MEM_MAP are as they should be.
#include "attack.hpp"

extern "C" {
void storm_escape();
void attack_vfp_enable();
void attack_vfp_fill(mv::u32 tag, mv::u32 fpscr);
void attack_vfp_read(mv::u64 out[32], mv::u32* fpscr);
mv::u32 attack_strex(volatile mv::u32* addr, mv::u32 v);
}

namespace attack {
namespace {

constexpr u32 WAIT_FOR_ATTACK_MS = 50;  // the attacker arms within this, or has crashed
constexpr u32 WINDOW_MS = 100;          // 50 time slices of 1 ms each with the attacker
constexpr u32 CANARY_PAGE = RAM + 0x200000;
constexpr u32 UNMAP_PAGE = RAM + 0x300000;
constexpr u32 SPLIT_PAGE = VICTIM_PRIVATE + 0x100000;  // unmapped while the attack runs
constexpr u32 CANARY_WORDS = PAGE / 4;

u32 canary(u32 addr) { return addr * 0x9e3779b9u ^ 0x5a5aa5a5u; }

void plant(u32 base, u32 words) {
    for (u32 i = 0; i < words; ++i) reinterpret_cast<volatile u32*>(base)[i] = canary(base + 4 * i);
}

/// The first word of [base, base + 4 * words) that is not its canary, or 0.
u32 trampled(u32 base, u32 words) {
    for (u32 i = 0; i < words; ++i)
        if (reinterpret_cast<volatile u32*>(base)[i] != canary(base + 4 * i)) return base + 4 * i;
    return 0;
}

// ---- registers: the victim sets them, the attacker may write its own, they must survive ----

struct Reg {
    const char* name;
    u32 (*read)();
    void (*write)(u32);
    u32 mine;      // what the victim writes
    bool offered;  // false: the access is an undefined instruction (trapped): nothing to check
    u32 seen;
};

#define REG(name, enc, value)                                                                   \
    Reg {                                                                                       \
        name, [] { u32 v = 0; asm volatile("mrc " enc : "+r"(v) : : "memory"); return v; },    \
            [](u32 v) { asm volatile("mcr " enc : : "r"(v) : "memory"); }, value, true, 0       \
    }

Reg cp15_regs[] = {
    REG("TPIDRURW", "p15, 0, %0, c13, c0, 2", 0x71c7171cu),
    REG("TPIDRURO", "p15, 0, %0, c13, c0, 3", 0x0b0e0b0eu),
    REG("TPIDRPRW", "p15, 0, %0, c13, c0, 4", 0x1eaf1eafu),
    REG("CONTEXTIDR", "p15, 0, %0, c13, c0, 1", 0x00000042u),
};
Reg pmu_regs[] = {
    REG("PMSELR", "p15, 0, %0, c9, c12, 5", 0x5),
    REG("PMUSERENR", "p15, 0, %0, c9, c14, 0", 0x0),
    REG("PMCNTENSET", "p15, 0, %0, c9, c12, 1", 0x80000000u),
};
Reg thumbee_regs[] = {
    REG("TEEHBR", "p14, 6, %0, c1, c0, 0", 0x00012340u),
    REG("TEECR", "p14, 6, %0, c0, c0, 0", 0x0),
};

void set_all(Reg* regs, u32 n) {
    for (u32 i = 0; i < n; ++i) {
        Reg& r = regs[i];
        const Seen s = probe([&] {
            r.write(r.mine);
            return r.read();
        });
        r.offered = s.exceptions == 0;
    }
}

/// PASS `name` if every offered register still holds the victim's value.
void check_all(const char* name, Reg* regs, u32 n) {
    char detail[200] = "";
    u32 used = 0;
    for (u32 i = 0; i < n; ++i) {
        Reg& r = regs[i];
        if (!r.offered) continue;  // an undefined instruction here: the register is not shared either
        r.seen = r.read();
        if (r.seen != r.mine && used < sizeof detail)
            used += mv::snformat(detail + used, sizeof detail - used, "%s%s = 0x%08x, expected 0x%08x",
                                 used == 0 ? "" : "; ", r.name, r.seen, r.mine);
    }
    check(used == 0, name, "%s (another VM's writes reached this VM's registers)", detail);
}

// PMCR and the cycle counter: the victim's counter runs on, never backwards.
struct CycleCounter {
    bool offered = false;
    u32 start = 0;
};

u32 pmccntr() { u32 v = 0; asm volatile("mrc p15, 0, %0, c9, c13, 0" : "+r"(v) : : "memory"); return v; }
u32 pmcr() { u32 v = 0; asm volatile("mrc p15, 0, %0, c9, c12, 0" : "+r"(v) : : "memory"); return v; }

CycleCounter start_cycle_counter() {
    CycleCounter c;
    const Seen s = probe([] {
        asm volatile("mcr p15, 0, %0, c9, c12, 0\n isb" : : "r"(1u) : "memory");  // PMCR.E, no reset
        return pmccntr();
    });
    c.offered = s.exceptions == 0 && (pmcr() & 1) != 0;
    c.start = s.value;
    return c;
}

void check_cycle_counter(const CycleCounter& c, u64 window_ticks) {
    if (!c.offered) return;
    const u32 end = pmccntr(), e = pmcr() & 1;
    // At most one instruction per virtual nanosecond (icount), 16 per counter tick.
    const u64 most = window_ticks * 16 * 4;
    check(e == 1 && end >= c.start && end - c.start <= most, "victim_cycle_counter_intact",
          "PMCCNTR went from 0x%08x to 0x%08x with PMCR.E = %u over %u counter ticks: another VM reset or wrote it",
          c.start, end, e, static_cast<u32>(window_ticks));
}

// The VFP registers: the victim's d0-d31 and FPSCR survive whatever the attacker does with its own.
constexpr u32 VICTIM_FPSCR = 0x00400000;  // RMode = round towards plus infinity

void check_vfp() {
    u64 d[32];
    u32 fpscr = 0;
    attack_vfp_read(d, &fpscr);
    u32 bad = 32;
    for (u32 i = 0; i < 32 && bad == 32; ++i)
        if (d[i] != ((static_cast<u64>(VICTIM_VFP_TAG) << 32) | i)) bad = i;
    check(bad == 32 && fpscr == VICTIM_FPSCR, "victim_vfp_state_intact",
          "d%u = 0x%08x%08x (expected 0x%08x%08x), FPSCR = 0x%08x (expected 0x%08x)", bad % 32,
          static_cast<u32>(d[bad % 32] >> 32), static_cast<u32>(d[bad % 32]), VICTIM_VFP_TAG, bad % 32, fpscr,
          VICTIM_FPSCR);
}

// STREX without an LDREX, right after each switch back to the victim: it must fail (the
// attacker left the exclusive monitor open at the same virtual address).
void stale_exclusive(u64 ticks) {
    const u64 end = cntvct() + ticks, away = cntfrq() / 10000;  // 100 us away: there was a switch
    u32 switches = 0, stored = 0;
    for (u64 last = cntvct(), t = last; t < end; last = t, t = cntvct()) {
        if (t - last < away) continue;
        ++switches;
        stored += attack_strex(&exclusive_target, 0) == 0;  // (0: the value stays what both VMs hold)
        asm volatile("clrex" ::: "memory");
    }
    mvt::value("victim_switches_seen", switches);
    check(stored == 0 && switches > 0, "victim_no_stale_exclusive",
          "a STREX without LDREX stored %u times in %u switches back from the attacker (its LDREX left open)",
          stored, switches);
}

// ---- the measurement ----

struct Rate {
    u64 iterations = 0, ticks = 0, max_gap = 0;
};

Rate measure(u64 window_ticks) {
    Rate r;
    const u64 start = cntvct(), end = start + window_ticks;
    u64 last = start, t = start;
    u32 x = 1;
    do {
        for (u32 i = 0; i < 8; ++i) x = x * 1664525u + 1013904223u;  // the work: a few dozen instructions
        asm volatile("" : "+r"(x));
        ++r.iterations;
        t = cntvct();
        if (t - last > r.max_gap) r.max_gap = t - last;
        last = t;
    } while (t < end);
    r.ticks = t - start;
    return r;
}

// A block of its own split while the attack runs: the table comes from the pool the attacker
// gives tables back to (the freed-tables attack).
i32 split_own_block() { return static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, SPLIT_PAGE, PAGE).r0); }

void check_split_block(i32 split) {
    const Seen gone = probe([] { return read32(SPLIT_PAGE); });
    const Seen next = probe([] { return read32(SPLIT_PAGE + PAGE); });
    const i32 m = static_cast<i32>(hvc(MV_CALL_MEM_MAP, SPLIT_PAGE, PAGE).r0);
    const u32 bad = trampled(SPLIT_PAGE - PAGE, 3 * CANARY_WORDS);
    check(split == MV_OK && gone.outcome == Outcome::dabt && next.exceptions == 0 && m == MV_OK && bad == 0,
          "victim_split_block_intact",
          "page 0x%08x: MEM_UNMAP = %d (want 0), then %s (want a data abort), the next page %s, MEM_MAP = %d; "
          "canary trampled at 0x%08x",
          SPLIT_PAGE, split, outcome_name(gone.outcome), outcome_name(next.outcome), m, bad);
}

void own_unmap_map() {
    write32(UNMAP_PAGE, 0x5a5a1234);
    const i32 u = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, UNMAP_PAGE, PAGE).r0);
    const Seen gone = probe([] { return read32(UNMAP_PAGE); });
    const i32 m = static_cast<i32>(hvc(MV_CALL_MEM_MAP, UNMAP_PAGE, PAGE).r0);
    const Seen back = probe([] { return read32(UNMAP_PAGE); });
    check(u == MV_OK && gone.outcome == Outcome::dabt && m == MV_OK && back.exceptions == 0 &&
              back.value == 0x5a5a1234,
          "victim_mem_unmap_map",
          "its page 0x%08x: MEM_UNMAP = %d (want 0), a read then saw %s (want a data abort), MEM_MAP = %d (want 0), "
          "a read then saw %s, 0x%08x (want 0x5a5a1234)",
          UNMAP_PAGE, u, outcome_name(gone.outcome), m, outcome_name(back.outcome), back.value);
}

}  // namespace

void victim(u32 selector) {
    install_probe_hook();
    const u32 token = param_token(), frq = cntfrq();
    plant(CANARY_PAGE, CANARY_WORDS);
    plant(VICTIM_PRIVATE, CANARY_WORDS);
    plant(VICTIM_PRIVATE + VICTIM_PRIVATE_SIZE - PAGE, CANARY_WORDS);
    plant(SPLIT_PAGE - PAGE, 3 * CANARY_WORDS);
    set_all(cp15_regs, sizeof cp15_regs / sizeof cp15_regs[0]);
    set_all(pmu_regs, sizeof pmu_regs / sizeof pmu_regs[0]);
    set_all(thumbee_regs, sizeof thumbee_regs / sizeof thumbee_regs[0]);
    const CycleCounter cycles = start_cycle_counter();
    attack_vfp_enable();
    attack_vfp_fill(VICTIM_VFP_TAG, VICTIM_FPSCR);

    const u64 ticks_per_ms = frq / 1000;
    const u64 give_up = cntvct() + WAIT_FOR_ATTACK_MS * ticks_per_ms;
    while (mailbox().armed != ARMED && cntvct() < give_up) {
    }
    const bool armed = mailbox().armed == ARMED;
    if (selector == 40) stale_exclusive(20 * ticks_per_ms);
    const i32 split = split_own_block();
    const Rate r = measure(WINDOW_MS * ticks_per_ms);
    // End the attack: storms leave through storm_escape, loops see DONE.
    mailbox().storm_load = MAILBOX;
    mailbox().escape_pc = reinterpret_cast<u32>(&storm_escape);
    asm volatile("dsb" ::: "memory");
    mailbox().victim_done = DONE;
    asm volatile("dsb" ::: "memory");

    mvt::value("victim_rate", static_cast<long long>(r.iterations * ticks_per_ms / r.ticks));
    mvt::value("victim_max_gap_us", static_cast<long long>(r.max_gap * 1000 / ticks_per_ms));
    mvt::value("victim_window_us", static_cast<long long>(r.ticks * 1000 / ticks_per_ms));
    check(armed || selector == 0, "victim_saw_attack_start",
          "the attacker did not arm within %u ms (mailbox word 0x%08x)", WAIT_FOR_ATTACK_MS, mailbox().armed);
    mvt::pass("victim_measured");

    u32 bad = trampled(CANARY_PAGE, CANARY_WORDS);
    if (bad == 0) bad = trampled(VICTIM_PRIVATE, CANARY_WORDS);
    if (bad == 0) bad = trampled(VICTIM_PRIVATE + VICTIM_PRIVATE_SIZE - PAGE, CANARY_WORDS);
    check(bad == 0 && param_token() == token, "victim_memory_intact",
          "its word at 0x%08x is 0x%08x, expected 0x%08x; its token %s", bad, bad != 0 ? read32(bad) : 0,
          bad != 0 ? canary(bad) : 0, param_token() == token ? "intact" : "changed");
    check(cntfrq() == frq, "victim_cntfrq_intact", "CNTFRQ is %u, was %u", cntfrq(), frq);
    check_all("victim_cp15_state_intact", cp15_regs, sizeof cp15_regs / sizeof cp15_regs[0]);
    check_all("victim_pmu_state_intact", pmu_regs, sizeof pmu_regs / sizeof pmu_regs[0]);
    check_cycle_counter(cycles, r.ticks);
    check_all("victim_thumbee_state_intact", thumbee_regs, sizeof thumbee_regs / sizeof thumbee_regs[0]);
    check_vfp();
    check_split_block(split);
    own_unmap_map();
    mvt::done();
}

}  // namespace attack
