// SPDX-License-Identifier: MIT
// Benchmarks, measured from inside a guest in instructions.
//
// Under QEMU's -icount shift=0 every instruction takes one virtual
// nanosecond, so the PMU cycle counter counts instructions exactly, and
// with PMCCFILTR.NSH set it also counts those the microvisor executes in HYP
// mode on the guest's behalf. Each figure is printed as
// `@@BENCH <name> <value> <unit>` for tools/bench.py.
#include "bench.hpp"

using namespace guest;

extern "C" u32 loop_hvc_null(u32 n);  // below: n x (HVC MV_CALL_NULL), returns the cycles taken
extern "C" u32 loop_nop(u32 n);       // the same loop with a NOP instead of the HVC
extern "C" u32 loop_yield(u32 n);     // n x (HVC MV_CALL_VCPU_YIELD)
extern "C" u32 loop_unmap_map(u32 n);  // n x (MV_CALL_MEM_UNMAP + MV_CALL_MEM_MAP of one page)
extern "C" u32 loop_memory(u32 n);     // n passes over 2 MiB, one load per 64 bytes

asm(R"(
    .text
    .macro  timed_loop name, fid, body
    .global \name
\name:
    push    {r4, r5, lr}
    mov     r4, r0
    mrc     p15, 0, r5, c9, c13, 0      @ PMCCNTR
1:  ldr     r0, =\fid
    \body
    subs    r4, r4, #1
    bne     1b
    mrc     p15, 0, r0, c9, c13, 0
    sub     r0, r0, r5
    pop     {r4, r5, pc}
    .ltorg
    .endm

    timed_loop loop_hvc_null, 0x86000000, "hvc #0"
    timed_loop loop_nop, 0x86000000, nop
    timed_loop loop_yield, 0x86000002, "hvc #0"
    timed_loop loop_unmap_map, 0x8600000a, "ldr r1, =0x48300000; mov r2, #0x1000; hvc #0; ldr r0, =0x8600000b; ldr r1, =0x48300000; mov r2, #0x1000; hvc #0"

    .global loop_memory
loop_memory:
    push    {r4-r6, lr}
    mov     r4, r0
    mrc     p15, 0, r5, c9, c13, 0      @ PMCCNTR
1:  ldr     r1, =0x48200000
    add     r2, r1, #0x200000
2:  ldr     r3, [r1], #64
    cmp     r1, r2
    blo     2b
    subs    r4, r4, #1
    bne     1b
    mrc     p15, 0, r0, c9, c13, 0
    sub     r0, r0, r5
    pop     {r4-r6, pc}
    .ltorg
)");

namespace {

void pmu_start() {
    asm volatile("mcr p15, 0, %0, c9, c12, 5" ::"r"(31));       // PMSELR: the cycle counter's filter
    asm volatile("mcr p15, 0, %0, c9, c13, 1" ::"r"(1u << 27));  // PMCCFILTR.NSH: count in HYP too
    asm volatile("mcr p15, 0, %0, c9, c12, 1" ::"r"(1u << 31));  // PMCNTENSET: cycle counter on
    asm volatile("mcr p15, 0, %0, c9, c12, 0" ::"r"(0x5u));      // PMCR: E, reset the cycle counter
    asm volatile("isb");
}

using bench::report;

constexpr u32 N = 1000;

// Selector 1 (systems/bench.toml): the null hypercall.
void null_hypercall() {
    loop_hvc_null(10);  // warm up
    u32 with_hvc = loop_hvc_null(N);
    u32 with_nop = loop_nop(N);
    // Each iteration differs only in HVC vs NOP: add back the NOP's one instruction.
    report("null_hypercall", (with_hvc - with_nop) / N + 1, "instructions");
    report("loop_overhead", with_nop / N, "instructions");
}

// Selector 2 (systems/bench-switch.toml, two VMs of one priority): VM 0
// yields N times; each yield switches to VM 1, which yields straight back.
void vcpu_switch() {
    if (hvc(MV_CALL_VM_INFO).r1 != 0) {
        // The partner: yield back every time. It has no PMU (VM 0 has it), so
        // it does not use the timed loop.
        for (u32 i = 0; i < N + 20; ++i) hvc(MV_CALL_VCPU_YIELD);
        return;
    }
    loop_yield(10);  // warm up: both VMs running, the VFP and TLB state settled
    u32 cycles = loop_yield(N) - loop_nop(N);
    report("vcpu_switch_round_trip", cycles / N + 1, "instructions");
    report("vcpu_switch", (cycles / N + 1) / 2, "instructions");
}

// Selector 3 (systems/bench-vmmu.toml, Lab 3): unmapping and mapping one page again.
void stage2_map() {
    loop_unmap_map(2);  // the first unmap splits the 2 MiB block: leave it out
    u32 cycles = loop_unmap_map(N) - loop_nop(N);
    // Each iteration: two hypercalls and the 7 instructions that set them up, less the NOP.
    report("stage2_unmap_map_page", cycles / N + 1 - 7, "instructions");
}

// Selector 4: a memory-bound loop; run in a Lab 1 system (2 MiB blocks, the
// coarse map) and in a Lab 3 system (4 KiB pages) to compare.
void memory_loop(const char* name) {
    loop_memory(1);
    report(name, loop_memory(16) / 16, "instructions");
}

}  // namespace

void bench::report(const char* name, u32 value, const char* unit) { printf("@@BENCH %s %u %s\n", name, value, unit); }

int main() {
    // Only VM 0 measures: the system description gives it the PMU (pmu = true);
    // any other VM's PMU access is an undefined instruction.
    bool measures = hvc(MV_CALL_VM_INFO).r1 == 0;
    if (measures) pmu_start();
    u32 selector = param_selector();
    if (!measures && selector != 2 && selector != 6) return 0;  // not a part in this benchmark
    switch (selector) {
    case 2: vcpu_switch(); break;
    case 3: stage2_map(); break;
    case 4: memory_loop("memory_loop_2mib_blocks"); break;
    case 5: memory_loop("memory_loop_4kib_pages"); break;
    // Lab 4 (systems/bench-virq.toml).
    case 6: measures ? bench::virq_raise() : bench::virq_partner(); break;
    case 7: bench::vtimer(); break;
    case 8: bench::maintenance_refill(); break;
    default: null_hypercall(); break;
    }
    return 0;
}
