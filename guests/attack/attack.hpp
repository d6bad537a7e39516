// SPDX-License-Identifier: MIT
// The adversarial suite's guest (systems/attack.toml): what the attacker and the victim share.
//
// One image runs in both VMs, at the same guest-physical address. VM 0 attacks, VM 1 is the
// victim. The selector (the harness's) picks the attack; every VM sees the same selector.
//
//  guest-physical (both VMs)        attacker's physical       victim's physical
//  0x4000_0000 +4M  RAM, image      0x4800_0000              0x4840_0000
//  0x4080_0000 +4K  mailbox         0x4880_0000 (shared)     0x4880_0000
//  0x4100_0000 +2M  victim only     -                        0x4900_0000
//  0x4200_0000 +32M attacker only   0x4a00_0000              -
//  The microvisor: physical 0x4000_0000 +16M, in nobody's map.
//
// The attacker runs its attack once with a result line per check, arms (mailbox), and runs it
// again, quietly, until the victim has measured its progress for 100 ms of virtual time
// (victim.cpp); storms end through the mailbox too. The harness compares the victim's rate
// with the baseline's (selector 3) and reads every result (attack_scenario.cpp).
#pragma once

#include "guest.hpp"
#include "lib/format.hpp"

namespace attack {

using namespace guest;
using mv::u16;
using mv::usize;

constexpr u32 RAM = 0x40000000, RAM_SIZE = 0x400000;
constexpr u32 MAILBOX = 0x40800000;
constexpr u32 VICTIM_PRIVATE = 0x41000000, VICTIM_PRIVATE_SIZE = 0x200000;
constexpr u32 SPARE = 0x42000000, SPARE_SIZE = 0x2000000;  // the attacker's blocks to split
constexpr u32 ATTACKER_RAM_PA = 0x48000000, VICTIM_RAM_PA = 0x48400000, MAILBOX_PA = 0x48800000;
constexpr u32 VICTIM_PRIVATE_PA = 0x49000000, SPARE_PA = 0x4a000000;
constexpr u32 MICROVISOR_PA = 0x40000000, MICROVISOR_SIZE = 0x1000000;
constexpr u32 BOARD_RAM_END = 0x80000000;  // 1 GiB of board RAM
constexpr u32 NOWHERE = 0x30000000;        // in no VM's map, no device
constexpr u32 BLOCK = 0x200000, PAGE = 0x1000;
constexpr u32 VICTIM_VFP_TAG = 0x7c7c7c7c;  // the high word of each of the victim's d0-d31

/// The shared page. Words 0-1 are the containment scenario's (selectors 1-2).
struct Mailbox {
    volatile u32 legacy;        ///< selectors 1-2: ATTACKS_DONE
    volatile u32 pad;
    volatile u32 armed;         ///< the attacker: ARMED, the attack runs now
    volatile u32 victim_done;   ///< the victim: DONE, it has measured
    volatile u32 escape_pc;     ///< storms jump here; NOWHERE while they last, then storm_escape
    volatile u32 storm_load;    ///< a storm loads from here; NOWHERE, then a mapped address
    volatile u32 scratch[4];    ///< what an attacker keeps across its own resets (storms.cpp, memory.cpp)
};
inline Mailbox& mailbox() { return *reinterpret_cast<Mailbox*>(MAILBOX); }
constexpr u32 ARMED = 0xa4a4ed00, DONE = 0xd0d0d0d0;

// ---- probes: run one instruction, see what it did (probe.cpp) ----

/// What came back to the guest's vectors while a probe ran.
enum class Outcome : u32 { none, undef, dabt, pabt, svc, other };
const char* outcome_name(Outcome o);

struct Seen {
    Outcome outcome = Outcome::none;
    u32 exceptions = 0;  ///< how many exceptions arrived (1 for a reflected one)
    u32 value = 0;       ///< what a read returned (0 if it faulted)
    u32 fsr = 0, far = 0;
    u32 traps = 0;       ///< coprocessor traps to HYP meanwhile (MV_CALL_TRAP_COUNT, EC 0x03-0x06, 0x0c)
};

/// Installs the probe exception hook: a data abort, undefined instruction or SVC resumes
/// after the instruction, a prefetch abort at probe_exec's return. Anything else fails.
void install_probe_hook();

/// The guest's coprocessor traps so far (the EC classes a CP14/CP15 access traps with).
u32 coprocessor_traps();

/// Runs `f` (one access) and reports what happened.
/// What the hook saw last (probe.cpp).
extern volatile u32 probe_exceptions, probe_kind, probe_fsr, probe_far;

template <typename F>
Seen probe(F f) {
    Seen s;
    const u32 traps = coprocessor_traps();
    const u32 before = probe_exceptions;
    s.value = f();
    s.exceptions = probe_exceptions - before;
    s.traps = coprocessor_traps() - traps;
    if (s.exceptions != 0) {
        s.outcome = static_cast<Outcome>(probe_kind);
        s.fsr = probe_fsr;
        s.far = probe_far;
    }
    return s;
}

inline u32 read32(u32 addr) {
    u32 v = 0;  // what a skipped load leaves
    asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
    return v;
}
inline u32 write32(u32 addr, u32 v) {
    asm volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
    return 0;
}

/// Branches to `addr` (asm.S); a prefetch abort comes back here, with 0.
extern "C" u32 attack_exec_at(u32 addr);
inline u32 exec_at(u32 addr) { return attack_exec_at(addr); }

/// From now on a data abort retries its instruction until `*until` is non-zero (the abort
/// loop); nullptr: data aborts skip the instruction again.
void retry_aborts_until(volatile u32* until);

// ---- reporting: once with a line per check, then quietly in rounds ----

/// While quiet, checks do not print: the first failure is kept for round_summary().
void set_quiet(bool quiet);
/// PASS `name` or FAIL `name`: detail (or, quietly, count it).
bool check(bool ok, const char* name, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
/// Expect the access to come back as a data abort at `addr`.
bool expect_abort(const char* name, u32 addr, const Seen& s);
/// Expect a branch to `addr` to come back as a prefetch abort at `addr`.
bool expect_fetch_abort(const char* name, u32 addr, const Seen& s);
/// Expect an undefined-instruction exception (trapped to HYP and reflected, or undefined at PL1).
bool expect_undef(const char* name, const Seen& s);
/// Expect the access not to reach the hardware: an undefined instruction, or a trap to HYP
/// that the microvisor emulated.
bool expect_kept_from_hardware(const char* name, const Seen& s);
/// Expect the instruction to run with no exception.
bool expect_runs(const char* name, const Seen& s);
/// `rounds` rounds ran; PASS `name` if every check held in every round.
void round_summary(const char* name, u32 rounds);

// ---- hypercalls with every register checked, and other instructions (asm.S) ----

struct CallResult {
    u32 r[4];
    u32 clobbered;  ///< bit n: rn (n = 4..12, 14) changed across the call, which SMCCC forbids
};
CallResult hvc_full(u32 fid, u32 a1 = 0, u32 a2 = 0, u32 a3 = 0, u32 a4 = 0, u32 a5 = 0);
CallResult smc_full(u32 fid, u32 a1 = 0, u32 a2 = 0, u32 a3 = 0, u32 a4 = 0, u32 a5 = 0);
/// The call returns `want` in r0, and preserves r4-r12 and lr.
bool expect_status(const char* name, const CallResult& c, i32 want);

// ---- the attacks (one file each); run once with checks, then again in rounds ----

struct Attack {
    const char* name;
    void (*once)();   ///< every check, with a result line each
    void (*round)();  ///< again, quietly, while the victim measures (nullptr: spin)
};

void memory_other_vm();
void memory_microvisor();
void gic();
void devices();
void cache_maintenance();
void pmu();
void timers();
void hyp_registers();
void thumbee();
void virtual_timer_near_2_64();
void smc_garbage();
void psci_garbage();
void vendor_calls();
void vendor_calls_once();
void mem_map_others();
void block_splits();
void long_mem_map();
void freed_tables();
void freed_tables_rounds();
void splits_then_reset();

// Attacks that take the CPU, storm or stop (storms.cpp): each returns only when the victim is done.
void cpu_hog_irqs_masked();
void storm_fault_in_vector();
void storm_vectors_jump_nowhere();
void storm_smc_in_undef_vector();
void abort_loop();
void vbar_nowhere();
void own_vectors_unmapped();
void wfi_forever();
void wfi_expired_masked_timer();
void wfe_loop();
void cpu_on_bad_entry();
void reset_loop();

// CPU state (cpu.cpp).
void vfp_state();
void mode_escapes();
void stage1_tables_nowhere();
void thumb_it_traps();
void thumb_it_wfi();
void second_vcpu_hog();
void exclusive_monitor();
void high_vectors();
extern volatile u32 exclusive_target;

/// The victim (victim.cpp).
void victim(u32 selector);

/// Spins until the victim says it is done.
void wait_for_victim();

}  // namespace attack
