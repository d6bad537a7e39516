// SPDX-License-Identifier: MIT
// Lab 4's benchmarks (systems/bench-virq.toml): a raise from one VM to the
// IRQ handler of another, the virtual timer's interrupt, and the refill of
// the list registers by the maintenance interrupt.
//
// Each figure ends at the first instruction of the guest's IRQ handler. The
// benchmarks install their own vectors (bench_vectors_*) whose IRQ entry is a
// read of a clock, so that instruction is the handler's first: the time it
// reads is the handler's entry. The rest of the handler (IAR, EOIR) is C++.
//
// The IRQ entry uses r2 and r3 before it saves anything: the code these
// benchmarks interrupt is the asm below (bench_wait, the NOP sled), which
// keeps nothing in r2 and r3 while interrupts are on.
#include "bench.hpp"
#include "gic.hpp"

using namespace guest;

extern "C" {
// n x (the stamp, HVC MV_CALL_VIRQ_RAISE of line 0 with the stamp as payload),
// each stamp (CNTVCT) taken at a PMCCNTR value of i (mod 16) plus a constant in iteration i.
void loop_virq_raise(u32 n);
// The same shape with MV_CALL_NULL, stamped with CNTVCT before and after: the
// sum of the n differences of CNTVCT (ticks), or, with `pmu` set, of PMCCNTR.
u32 loop_null_stamped(u32 n, u32 pmu);
// With IRQs on until *flag is non-zero, in WFI / spinning; use r0 and r1 only.
// bench_wait checks the flag before each WFI: only for IRQs that come while
// the vCPU is blocked (another VM's), else one between the check and the WFI
// would be missed.
void bench_wait(volatile u32* flag);
void bench_spin(volatile u32* flag);
// PMCCNTR at the sled's first instruction; then SLED NOPs; the timer fires in them.
u32 vtimer_sled(u32 cval_lo, u32 cval_hi);
extern const u32 vtimer_sled_nops[];
// The IRQ entry's C++ part: `stamp` is the clock its first instruction read,
// `at` the instruction the IRQ interrupted.
void bench_irq(u32 stamp, u32 at);
}

constexpr u32 SLED = 512;

asm(R"(
    .text
    @ Vectors whose IRQ entry's first instruction reads a clock into r2.
    .macro  bench_vectors name, clock
    .balign 32
    .global \name
\name:
    b       guest_vectors + 0x00
    b       guest_vectors + 0x04
    b       guest_vectors + 0x08
    b       guest_vectors + 0x0c
    b       guest_vectors + 0x10
    b       guest_vectors + 0x14
    \clock                              @ 0x18, IRQ: the handler's first instruction
    push    {r0-r3, r12, lr}            @ (in the FIQ's slot: guests have no FIQ)
    mov     r0, r2
    sub     r1, lr, #4                  @ the interrupted instruction
    bl      bench_irq
    pop     {r0-r3, r12, lr}
    subs    pc, lr, #4
    .endm

    bench_vectors bench_vectors_pmu, "mrc p15, 0, r2, c9, c13, 0"    @ PMCCNTR
    bench_vectors bench_vectors_cnt, "mrrc p15, 1, r2, r3, c14"      @ CNTVCT

    @ Skip NOPs so that the next instruction runs at a PMCCNTR value of
    @ \phase (mod 16) plus a constant: \phase - PMCCNTR (mod 16) of the 15
    @ NOPs run. Uses \t1, \t2.
    .macro  dither phase, t1, t2
    mrc     p15, 0, \t1, c9, c13, 0     @ PMCCNTR
    sub     \t2, \phase, \t1
    and     \t2, \t2, #15
    rsb     \t2, \t2, #15               @ the NOPs to skip
    add     pc, pc, \t2, lsl #2         @ pc reads as this + 8
    nop                                 @ (never run)
    .rept   15
    nop
    .endr
    .endm

    .global loop_virq_raise
loop_virq_raise:
    push    {r4-r8, lr}
    mov     r4, r0
    mov     r7, #0                      @ the iteration: the stamp's phase
1:  ldr     r0, =0x86000004             @ MV_CALL_VIRQ_RAISE
    mov     r1, #0                      @ line 0
    dither  r7, r5, r6
    mrrc    p15, 1, r2, r3, c14         @ CNTVCT: the payload
    hvc     #0
    add     r7, r7, #1
    subs    r4, r4, #1
    bne     1b
    pop     {r4-r8, pc}

    .global loop_null_stamped
loop_null_stamped:
    push    {r4-r11, lr}
    mov     r4, r0
    mov     r12, r1
    mov     r7, #0
    mov     r8, #0                      @ the sum
1:  ldr     r0, =0x86000000             @ MV_CALL_NULL
    cmp     r12, #0
    bne     2f
    dither  r7, r5, r6
    mrrc    p15, 1, r10, r11, c14
    hvc     #0
    mrrc    p15, 1, r9, r11, c14
    b       3f
2:  dither  r7, r5, r6
    mrc     p15, 0, r10, c9, c13, 0
    hvc     #0
    mrc     p15, 0, r9, c9, c13, 0
3:  sub     r9, r9, r10
    add     r8, r8, r9
    add     r7, r7, #1
    subs    r4, r4, #1
    bne     1b
    mov     r0, r8
    pop     {r4-r11, pc}
    .ltorg

    .global bench_wait
bench_wait:
    cpsie   i
1:  ldr     r1, [r0]
    cmp     r1, #0
    bne     2f
    wfi
    b       1b
2:  cpsid   i
    bx      lr

    .global bench_spin
bench_spin:
    cpsie   i
1:  ldr     r1, [r0]
    cmp     r1, #0
    beq     1b
    cpsid   i
    bx      lr

    .global vtimer_sled
vtimer_sled:
    mcrr    p15, 3, r0, r1, c14         @ CNTV_CVAL
    mov     r0, #1
    mcr     p15, 0, r0, c14, c3, 1      @ CNTV_CTL: ENABLE, IMASK clear
    isb
    cpsie   i
    mrc     p15, 0, r0, c9, c13, 0      @ PMCCNTR, one instruction before the sled
    .global vtimer_sled_nops
vtimer_sled_nops:
    .rept   512
    nop
    .endr
    cpsid   i
    bx      lr
)");

namespace {

volatile u32* const GICC_IAR = reinterpret_cast<volatile u32*>(gic::GICC + 0x0c);
volatile u32* const GICC_EOIR = reinterpret_cast<volatile u32*>(gic::GICC + 0x10);
volatile u32* const GICD_ISPENDR1 = reinterpret_cast<volatile u32*>(gic::GICD + 0x204);  // SPIs 32-63

constexpr u32 LINE_SPI = 40;  // systems/bench-virq.toml: the line's SPI in the partner
constexpr u32 WARM = 16;      // raises the partner leaves out (caches, the first switch)
constexpr u32 RAISES = 256;   // a multiple of 16: every phase of the 16-ns CNTVCT tick equally often
constexpr u32 FIRST_SPI = 48, MAX_BURST = 12;  // SPIs 48-59

// What the IRQ entry saw.
volatile u32 irqs_taken = 0;
volatile u32 last_stamp = 0, last_at = 0;
u32 stamps[MAX_BURST], ids[MAX_BURST];
volatile u32 done = 0;
u32 want = 0;      // the IRQs after which `done` is set
// The partner's: SPI 40 is the line; the sum of (its CNTVCT at entry - the
// raiser's CNTVCT, the payload) over the timed raises, and their count.
bool fetch_line = false;
u64 raise_sum = 0;
u32 raise_samples = 0;

void set_vbar(const void* vectors) {
    asm volatile("mcr p15, 0, %0, c12, c0, 0\n isb" ::"r"(vectors) : "memory");
}

void cntv_off() { asm volatile("mcr p15, 0, %0, c14, c3, 1\n isb" ::"r"(0u)); }

}  // namespace

extern "C" const u32 bench_vectors_pmu[], bench_vectors_cnt[];

extern "C" void bench_irq(u32 stamp, u32 at) {
    u32 iar = *GICC_IAR;
    u32 id = iar & 0x3ff;
    if (id == gic::SPURIOUS) return;
    u32 n = irqs_taken;
    if (id == gic::PPI_VIRT_TIMER) cntv_off();  // the line goes low; the EOI deactivates the physical PPI
    if (id == LINE_SPI && fetch_line) {
        HvcResult r = hvc(MV_CALL_VIRQ_FETCH, 0);
        if (n >= WARM && n < WARM + RAISES && r.r0 == MV_OK) {
            raise_sum += stamp - r.r1;
            ++raise_samples;
        }
    }
    if (n < MAX_BURST) {
        stamps[n] = stamp;
        ids[n] = id;
    }
    last_stamp = stamp;
    last_at = at;
    irqs_taken = n + 1;
    *GICC_EOIR = iar;
    if (n + 1 == want) done = 1;
}

namespace bench {

// Selector 6, the partner (VM 1, the higher priority): wait in WFI for the
// raises and time them. It waits in WFI, not spinning with IRQs on: it has
// the higher priority, so spinning would never let VM 0 run to raise
// anything; in WFI the microvisor blocks it, and the raise wakes it and
// preempts VM 0 at once. So the figure is the whole path of an interrupt
// from another VM to a VM that waits for it: the hypercall, the line, the
// wake-up, the vCPU switch, the list register and the exception entry.
void virq_partner() {
    gic::init_distributor();
    gic::init_cpu();
    gic::enable(LINE_SPI, 0xa0, nullptr);
    set_vbar(bench_vectors_cnt);
    want = WARM + RAISES;
    fetch_line = true;
    bench_wait(&done);
    // CNTVCT ticks every 16 ns = 16 instructions. VM 0 stamps iteration i at a
    // PMCCNTR of i (mod 16) plus a constant, so over 16 raises the stamps see
    // each phase of the tick once, and the 16 differences of tick counts add
    // up to exactly the instructions between the two stamps: RAISES / 16 x D.
    // D = VM 0's stamp (one instruction) + the figure: its HVC and the path
    // up to this handler's first instruction.
    if (raise_samples != RAISES) {
        mvt::fail("raise_samples", "%u raises were to be timed, %u were (a fetch of line 0 failed)", RAISES,
                  raise_samples);
        return;
    }
    u32 d = static_cast<u32>(raise_sum * 16 / RAISES);
    report("virq_raise_to_handler", d - 1, "instructions");
}

// Selector 6, VM 0 (the PMU's, the lower priority): raise the line. First
// the method is checked against the PMU on a path both can measure.
void virq_raise() {
    loop_null_stamped(16, 0);
    u32 by_ticks = loop_null_stamped(256, 0) * 16 / 256;
    u32 by_pmu = loop_null_stamped(256, 1) / 256;
    if (by_ticks != by_pmu)
        mvt::fail("cntvct_method", "a null hypercall measured with CNTVCT and phases took %u (0x%x) "
                  "instructions, with the PMU %u (0x%x): the cross-VM method would be wrong",
                  by_ticks, by_ticks, by_pmu, by_pmu);
    loop_virq_raise(WARM + RAISES);
}

// Selector 7: the virtual timer fires in a NOP sled. The sled begins at a
// known PMCCNTR, the IRQ's return address says which NOP it interrupted, so
// the physical IRQ came at PMCCNTR (sled start + 1 + that NOP's index); the
// handler's first instruction reads PMCCNTR again.
void vtimer() {
    gic::init_distributor();
    gic::init_cpu();
    gic::enable(gic::PPI_VIRT_TIMER, 0xa0, nullptr);
    set_vbar(bench_vectors_pmu);
    u32 best = ~0u, worst = 0;
    for (u32 i = 0; i < 20; ++i) {
        want = irqs_taken + 1;
        u64 cval = cntvct() + 8;  // 128 instructions on: inside the sled
        u32 start = vtimer_sled(static_cast<u32>(cval), static_cast<u32>(cval >> 32));
        u32 base = reinterpret_cast<u32>(vtimer_sled_nops);
        if (irqs_taken != want || last_at < base || last_at >= base + 4 * SLED) {
            mvt::fail("vtimer_in_sled", "the timer's IRQ was to interrupt the sled 0x%x-0x%x, "
                      "it interrupted 0x%x (IRQs taken: %u, expected %u)",
                      base, base + 4 * SLED, last_at, irqs_taken, want);
            return;
        }
        u32 latency = last_stamp - (start + 1 + (last_at - base) / 4);
        if (i < 4) continue;  // warm up
        best = latency < best ? latency : best;
        worst = latency > worst ? latency : worst;
    }
    report("vtimer_irq_to_handler", worst, "instructions");
    if (best != worst) report("vtimer_irq_to_handler_best", best, "instructions");
}

// One burst: `n` SPIs made pending by one GICD_ISPENDR write with IRQs
// masked, then taken; the PMCCNTR of each handler entry in stamps[].
bool burst(u32 n) {
    irqs_taken = 0;
    done = 0;
    want = n;
    *GICD_ISPENDR1 = ((1u << n) - 1) << (FIRST_SPI - 32);
    bench_spin(&done);
    for (u32 i = 0; i < n; ++i)
        if (ids[i] != FIRST_SPI + i) {
            mvt::fail("burst_order", "burst of %u: IRQ #%u was to be SPI %u, it was %u", n, i, FIRST_SPI + i, ids[i]);
            return false;
        }
    return true;
}

// Selector 8: 12 SPIs through 4 list registers. Four fit: between their
// handler entries is the guest's own work (the GICV does not trap). Beyond
// four the maintenance interrupt refills the list registers: a gap longer than
// those is a refill, and its excess the refill's cost.
void maintenance_refill() {
    gic::init_distributor();
    gic::init_cpu();
    // Edge-triggered: the EOI of a level-sensitive one has the list register
    // ask for maintenance too (the line may still be high), which is not a refill.
    for (u32 i = 0; i < MAX_BURST; ++i) {
        u32 id = FIRST_SPI + i;
        volatile u32* icfgr = reinterpret_cast<volatile u32*>(gic::GICD + 0xc00 + id / 16 * 4);
        *icfgr = *icfgr | 2u << (2 * (id % 16));
        gic::enable(id, 0xa0, nullptr);
    }
    set_vbar(bench_vectors_pmu);
    if (!burst(4)) return;  // warm up
    if (!burst(4)) return;
    u32 gap = stamps[1] - stamps[0];
    for (u32 i = 2; i < 4; ++i)
        if (stamps[i] - stamps[i - 1] != gap) {
            mvt::fail("burst_gaps", "with 4 SPIs in 4 list registers the handler entries were to be evenly "
                      "spaced by %u, entry %u came %u after the one before", gap, i, stamps[i] - stamps[i - 1]);
            return;
        }
    if (!burst(MAX_BURST)) return;
    u32 refills = 0, extra = 0;
    for (u32 i = 1; i < MAX_BURST; ++i) {
        u32 g = stamps[i] - stamps[i - 1];
        if (g != gap) {
            ++refills;
            extra += g - gap;
        }
    }
    if (refills == 0) {
        mvt::fail("refills", "12 SPIs through 4 list registers with no refill between the handlers: "
                  "every gap %u (0x%x)", gap, gap);
        return;
    }
    report("maintenance_refill", extra / refills, "instructions");
    report("maintenance_refills_for_12", refills, "refills");
}

}  // namespace bench
