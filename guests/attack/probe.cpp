// SPDX-License-Identifier: MIT
// Probes: one instruction, and what came back to this guest's vectors; checks that report it.
#include <stdarg.h>

#include "attack.hpp"
#include "lib/format.hpp"

namespace attack {

volatile u32 probe_exceptions, probe_kind, probe_fsr, probe_far;
volatile u32 probe_svc_to_svc;
extern "C" volatile u32 attack_resume;  // asm.S: where attack_exec_at goes on after a prefetch abort

namespace {

volatile u32* retry_until = nullptr;
bool quiet = false;
u32 quiet_failures = 0;
char first_failure[240];

u32 dfsr() { u32 v; asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(v)); return v; }
u32 dfar() { u32 v; asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(v)); return v; }
u32 ifsr() { u32 v; asm volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(v)); return v; }
u32 ifar() { u32 v; asm volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(v)); return v; }

constexpr u32 PSR_T = 1u << 5;

/// The length of the Thumb instruction at `addr` (ARM ARM A6.1).
u32 thumb_length(u32 addr) {
    const u32 hw = *reinterpret_cast<const volatile u16*>(addr);
    return (hw & 0xf800) >= 0xe800 ? 4 : 2;
}

bool on_exception(Exc kind, ExcFrame& f) {
    const bool thumb = (f.spsr & PSR_T) != 0;
    switch (kind) {
    case Exc::dabt: {  // LR_abt = the access + 8, in both instruction sets
        probe_fsr = dfsr();
        probe_far = dfar();
        const u32 at = f.lr - 8;
        if (retry_until != nullptr && *retry_until == 0)
            f.lr = at;  // the abort loop: the same access again
        else
            f.lr = at + (thumb ? thumb_length(at) : 4);
        break;
    }
    case Exc::undef:  // LR_und = the instruction + 4 (ARM) or + 2 (Thumb, either length)
        if (thumb) f.lr = f.lr - 2 + thumb_length(f.lr - 2);
        break;
    case Exc::svc:  // LR_svc is past the SVC; from user mode it may bring the caller back to SVC mode
        if (probe_svc_to_svc != 0) f.spsr = (f.spsr & ~0x1fu) | 0x13u;
        break;
    case Exc::pabt:  // back to attack_exec_at, in ARM state
        probe_fsr = ifsr();
        probe_far = ifar();
        f.lr = attack_resume;
        f.spsr &= ~PSR_T;
        break;
    default:
        return false;
    }
    probe_kind = static_cast<u32>(kind == Exc::dabt ? Outcome::dabt
                                  : kind == Exc::pabt ? Outcome::pabt
                                  : kind == Exc::undef ? Outcome::undef
                                                       : Outcome::svc);
    probe_exceptions = probe_exceptions + 1;
    return true;
}

/// Formats into `buf` (NUL-terminated, cut to fit).
void vformat_into(char* buf, usize size, const char* fmt, va_list ap) {
    struct Out {
        char* p;
        char* end;
    } out{buf, buf + size - 1};
    mv::vformat(
        [](void* ctx, char c) {
            auto* o = static_cast<Out*>(ctx);
            if (o->p < o->end) *o->p++ = c;
        },
        &out, fmt, ap);
    *out.p = '\0';
}

}  // namespace

const char* outcome_name(Outcome o) {
    switch (o) {
    case Outcome::none: return "no exception";
    case Outcome::undef: return "an undefined instruction";
    case Outcome::dabt: return "a data abort";
    case Outcome::pabt: return "a prefetch abort";
    case Outcome::svc: return "an SVC";
    default: return "another exception";
    }
}

void install_probe_hook() { set_exception_hook(on_exception); }

void retry_aborts_until(volatile u32* until) { retry_until = until; }

u32 coprocessor_traps() {
    // HSR exception classes (ARM ARM B3.13.6): 0x03 MCR/MRC CP15, 0x04 MCRR/MRRC CP15,
    // 0x05 MCR/MRC CP14, 0x06 LDC/STC CP14, 0x0c MRRC CP14.
    static const u32 classes[] = {0x03, 0x04, 0x05, 0x06, 0x0c};
    u32 n = 0;
    for (u32 ec : classes) n += hvc(MV_CALL_TRAP_COUNT, ec).r1;
    return n;
}

void set_quiet(bool q) {
    quiet = q;
    if (q) quiet_failures = 0;
}

bool check(bool ok, const char* name, const char* fmt, ...) {
    if (ok) {
        if (!quiet) mvt::pass(name);
        return true;
    }
    char detail[240];
    va_list ap;
    va_start(ap, fmt);
    vformat_into(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (!quiet)
        mvt::fail(name, "%s", detail);
    else if (quiet_failures++ == 0)
        mv::snformat(first_failure, sizeof first_failure, "%s: %s", name, detail);
    return false;
}

bool expect_abort(const char* name, u32 addr, const Seen& s) {
    return check(s.exceptions == 1 && s.outcome == Outcome::dabt && s.far - addr < 4, name,
                 "at 0x%08x: expected a data abort with DFAR 0x%08x, saw %s (%u exceptions, DFAR 0x%08x, "
                 "DFSR %#x, read 0x%08x)",
                 addr, addr, outcome_name(s.outcome), s.exceptions, s.far, s.fsr, s.value);
}

bool expect_fetch_abort(const char* name, u32 addr, const Seen& s) {
    return check(s.exceptions == 1 && s.outcome == Outcome::pabt && s.far == addr, name,
                 "at 0x%08x: expected a prefetch abort with IFAR 0x%08x, saw %s (%u exceptions, IFAR 0x%08x, "
                 "IFSR %#x)",
                 addr, addr, outcome_name(s.outcome), s.exceptions, s.far, s.fsr);
}

bool expect_undef(const char* name, const Seen& s) {
    return check(s.exceptions == 1 && s.outcome == Outcome::undef, name,
                 "expected an undefined instruction, saw %s (%u exceptions, %u traps to HYP, read 0x%08x)",
                 outcome_name(s.outcome), s.exceptions, s.traps, s.value);
}

bool expect_kept_from_hardware(const char* name, const Seen& s) {
    const bool undef = s.exceptions == 1 && s.outcome == Outcome::undef;
    const bool emulated = s.exceptions == 0 && s.traps >= 1;
    return check(undef || emulated, name,
                 "expected a trap to HYP (emulated) or an undefined instruction, saw %s with %u traps to HYP: "
                 "it reached the hardware (read 0x%08x)",
                 outcome_name(s.outcome), s.traps, s.value);
}

bool expect_runs(const char* name, const Seen& s) {
    return check(s.exceptions == 0, name, "expected it to run, saw %s (%u exceptions, FSR %#x, FAR 0x%08x)",
                 outcome_name(s.outcome), s.exceptions, s.fsr, s.far);
}

void round_summary(const char* name, u32 rounds) {
    if (quiet_failures == 0)
        mvt::pass(name);
    else
        mvt::fail(name, "%u of the checks failed in %u rounds; the first: %s", quiet_failures, rounds,
                  first_failure);
    mvt::value("attacker_rounds", rounds);
}

bool expect_status(const char* name, const CallResult& c, i32 want) {
    return check(static_cast<i32>(c.r[0]) == want && c.clobbered == 0, name,
                 "expected r0 = %d (%#x) with r4-r12 and lr kept, saw r0 = %d (%#x), changed registers mask %#x",
                 want, static_cast<u32>(want), static_cast<i32>(c.r[0]), c.r[0], c.clobbered);
}

}  // namespace attack
