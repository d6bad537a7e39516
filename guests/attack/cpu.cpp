// SPDX-License-Identifier: MIT
// Attacks on CPU state: the VFP registers, modes and banked registers of HYP, PL0 calls, a
// stage-1 MMU whose tables are nowhere, and trapped instructions inside Thumb IT blocks.
#include "attack.hpp"

extern "C" {
void attack_vfp_enable();
void attack_vfp_fill(mv::u32 tag, mv::u32 fpscr);
void attack_vfp_read(mv::u64 out[32], mv::u32* fpscr);
mv::u32 attack_cps_hyp();
mv::u32 attack_msr_hyp();
mv::u32 attack_eret_to_hyp();
mv::u32 attack_mrs_elr_hyp();
void attack_msr_elr_hyp(mv::u32 v);
mv::u32 attack_mrs_sp_hyp();
void attack_msr_spsr_hyp(mv::u32 v);
mv::u32 attack_pl0_call(mv::u32 fid, mv::u32 smc);
[[noreturn]] void attack_mmu_on(mv::u32 ttbr0);
mv::u32 attack_thumb_it_str16(mv::u32 addr);
mv::u32 attack_thumb_it_str32(mv::u32 addr);
mv::u32 attack_thumb_itt_ldr(mv::u32 addr);
mv::u32 attack_thumb_it_wfi();
mv::u32 attack_fiq_banked_mmio(mv::u32 id0, mv::u32 imsc);
mv::u32 attack_str_sp(mv::u32 addr);
mv::u32 attack_str_pc(mv::u32 addr);
void attack_ldrex(volatile mv::u32* addr);
}

namespace attack {

extern volatile u32 probe_svc_to_svc;  // probe.cpp: an SVC returns in SVC mode

namespace {

constexpr u32 MODE_MASK = 0x1f, MODE_HYP = 0x1a, MODE_SVC = 0x13;
constexpr u32 UART = 0x09000000, UART_IMSC = UART + 0x38, UART_ID0 = UART + 0xfe0;

}  // namespace

// VFP: the attacker reads what the unit holds when it gets it, and fills it with its own.
// The victim keeps its own values in every run (victim.cpp).
void vfp_state() {
    attack_vfp_enable();
    u64 d[32];
    u32 fpscr = 0;
    attack_vfp_read(d, &fpscr);
    u32 seen = 0, first = 0;
    for (u32 i = 0; i < 32; ++i)
        if ((d[i] >> 32) == VICTIM_VFP_TAG && seen++ == 0) first = i;
    check(seen == 0, "vfp_victim_registers_unseen",
          "d%u = 0x%08x%08x: %u of d0-d31 hold the victim's values", first, static_cast<u32>(d[first] >> 32),
          static_cast<u32>(d[first]), seen);
    attack_vfp_fill(0xa77ac4ed, 0x03c00000);  // RMode, FZ, DN: another FPSCR than the victim's
    attack_vfp_read(d, &fpscr);
    check(static_cast<u32>(d[31]) == 31 && (d[31] >> 32) == 0xa77ac4ed, "vfp_own_registers",
          "d31 = 0x%08x%08x, expected 0xa77ac4ed0000001f", static_cast<u32>(d[31] >> 32), static_cast<u32>(d[31]));
}

// A second vCPU of the attacker's own, spinning: the scheduler shares the CPU per runnable
// vCPU, so the attacker's VM gets two shares of three while it runs (the victim 2/3 of its
// baseline rate). What must hold is that the victim keeps its one share.
void second_vcpu_hog() {
    const i32 s = static_cast<i32>(hvc(PSCI_CPU_ON, 1, reinterpret_cast<u32>(secondary_entry), 0x5ec0).r0);
    check(s == MV_OK, "second_vcpu_on", "PSCI CPU_ON(1) = %d", s);
    mailbox().armed = ARMED;
    wait_for_victim();
    while (hvc(PSCI_AFFINITY_INFO, 1, 0).r0 != 1) hvc(MV_CALL_VCPU_YIELD);
    mvt::pass("attacker_done");
}

// The local exclusive monitor is one per CPU: an LDREX left open when the microvisor switches
// VMs must not let the next VM's STREX (to the same virtual address) succeed. The victim tries
// after each switch (victim.cpp); the attacker opens the monitor and spins.
volatile u32 exclusive_target;  // the same address in both VMs: one image

void exclusive_monitor() {
    mailbox().armed = ARMED;
    while (mailbox().victim_done != DONE) {
        attack_ldrex(&exclusive_target);
        for (u32 i = 0; i < 256; ++i) asm volatile("" ::: "memory");
    }
    mvt::pass("attacker_done");
}

// Exceptions at the high vectors (SCTLR.V), where a guest has no memory.
void high_vectors() {
    mailbox().armed = ARMED;
    u32 sctlr;
    asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    asm volatile("mcr p15, 0, %0, c1, c0, 0\n isb" : : "r"(sctlr | (1u << 13)) : "memory");
    asm volatile("udf #0" ::: "memory");
    mvt::fail("high_vectors", "the undefined instruction came back with SCTLR.V set");
    wait_for_victim();
}

// HYP mode and its banked registers are out of reach of PL1; HVC and SMC do nothing at PL0.
void mode_escapes() {
    const u32 cps = attack_cps_hyp();
    check((cps & MODE_MASK) != MODE_HYP, "cps_to_hyp", "CPSR after CPS #0x1a is 0x%08x: HYP mode", cps);
    const u32 msr = attack_msr_hyp();
    check((msr & MODE_MASK) != MODE_HYP, "msr_cpsr_to_hyp", "CPSR after MSR CPSR_c to HYP is 0x%08x", msr);
    const Seen eret = probe([] { return attack_eret_to_hyp(); });
    check((eret.value & MODE_MASK) != MODE_HYP && (eret.exceptions == 0 || eret.outcome == Outcome::undef),
          "exception_return_to_hyp", "MOVS PC, LR with SPSR mode HYP: landed with CPSR 0x%08x (%s)", eret.value,
          outcome_name(eret.outcome));
    expect_undef("mrs_elr_hyp", probe([] { return attack_mrs_elr_hyp(); }));
    expect_undef("msr_elr_hyp", probe([] {
                     attack_msr_elr_hyp(NOWHERE);
                     return 0u;
                 }));
    expect_undef("mrs_sp_hyp", probe([] { return attack_mrs_sp_hyp(); }));
    expect_undef("msr_spsr_hyp", probe([] {
                     attack_msr_spsr_hyp(0x1da);
                     return 0u;
                 }));
    // HVC and SMC from user mode: undefined at PL0 (B1.14.4), no call made.
    probe_svc_to_svc = 1;
    const Seen hvc0 = probe([] { return attack_pl0_call(MV_CALL_VM_INFO, 0); });
    const Seen smc0 = probe([] { return attack_pl0_call(PSCI_SYSTEM_OFF, 1); });
    probe_svc_to_svc = 0;
    check(hvc0.outcome == Outcome::undef || hvc0.exceptions == 2, "hvc_from_pl0",
          "expected an undefined instruction (then the SVC back), saw %u exceptions, last %s", hvc0.exceptions,
          outcome_name(hvc0.outcome));
    check(hvc0.exceptions == 2 && hvc0.value == MV_CALL_VM_INFO, "hvc_from_pl0_no_call",
          "expected r0 unchanged (0x%08x) after two exceptions (undef, SVC), saw r0 0x%08x after %u", MV_CALL_VM_INFO,
          hvc0.value, hvc0.exceptions);
    check(smc0.exceptions == 2 && smc0.value == PSCI_SYSTEM_OFF, "smc_from_pl0_no_call",
          "expected r0 unchanged (0x%08x) after two exceptions (undef, SVC), saw r0 0x%08x after %u", PSCI_SYSTEM_OFF,
          smc0.value, smc0.exceptions);
    check((cpsr() & MODE_MASK) == MODE_SVC, "back_in_svc", "CPSR 0x%08x after the PL0 calls", cpsr());
}

// A stage-1 MMU whose tables are in memory nobody has: every walk aborts at stage 2, the
// reflected prefetch abort's vector too. The microvisor stops the VM.
void stage1_tables_nowhere() {
    mailbox().armed = ARMED;
    attack_mmu_on(NOWHERE);
}

// Trapped and emulated instructions in IT blocks (B1.14.1, A8.8.55): the microvisor moves
// the IT state on when it skips one, so what follows runs under the right condition.
void thumb_it_traps() {
    const u32 s16 = attack_thumb_it_str16(UART_IMSC);
    check(s16 == 0, "it_emulated_str16", "after ITE EQ; STREQ (emulated, 16-bit); MOVNE: the MOVNE ran (r3 = %u)",
          s16);
    const u32 s32 = attack_thumb_it_str32(UART_IMSC);
    check(s32 == 0, "it_emulated_str32", "after ITE EQ; STREQ.W (emulated, 32-bit); MOVNE: the MOVNE ran (r3 = %u)",
          s32);
    const u32 ldr = attack_thumb_itt_ldr(UART_ID0);
    check(ldr == 3, "itt_emulated_ldr",
          "after ITT EQ; LDREQ (emulated); MOVEQ: expected the load done and the MOVEQ run (3), saw %u", ldr);
    // Banked registers as the source and target of emulated accesses: FIQ's r9 and r10, SVC's SP.
    const u32 fiq = attack_fiq_banked_mmio(UART_ID0, UART_IMSC);
    const u32 imsc = read32(UART_IMSC);
    check(fiq == 0x11 && imsc == 5, "emulated_fiq_banked_r9_r10",
          "LDR r9 / STR r10 in FIQ mode: expected FIQ's r9 = 0x11 and IMSC = 5, saw 0x%x (0xbad9/0xbada: SVC's r9/r10 "
          "changed) and IMSC 0x%x",
          fiq, imsc);
    const u32 sp = attack_str_sp(UART_IMSC);
    const u32 imsc_sp = read32(UART_IMSC);
    check(imsc_sp == (sp & 0x7ff), "emulated_str_sp", "STR SP: expected IMSC = SP & 0x7ff = 0x%x, saw 0x%x",
          sp & 0x7ff, imsc_sp);
    expect_abort("emulated_str_pc_refused", UART_IMSC, probe([] { return attack_str_pc(UART_IMSC); }));
    write32(UART_IMSC, 0);
}

// The same with a trapped WFI (HCR.TWI), which the microvisor skips. QEMU 7.2 reports a WFI
// trapped inside an IT block with ITSTATE already advanced past it (it syncs the IT state of
// the next instruction before its WFI helper raises the trap), so skipping it advances twice.
void thumb_it_wfi() {
    timer_at_us(0);  // expired, masked: WFI returns at once
    const u32 wfi = attack_thumb_it_wfi();
    timer_off();
    check(wfi == 2, "it_trapped_wfi",
          "after ITET EQ; WFIEQ (trapped); MOVNE; ADDEQ: expected only the ADDEQ to run (2), saw %u (%s)", wfi,
          wfi == 3 ? "the IT state moved on twice past the WFI" : wfi == 1 ? "the IT state did not move" : "?");
}

}  // namespace attack
