// SPDX-License-Identifier: MIT
// Attacks on the CPU: hogs, exception storms, waiting for nothing, starting a vCPU nowhere,
// resetting in a loop. Each arms the victim's measurement first (mailbox().armed).
#include "attack.hpp"

extern "C" {
extern mv::u32 storm_fault_vectors[], storm_jump_vectors[], storm_smc_vectors[];
void storm_smc_body();
[[noreturn]] void attack_storm(mv::u32 vectors, mv::u32 r12, mv::u32 start);
mv::u32 attack_udf();
}

namespace attack {
namespace {

void arm() {
    asm volatile("dsb" ::: "memory");
    mailbox().armed = ARMED;
    asm volatile("dsb" ::: "memory");
}

bool victim_done() { return mailbox().victim_done == DONE; }

u32 addr(const volatile void* p) { return reinterpret_cast<u32>(p); }
u32 addr(void (*f)()) { return reinterpret_cast<u32>(f); }

void set_vbar(u32 v) { asm volatile("mcr p15, 0, %0, c12, c0, 0\n isb" : : "r"(v) : "memory"); }

}  // namespace

void wait_for_victim() {
    while (!victim_done()) {
    }
}

// The storms end here (asm.S storm_escape), on this guest's own vectors and SVC stack again.
extern "C" [[noreturn]] void attack_storm_escaped() {
    install_probe_hook();
    // How many traps the storm made: prefetch and data aborts (EC 0x20, 0x24) and SMCs (0x13).
    static const u32 classes[] = {0x20, 0x24, 0x13};
    u32 traps = 0;
    for (u32 ec : classes) traps += hvc(MV_CALL_TRAP_COUNT, ec).r1;
    mvt::value("attacker_storm_traps", traps);
    mvt::pass("attacker_released");
    power_off();
}

// Spinning with IRQs, FIQs and asynchronous aborts masked at PL1: physical interrupts go to
// HYP (HCR.IMO), so the HYP timer still ends the slice.
void cpu_hog_irqs_masked() {
    asm volatile("cpsid aif" ::: "memory");
    arm();
    wait_for_victim();
    mvt::pass("attacker_done");
}

// A data abort whose vector faults again: a fault inside the vector table itself.
void storm_fault_in_vector() {
    mailbox().storm_load = NOWHERE;
    arm();
    attack_storm(addr(storm_fault_vectors), addr(&mailbox().storm_load), addr(storm_fault_vectors) + 0x10);
}

// Every vector jumps to memory that is not mapped: prefetch abort after prefetch abort.
void storm_vectors_jump_nowhere() {
    mailbox().escape_pc = NOWHERE;
    arm();
    attack_storm(addr(storm_jump_vectors), addr(&mailbox().escape_pc), addr(storm_jump_vectors) + 0x0c);
}

// The undefined-instruction vector runs an SMC, which comes back as an undefined instruction.
void storm_smc_in_undef_vector() {
    arm();
    attack_storm(addr(storm_smc_vectors), addr(&mailbox().victim_done), addr(storm_smc_body));
}

// A stage-2 abort loop: the handler retries the load until the victim is done.
void abort_loop() {
    retry_aborts_until(&mailbox().victim_done);
    arm();
    const Seen s = probe([] { return read32(NOWHERE); });
    retry_aborts_until(nullptr);
    check(s.outcome == Outcome::dabt && s.exceptions >= 1, "abort_loop_ended",
          "expected data aborts at 0x%08x until the victim was done, saw %s", NOWHERE, outcome_name(s.outcome));
    mvt::value("attacker_aborts", s.exceptions);
    mvt::pass("attacker_done");
}

// VBAR at guest-physical memory nobody has: the first exception cannot be delivered.
void vbar_nowhere() {
    arm();
    set_vbar(NOWHERE);
    attack_udf();
    set_vbar(NOWHERE);  // not reached while the microvisor stops the VM
    mvt::fail("vbar_nowhere", "the undefined instruction came back with VBAR at 0x%08x", NOWHERE);
    wait_for_victim();
}

// The VM's own vector table, in a page it then unmaps itself.
void own_vectors_unmapped() {
    auto* table = reinterpret_cast<volatile u32*>(SPARE);
    for (u32 i = 0; i < 8; ++i) table[i] = 0xeafffffe;  // b .
    asm volatile("dsb\n isb" ::: "memory");
    set_vbar(SPARE);
    check(hvc(MV_CALL_MEM_UNMAP, SPARE, PAGE).r0 == MV_OK, "unmap_own_vectors", "MEM_UNMAP(0x%08x) failed", SPARE);
    arm();
    attack_udf();
    set_vbar(SPARE);
    mvt::fail("own_vectors_unmapped", "the undefined instruction came back with VBAR in an unmapped page");
    wait_for_victim();
}

// WFI with nothing to wake it: the timer is off, and stays off.
void wfi_forever() {
    timer_off();
    arm();
    for (;;) asm volatile("dsb\n wfi" ::: "memory");
}

// WFI with the timer expired and masked: the event is pending, WFI returns at once, forever.
void wfi_expired_masked_timer() {
    asm volatile("mcrr p15, 3, %0, %1, c14" : : "r"(0u), "r"(0u));  // CNTV_CVAL = 0: long past
    asm volatile("mcr p15, 0, %0, c14, c3, 1\n isb" : : "r"(3u));   // ENABLE | IMASK
    arm();
    u32 n = 0;
    while (!victim_done()) {
        asm volatile("dsb\n wfi" ::: "memory");
        ++n;
    }
    timer_off();
    mvt::value("attacker_wfis", n);
    mvt::pass("attacker_done");
}

// WFE in a loop, with and without an SEV first, as a spin-wait would. (QEMU 7.2 never traps
// WFE, whatever HCR.TWE says: there it is a hint, and the loop a plain hog; see the count.)
void wfe_loop() {
    const u32 traps = hvc(MV_CALL_TRAP_COUNT, 0x01).r1;  // EC 0x01: WFI/WFE
    arm();
    u32 n = 0;
    while (!victim_done()) {
        asm volatile("wfe" ::: "memory");
        if ((++n & 1) != 0) asm volatile("sev\n wfe" ::: "memory");
        for (u32 i = 0; i < 32; ++i) asm volatile("" ::: "memory");  // the spin-wait's own work
    }
    mvt::value("attacker_wfes", n);
    mvt::value("attacker_wfe_traps", hvc(MV_CALL_TRAP_COUNT, 0x01).r1 - traps);
    mvt::pass("attacker_done");
}

// PSCI CPU_ON of this VM's second vCPU at an entry point nobody has mapped.
void cpu_on_bad_entry() {
    arm();
    const i32 s = static_cast<i32>(hvc(PSCI_CPU_ON, 1, NOWHERE, 0).r0);
    check(s == MV_OK || s == MV_INVALID_PARAMETERS || s == MV_INVALID_ADDRESS, "cpu_on_nowhere_answered",
          "PSCI CPU_ON(1, 0x%08x): expected MV_OK (the vCPU then faults) or a refusal, saw %d", NOWHERE, s);
    wait_for_victim();
    mvt::pass("attacker_done");
}

// PSCI SYSTEM_RESET again and again while the victim measures (the count lives in the mailbox).
void reset_loop() {
    if (victim_done()) {
        mvt::value("attacker_resets", mailbox().scratch[0]);
        mvt::pass("attacker_done");
        return;
    }
    if (mailbox().scratch[0] == 0) arm();
    mailbox().scratch[0] = mailbox().scratch[0] + 1;
    reset();
}

}  // namespace attack
