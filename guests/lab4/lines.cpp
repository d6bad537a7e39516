// SPDX-License-Identifier: MIT
// Lab 4 test guest, scenarios between VMs and vCPUs: OKL4's interrupt lines
// (MV_CALL_VIRQ_RAISE / MV_CALL_VIRQ_FETCH), waking and priority waiving by
// interrupt, a flood of raises, a descheduled vCPU's timer, and SGIs between
// the vCPUs of one VM. The VM id picks the role (systems/lab4-lines.toml,
// lab4-waive.toml, lab4-smp.toml); the selector the scenario (virq.cpp).
#include "gic.hpp"
#include "guest.hpp"
#include "lines.hpp"

using namespace guest;

namespace {

// systems/lab4-lines.toml's lines, by handle (file order).
constexpr u32 L_DATA = 0;    // vm0 -> vm1, SPI 40: the line under test
constexpr u32 L_TO_VM1 = 1;  // vm0 -> vm1, SPI 41: vm0 says where it is (vm1 polls it)
constexpr u32 L_TO_VM0 = 2;  // vm1 -> vm0, SPI 43: vm1 says where it is (vm0 polls it)
constexpr u32 L_VM2 = 3;     // vm2 -> vm1, SPI 42: vm2 says where it is (vm1 polls it)
constexpr u32 NLINES = 4;
constexpr u32 SPI_DATA = 40;

constexpr u32 READY = 1u << 0, RAISED = 1u << 1, TRIED = 1u << 2;

// A check that reports only its failure (mvt::expect also reports each success).
#define CHECK(ok, name, ...) ((ok) ? true : (mvt::fail(name, __VA_ARGS__), false))

u32 vm_id() { return hvc(MV_CALL_VM_INFO).r1; }

i32 raise(u32 line, u32 payload) { return static_cast<i32>(hvc(MV_CALL_VIRQ_RAISE, line, payload).r0); }

struct Fetch {
    i32 status;
    u32 payload;
};
Fetch fetch(u32 line) {
    HvcResult r = hvc(MV_CALL_VIRQ_FETCH, line);
    return {static_cast<i32>(r.r0), r.r1};
}

void spin_until(u64 until_us) {
    while (now_us() < until_us) asm volatile("nop");
}

// Poll line `line` (this VM its target) until the payloads fetched from it
// hold every bit of `want`, yielding in between; false after `limit_us`.
u32 control_seen[NLINES];
bool await(u32 line, u32 want, u64 limit_us = 200000) {
    u64 start = now_us();
    while ((control_seen[line] & want) != want) {
        Fetch f = fetch(line);
        if (f.status != MV_OK) {
            mvt::fail("control", "fetching control line %u returned %d, expected MV_OK (0)", line, f.status);
            return false;
        }
        control_seen[line] |= f.payload;
        if (now_us() - start > limit_us) {
            mvt::fail("control", "line %u: waited %llu us for payload bits %#x, have %#x", line,
                      static_cast<unsigned long long>(limit_us), want, control_seen[line]);
            return false;
        }
        hvc(MV_CALL_VCPU_YIELD);
    }
    return true;
}

bool signal(u32 line, u32 bits) {
    i32 s = raise(line, bits);
    return CHECK(s == MV_OK, "control", "raising control line %u returned %d, expected MV_OK (0)", line, s);
}

bool status_is(const char* name, const char* what, i32 got, i32 want) {
    return CHECK(got == want, name, "%s returned %d, expected %d", what, got, want);
}

// --- 6: payloads OR and clear; only the source raises, only the target fetches.

volatile u32 data_taken, data_payload, data_status;
void on_data(u32, ExcFrame&) {
    Fetch f = fetch(L_DATA);
    data_taken = data_taken + 1;
    data_status = static_cast<u32>(f.status);
    data_payload = data_payload | f.payload;
}

void lines_target() {  // vm1
    gic::init_distributor();
    gic::init_cpu();
    gic::enable(SPI_DATA, 0x80, on_data);  // CPSR.I stays set: the raises must wait
    if (!signal(L_TO_VM0, READY) || !await(L_TO_VM1, RAISED) || !await(L_VM2, TRIED)) return;
    bool ok = CHECK(data_taken == 0, "lines_target", "SPI 40 taken %u times while IRQs were masked", data_taken);
    u32 pend = *reinterpret_cast<volatile u32*>(gic::GICD + 0x200 + SPI_DATA / 32 * 4);
    ok &= CHECK((pend >> (SPI_DATA % 32) & 1) == 1, "lines_target",
                      "after three raises GICD_ISPENDR1 reads %#x: SPI 40 (bit 8) is not pending", pend);
    gic::irq_on();
    for (u32 spin = 0; spin < 20000 && data_taken == 0; ++spin) asm volatile("nop");
    for (u32 spin = 0; spin < 20000; ++spin) asm volatile("nop");  // a second delivery would come now
    gic::irq_off();
    ok &= CHECK(data_taken == 1, "lines_target",
                      "three raises before the target unmasked: SPI 40 taken %u times, expected once", data_taken);
    ok &= CHECK(static_cast<i32>(data_status) == MV_OK && data_payload == 7, "lines_target",
                      "the handler's fetch returned status %d, payload %#x; expected MV_OK (0) and 0x7 "
                      "(0x1 | 0x2 | 0x4, and nothing of the refused raises)",
                      static_cast<i32>(data_status), data_payload);
    Fetch again = fetch(L_DATA);
    ok &= CHECK(again.status == MV_OK && again.payload == 0, "lines_target",
                      "a second fetch returned status %d, payload %#x; expected MV_OK (0) and 0 (cleared)",
                      again.status, again.payload);
    // The target raising its own line, and fetching one it is the source of.
    ok &= status_is("lines_target", "a raise of line 0 by its target", raise(L_DATA, 0x10), MV_DENIED);
    Fetch wrong = fetch(L_TO_VM0);
    ok &= CHECK(wrong.status == MV_DENIED && wrong.payload == 0, "lines_target",
                      "fetch of line 2 by its source returned status %d, payload %#x; expected MV_DENIED (%d), 0",
                      wrong.status, wrong.payload, MV_DENIED);
    ok &= status_is("lines_target", "a raise of handle 4 (the system has 4 lines)", raise(NLINES, 1),
                    MV_INVALID_PARAMETERS);
    ok &= status_is("lines_target", "a raise of handle 0xffffffff", raise(0xffffffffu, 1), MV_INVALID_PARAMETERS);
    Fetch bad = fetch(NLINES);
    ok &= CHECK(bad.status == MV_INVALID_PARAMETERS && bad.payload == 0, "lines_target",
                      "fetch of handle 4 returned status %d, payload %#x; expected MV_INVALID_PARAMETERS (%d), 0",
                      bad.status, bad.payload, MV_INVALID_PARAMETERS);
    gic::irq_on();
    for (u32 spin = 0; spin < 20000; ++spin) asm volatile("nop");
    gic::irq_off();
    ok &= CHECK(data_taken == 1, "lines_target", "after the refused raise SPI 40 was taken %u times in all, "
                      "expected once: a refused raise changes nothing", data_taken);
    if (ok) mvt::pass("lines_target");
}

void lines_source() {  // vm0
    if (!await(L_TO_VM0, READY)) return;
    bool ok = status_is("lines_source", "raise(0, 0x1)", raise(L_DATA, 0x1), MV_OK);
    ok &= status_is("lines_source", "raise(0, 0x2)", raise(L_DATA, 0x2), MV_OK);
    ok &= status_is("lines_source", "raise(0, 0x4)", raise(L_DATA, 0x4), MV_OK);
    ok &= status_is("lines_source", "raise(0, 0x4) again", raise(L_DATA, 0x4), MV_OK);
    Fetch f = fetch(L_DATA);  // the source may not take the payload away
    ok &= CHECK(f.status == MV_DENIED && f.payload == 0, "lines_source",
                      "fetch of line 0 by its source returned status %d, payload %#x; expected MV_DENIED (%d), 0",
                      f.status, f.payload, MV_DENIED);
    ok &= status_is("lines_source", "a raise of handle 4", raise(NLINES, 1), MV_INVALID_PARAMETERS);
    Fetch bad = fetch(0x80000000u);
    ok &= CHECK(bad.status == MV_INVALID_PARAMETERS, "lines_source",
                      "fetch of handle 0x80000000 returned status %d, expected MV_INVALID_PARAMETERS (%d)", bad.status,
                      MV_INVALID_PARAMETERS);
    if (!signal(L_TO_VM1, RAISED)) return;
    if (ok) mvt::pass("lines_source");
}

void lines_other() {  // vm2: neither source nor target of line 0
    bool ok = status_is("lines_other", "a raise of line 0 by a VM that is not its source", raise(L_DATA, 0x100),
                        MV_DENIED);
    Fetch f = fetch(L_DATA);
    ok &= CHECK(f.status == MV_DENIED && f.payload == 0, "lines_other",
                      "fetch of line 0 by a VM that is not its target returned status %d, payload %#x; "
                      "expected MV_DENIED (%d), 0",
                      f.status, f.payload, MV_DENIED);
    if (!signal(L_VM2, TRIED)) return;
    if (ok) mvt::pass("lines_other");
}

// --- 7: a line wakes its target from WFI, with no timer armed.

constexpr u64 RAISE_AT_US = 5000;
volatile u32 wake_taken, wake_raised_us;
volatile u64 wake_handled_us;
void on_wake(u32, ExcFrame&) {
    wake_handled_us = now_us();
    wake_raised_us = fetch(L_DATA).payload;
    wake_taken = wake_taken + 1;
}

void line_wakes() {
    u32 id = vm_id();
    if (id == 0) {
        sleep_us(RAISE_AT_US);
        u32 at = static_cast<u32>(now_us());
        status_is("line_wakes", "raise(0, now)", raise(L_DATA, at), MV_OK);
        sleep_us(2000);  // the CPU is free: nothing but the line holds the target back
    } else if (id == 1) {
        gic::init_distributor();
        gic::init_cpu();
        gic::enable(SPI_DATA, 0x80, on_wake);
        timer_off();
        gic::irq_on();
        u32 wakes = 0;
        while (wake_taken == 0 && wakes < 100) {
            asm volatile("dsb\n wfi");
            ++wakes;
        }
        gic::irq_off();
        if (!CHECK(wake_taken == 1, "line_wakes", "SPI 40 taken %u times after %u WFIs, expected once",
                         wake_taken, wakes) ||
            !CHECK(wake_raised_us >= RAISE_AT_US, "line_wakes",
                         "the payload says the line was raised at %u us, expected at %llu us or later",
                         wake_raised_us, static_cast<unsigned long long>(RAISE_AT_US)))
            return;
        mvt::value("line_wake_latency_us", static_cast<long long>(wake_handled_us - wake_raised_us));
        mvt::value("line_wake_wfis", wakes);
        mvt::pass("line_wakes");
    }
}

// --- 8: priority_waive ends when an interrupt for the vCPU arrives.

volatile u32 waive_taken, waive_raised_us;
volatile u64 waive_handled_us;
void on_waive(u32, ExcFrame&) {
    waive_handled_us = now_us();
    waive_raised_us = fetch(0).payload;
    waive_taken = waive_taken + 1;
}

// systems/lab4-waive.toml: vm0 (priority 200) waives; vm1 (100) raises line 0 to it at 5 ms, then spins to 30 ms.
void waive_ends() {
    if (vm_id() == 0) {
        gic::init_distributor();
        gic::init_cpu();
        gic::enable(SPI_DATA, 0x80, on_waive);
        timer_off();  // only the line can end the waiver
        gic::irq_on();
        i32 s = static_cast<i32>(hvc(MV_CALL_PRIORITY_WAIVE).r0);
        u64 back_us = now_us();
        for (u32 spin = 0; spin < 1000 && waive_taken == 0; ++spin) asm volatile("nop");
        gic::irq_off();
        bool ok = status_is("waive_ends", "MV_CALL_PRIORITY_WAIVE", s, MV_OK);
        ok &= CHECK(waive_taken == 1, "waive_ends", "SPI 40 taken %u times after the waiver, expected once",
                          waive_taken);
        ok &= CHECK(waive_raised_us >= RAISE_AT_US, "waive_ends",
                          "the payload says the line was raised at %u us, expected at %llu us or later",
                          waive_raised_us, static_cast<unsigned long long>(RAISE_AT_US));
        if (!ok) return;
        mvt::value("waive_back_us", static_cast<long long>(back_us - waive_raised_us));
        mvt::value("waive_latency_us", static_cast<long long>(waive_handled_us - waive_raised_us));
        mvt::pass("waive_ends");
    } else {
        spin_until(RAISE_AT_US);
        status_is("waive_raise", "raise(0, now)", raise(0, static_cast<u32>(now_us())), MV_OK);
        spin_until(30000);
        mvt::value("raiser_end_us", static_cast<long long>(now_us()));
    }
}

// --- 9 and 10: a flood of raises starves neither the target nor a third VM.

constexpr u32 FLOOD_RAISES = 1000000;
constexpr u32 LAST = 0x80000000u;
constexpr u64 WINDOW_START_US = 20000;
constexpr u32 WINDOW_MS = 100;  // of the 1 kHz timer (count_timer_ticks)

volatile u32 flood_taken, flood_fetches, flood_bits;
void on_flood(u32, ExcFrame&) {
    Fetch f = fetch(L_DATA);
    flood_taken = flood_taken + 1;
    if (f.status == MV_OK && f.payload != 0) flood_fetches = flood_fetches + 1;
    flood_bits = flood_bits | f.payload;
}

void flood(bool raises) {
    u32 id = vm_id();
    if (id == 0) {  // the flooder; without `raises`, it only spins as long
        u32 refused = 0;
        if (raises) {
            for (u32 i = 1; i < FLOOD_RAISES; ++i)
                if (raise(L_DATA, 1) != MV_OK) ++refused;
        } else {
            spin_until(2 * (WINDOW_START_US + WINDOW_MS * 1000));
        }
        mvt::value("flood_end_us", static_cast<long long>(now_us()));
        if (raise(L_DATA, LAST | 1) != MV_OK) ++refused;
        if (CHECK(refused == 0, "flood", "%u of the raises were refused, expected none", refused)) mvt::pass("flood");
    } else if (id == 1) {  // the target: takes SPI 40 and fetches until the last raise's bit
        gic::init_distributor();
        gic::init_cpu();
        gic::enable(SPI_DATA, 0x80, on_flood);
        timer_off();
        gic::irq_on();
        while ((flood_bits & LAST) == 0) asm volatile("dsb\n wfi");
        gic::irq_off();
        mvt::value("flood_taken", flood_taken);
        mvt::value("flood_fetches", flood_fetches);
    } else {  // the third VM: a 1 kHz timer, counted over a window
        gic::init_distributor();
        gic::init_cpu();
        spin_until(WINDOW_START_US);
        u64 start = now_us();
        u32 n = gic::count_timer_ticks(WINDOW_MS).ticks;
        mvt::value("window_end_us", static_cast<long long>(start + WINDOW_MS * 1000));
        mvt::value("ticks", n);
    }
}

// --- 11: a timer that expires while its vCPU is descheduled.

constexpr u64 DUE_IN_US = 200;
volatile u32 desched_taken;
volatile u64 desched_at_us;
void on_desched_timer(u32, ExcFrame&) {
    desched_at_us = now_us();
    desched_taken = desched_taken + 1;
    timer_off();  // its level falls: taken once
}

void descheduled_timer() {
    if (vm_id() != 0) {  // vm1, vm2: hold the CPU for their slices, with a mask that lets nothing through
        gic::init_cpu();
        gic::set_priority_mask(0x00);  // each vCPU's own GICV_PMR: vm0's comes back with it
        spin_until(8000);
        return;
    }
    gic::init_distributor();
    gic::init_cpu();
    gic::enable(gic::PPI_VIRT_TIMER, 0x80, on_desched_timer);
    spin_until(1500);  // the others are running: a slice of each starts after ours
    gic::irq_on();
    u64 due = now_us() + DUE_IN_US;
    gic::timer_irq_at_us(due);
    hvc(MV_CALL_VCPU_YIELD);
    u32 taken_at_return = desched_taken;  // the interrupt comes before the first instruction back
    u64 back = now_us();
    for (u32 spin = 0; spin < 20000; ++spin) asm volatile("nop");
    spin_until(back + 3000);
    gic::irq_off();
    bool ok = CHECK(back > due, "descheduled_timer",
                          "the yield came back at %llu us, before the timer was due at %llu us: the others did not "
                          "run", static_cast<unsigned long long>(back), static_cast<unsigned long long>(due));
    ok &= CHECK(taken_at_return == 1, "descheduled_timer",
                      "when the vCPU ran again its timer's interrupt had been taken %u times, expected once at once",
                      taken_at_return);
    ok &= CHECK(desched_taken == 1, "descheduled_timer", "the timer's interrupt was taken %u times, expected "
                      "once", desched_taken);
    if (!ok) return;
    mvt::value("desched_late_us", static_cast<long long>(desched_at_us - due));
    mvt::value("desched_away_us", static_cast<long long>(back - due));
    mvt::pass("descheduled_timer");
}

// --- 12: SGIs between the vCPUs of one VM (systems/lab4-smp.toml).

constexpr u32 SGI_PING = 4, SGI_PONG = 6;
volatile u32 sgi_iar[2];     // the first IAR each vCPU read
volatile u32 sgi_count[2];
volatile u32 smp_ready, smp_wfis;

// This scenario's own IRQ path, for the whole IAR (the runtime's hands on only the ID).
bool on_irq_iar(ExcFrame&) {
    volatile u32& iar_reg = *reinterpret_cast<volatile u32*>(gic::GICC + 0x0c);
    volatile u32& eoir = *reinterpret_cast<volatile u32*>(gic::GICC + 0x10);
    for (;;) {
        u32 iar = iar_reg;
        if ((iar & 0x3ff) == gic::SPURIOUS) return true;
        u32 cpu = cpu_id() & 1;
        if (sgi_count[cpu] == 0) sgi_iar[cpu] = iar;
        sgi_count[cpu] = sgi_count[cpu] + 1;
        eoir = iar;
    }
}

void wait_sgi(u32 cpu, u32* wfis) {
    for (u32 i = 0; i < 1000 && sgi_count[cpu] == 0; ++i) {
        asm volatile("dsb\n wfi");
        ++*wfis;
    }
}

void smp_sgi_secondary() {  // vCPU 1: crt0.S gave it an IRQ stack of its own
    gic::init_cpu();
    set_irq_hook(on_irq_iar);
    gic::enable(SGI_PING, 0x80, nullptr);
    timer_off();
    gic::irq_on();
    smp_ready = 1;
    u32 wfis = 0;
    wait_sgi(1, &wfis);
    smp_wfis = wfis;
    gic::send_sgi(SGI_PONG, 1u << 0);
    gic::irq_off();
}

i32 cpu_on(u32 mpidr) {
    return static_cast<i32>(hvc(PSCI_CPU_ON, mpidr, reinterpret_cast<u32>(secondary_entry), 12).r0);
}

void smp_sgi() {  // vCPU 0
    gic::init_distributor();
    gic::init_cpu();
    set_irq_hook(on_irq_iar);
    gic::enable(SGI_PONG, 0x80, nullptr);
    timer_off();
    if (!status_is("smp_sgi", "PSCI CPU_ON(1)", cpu_on(1), MV_OK)) return;
    for (u32 i = 0; i < 100000 && smp_ready == 0; ++i) hvc(MV_CALL_VCPU_YIELD);
    if (!CHECK(smp_ready == 1, "smp_sgi", "vCPU 1 never became ready")) return;
    sleep_us(500);  // vCPU 1 is in WFI now: it has nothing else to do
    gic::irq_on();
    gic::send_sgi(SGI_PING, 1u << 1);
    u32 wfis = 0;
    wait_sgi(0, &wfis);
    gic::irq_off();
    u32 a = sgi_iar[1], b = sgi_iar[0];
    bool ok = CHECK(sgi_count[1] == 1 && (a & 0x3ff) == SGI_PING && (a >> 10 & 7) == 0, "smp_sgi",
                          "vCPU 1 took %u interrupts, the first with GICC_IAR %#x; expected one, SGI %u from CPU 0 "
                          "(IAR %#x)", sgi_count[1], a, SGI_PING, SGI_PING);
    ok &= CHECK(smp_wfis >= 1, "smp_sgi", "vCPU 1 took the SGI without waiting in WFI: the scenario did not "
                      "happen");
    ok &= CHECK(sgi_count[0] == 1 && (b & 0x3ff) == SGI_PONG && (b >> 10 & 7) == 1, "smp_sgi",
                      "vCPU 0 took %u interrupts, the first with GICC_IAR %#x; expected one, SGI %u from CPU 1 "
                      "(IAR %#x)", sgi_count[0], b, SGI_PONG, 1u << 10 | SGI_PONG);
    for (u32 i = 0; i < 100000 && hvc(PSCI_AFFINITY_INFO, 1, 0).r0 != 1; ++i) hvc(MV_CALL_VCPU_YIELD);
    if (ok) mvt::pass("smp_sgi");
}

void lines_payloads() {
    switch (vm_id()) {
    case 0: lines_source(); break;
    case 1: lines_target(); break;
    default: lines_other(); break;
    }
}

}  // namespace

bool lines_scenario(u32 selector) {
    switch (selector) {
    case 6: lines_payloads(); return true;
    case 7: line_wakes(); return true;
    case 8: waive_ends(); return true;
    case 9: flood(true); return true;
    case 10: flood(false); return true;
    case 11: descheduled_timer(); return true;
    case 12: smp_sgi(); return true;
    default: return false;
    }
}

// Only scenario 12 starts vCPU 1.
void secondary_main(u32) { smp_sgi_secondary(); }
