// SPDX-License-Identifier: MIT
// The guest runtime: hypercalls, console, exceptions and test reporting.
#pragma once

#include <stdarg.h>

#include "lib/types.hpp"
#include "mv/abi.h"

namespace guest {

using mv::i32;
using mv::u32;
using mv::u64;
using mv::u8;

/// r0-r3 after a hypercall.
struct HvcResult {
    u32 r0, r1, r2, r3;
};

/// HVC #0 with the SMCCC function ID `fid` and arguments r1-r5.
inline HvcResult hvc(u32 fid, u32 a1 = 0, u32 a2 = 0, u32 a3 = 0, u32 a4 = 0, u32 a5 = 0) {
    register u32 r0 asm("r0") = fid;
    register u32 r1 asm("r1") = a1;
    register u32 r2 asm("r2") = a2;
    register u32 r3 asm("r3") = a3;
    register u32 r4 asm("r4") = a4;
    register u32 r5 asm("r5") = a5;
    asm volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : "r"(r4), "r"(r5) : "memory");
    return {r0, r1, r2, r3};
}

/// MV_CALL_CONSOLE_WRITE: the byte count or a negative status.
inline i32 console_write(const void* buf, u32 len) {
    return static_cast<i32>(hvc(MV_CALL_CONSOLE_WRITE, reinterpret_cast<u32>(buf), len).r0);
}

void printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintf(const char* fmt, va_list ap);

[[noreturn]] void power_off();  ///< PSCI SYSTEM_OFF
[[noreturn]] void reset();      ///< PSCI SYSTEM_RESET

/// What arrived at the guest's vectors (the vector's index).
enum class Exc : u32 { reset = 0, undef = 1, svc = 2, pabt = 3, dabt = 4, unused = 5, irq = 6, fiq = 7 };

/// The registers an exception handler saved: r0-r12, the mode's LR and SPSR.
/// Returning from the handler resumes at `lr` with CPSR = `spsr`.
struct ExcFrame {
    u32 r[13];
    u32 lr;
    u32 spsr;
};

/// A handler for exceptions; returns false for "not mine" (the runtime then
/// reports an unexpected exception and powers off).
using ExcHook = bool (*)(Exc kind, ExcFrame& frame);
void set_exception_hook(ExcHook hook);
/// The IRQ path of a guest with an interrupt controller (gic.hpp installs
/// it): it runs for every IRQ exception, before the exception hook.
void set_irq_hook(bool (*irq)(ExcFrame& frame));

/// The parameter page the harness writes into this VM's memory: this VM's own token for the
/// run (every VM gets another one) and a sub-test selector.
u32 param_token();
u32 param_selector();

/// The virtual counter (CNTVCT) and its frequency (CNTFRQ).
inline u64 cntvct() {
    u32 lo, hi;
    asm volatile("isb\n mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (static_cast<u64>(hi) << 32) | lo;
}
inline u32 cntfrq() {
    u32 v;
    asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    return v;
}
/// Microseconds of virtual time since the VM started.
inline u64 now_us() { return cntvct() * 1000000ull / cntfrq(); }

/// Program the virtual timer to fire at `us` of virtual time (masked: guests
/// have no interrupt controller before Lab 4), or switch it off.
void timer_at_us(u64 us);
void timer_off();

/// WFI until `us` from now: the microvisor blocks the vCPU until its timer fires (Lab 2 on).
void sleep_us(u64 us);

/// This vCPU's index in its VM (MPIDR affinity level 0).
inline u32 cpu_id() {
    u32 v;
    asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
    return v & 0xff;
}

/// Current CPSR.
inline u32 cpsr() {
    u32 v;
    asm volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

}  // namespace guest

/// Result lines the autograder reads: `@@MVT <token> PASS|FAIL <name>[: detail]`, `@@MVT <token> DONE`.
/// The microvisor puts `[<vm name>] ` before every guest line; the harness counts a line only
/// as `[<vm>] @@MVT <that VM's token> ...`, so no VM can report for another.
namespace mvt {
void pass(const char* name);
void fail(const char* name, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void done();
/// A measurement for the harness: `@@MVT <token> VALUE <name> <value>`.
void value(const char* name, long long v);
/// Reports PASS or FAIL; returns `ok`.
bool expect(bool ok, const char* name, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
}  // namespace mvt

/// Every guest defines main(); returning powers the VM off.
int main();

/// A guest that starts more vCPUs (PSCI CPU_ON with entry `secondary_entry`)
/// defines this: it runs on the new vCPU with its own stack, `context` as the
/// caller passed it. Returning turns the vCPU off (PSCI CPU_OFF).
void secondary_main(mv::u32 context);
extern "C" void secondary_entry();
