@ SPDX-License-Identifier: MIT
@ The attacks that need exact instructions: calls with every register checked, a branch into
@ memory that is not ours, and exception storms that live in vector tables.

    .syntax unified
    .arm
    .text

@ u32 attack_exec_at(u32 addr): branch to addr. The prefetch abort's handler (probe.cpp)
@ resumes at attack_resume, which is the instruction after the branch.
    .global attack_exec_at
attack_exec_at:
    push    {r4, lr}
    ldr     r1, =exec_back
    ldr     r2, =attack_resume
    str     r1, [r2]
    mov     r1, r0
    mov     r0, #0
    blx     r1
exec_back:
    pop     {r4, pc}

    .data
    .global attack_resume
attack_resume:
    .word   0
    .text

@ void attack_hvc_full(const u32 in[6], u32 out[5]) and attack_smc_full(...): r0-r5 = in,
@ r6-r12 and lr set to known values; after the call out[0..3] = r0-r3 and out[4] = a mask
@ of the registers among r4-r12 and lr that the call changed (SMCCC: they are kept).
@ r0 |= 1 << bit unless `reg` still holds `value`.
    .macro  kept reg, value, bit
    ldr     r1, =\value
    cmp     \reg, r1
    orrne   r0, r0, #(1 << \bit)
    .endm

    .macro  full_call name, insn
    .global \name
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #12                 @ [sp] out, [sp+4] r4 in, [sp+8] r5 in
    str     r1, [sp]
    ldm     r0, {r0-r5}
    str     r4, [sp, #4]
    str     r5, [sp, #8]
    ldr     r6, =0x66666666
    ldr     r7, =0x77777777
    ldr     r8, =0x88888888
    ldr     r9, =0x99999999
    ldr     r10, =0xaaaaaaaa
    ldr     r11, =0xbbbbbbbb
    ldr     ip, =0xcccccccc
    ldr     lr, =0xeeeeeeee
    \insn
    push    {r0-r3}                     @ now [sp+16] out, [sp+20] r4 in, [sp+24] r5 in
    mov     r0, #0
    ldr     r1, [sp, #20]
    cmp     r4, r1
    orrne   r0, r0, #(1 << 4)
    ldr     r1, [sp, #24]
    cmp     r5, r1
    orrne   r0, r0, #(1 << 5)
    kept    r6, 0x66666666, 6
    kept    r7, 0x77777777, 7
    kept    r8, 0x88888888, 8
    kept    r9, 0x99999999, 9
    kept    r10, 0xaaaaaaaa, 10
    kept    r11, 0xbbbbbbbb, 11
    kept    ip, 0xcccccccc, 12
    kept    lr, 0xeeeeeeee, 14
    ldr     r1, [sp, #16]
    str     r0, [r1, #16]
    pop     {r4-r7}                     @ r0-r3 as the call left them
    stm     r1, {r4-r7}
    add     sp, sp, #12
    pop     {r4-r11, pc}
    .ltorg
    .endm

    full_call attack_hvc_full, "hvc #0"
    full_call attack_smc_full, "smc #0"

@ Single instructions the hypercall ABI and the trap paths must refuse.
    .global attack_hvc_imm1
attack_hvc_imm1:
    hvc     #1
    bx      lr
    .global attack_hvc_imm_ffff
attack_hvc_imm_ffff:
    hvc     #0xffff
    bx      lr
    .global attack_smc_imm15
attack_smc_imm15:
    smc     #15
    bx      lr
@ u32 attack_smc_cond_fails(void): an SMC whose condition fails: it must do nothing.
    .global attack_smc_cond_fails
attack_smc_cond_fails:
    movs    r0, #0                      @ Z set: NE fails
    smcne   #0
    bx      lr
@ u32 attack_udf(void): an undefined instruction.
    .global attack_udf
attack_udf:
    udf     #0
    bx      lr

@ Loads and stores without a syndrome (HSR.ISV = 0), which no MMIO emulation may guess at.
    .global attack_ldm
attack_ldm:                             @ u32 attack_ldm(u32 addr)
    push    {r4, lr}
    mov     r1, #0
    mov     r2, #0
    ldm     r0, {r1, r2}
    add     r0, r1, r2
    pop     {r4, pc}
    .global attack_ldrd
attack_ldrd:                            @ u32 attack_ldrd(u32 addr)
    push    {r4, r5}
    mov     r4, #0
    mov     r5, #0
    ldrd    r4, r5, [r0]
    add     r0, r4, r5
    pop     {r4, r5}
    bx      lr
    .global attack_strd
attack_strd:                            @ u32 attack_strd(u32 addr)
    push    {r4, r5}
    ldr     r4, =0xa77ac4ed
    mov     r5, r4
    strd    r4, r5, [r0]
    mov     r0, #0
    pop     {r4, r5}
    bx      lr
@ u32 attack_str_writeback(u32 addr): STR with post-index writeback; returns the base after it.
    .global attack_str_writeback
attack_str_writeback:
    mov     r1, #0x41
    str     r1, [r0], #4
    bx      lr
@ u32 attack_ldr_pc(u32 addr): LDR PC from addr (a device register); a refused load resumes after it.
    .global attack_ldr_pc
attack_ldr_pc:
    push    {r4, lr}
    adr     lr, 1f
    ldr     pc, [r0]
1:  mov     r0, #0
    pop     {r4, pc}
    .ltorg

@ Exception storms. Each vector table takes its storm's exception back to itself; the
@ victim ends the storm from the mailbox when it has measured (attack.hpp).
@
@ storm_fault_vectors, r12 = &mailbox.storm_load: the data abort vector loads the address
@ to load from the mailbox, and the next word of the table loads from it: while it is
@ NOWHERE that faults, and the abort comes back to the same vector.
    .balign 32
    .global storm_fault_vectors
storm_fault_vectors:
    b       storm_escape                @ 0x00 reset
    b       storm_escape                @ 0x04 undefined instruction
    b       storm_escape                @ 0x08 SVC
    b       storm_escape                @ 0x0c prefetch abort
    ldr     r0, [r12]                   @ 0x10 data abort
    ldr     r0, [r0]                    @ 0x14 the fault inside the vector table
    b       storm_escape                @ 0x18 reached once the load succeeds
    b       storm_escape                @ 0x1c FIQ

@ storm_jump_vectors, r12 = &mailbox.escape_pc: every vector jumps to where the mailbox
@ says: NOWHERE (a prefetch abort, back to 0x0c) until the victim writes storm_escape.
    .balign 32
    .global storm_jump_vectors
storm_jump_vectors:
    .rept   8
    ldr     pc, [r12]
    .endr

@ storm_smc_vectors, r12 = &mailbox.victim_done: the undefined-instruction vector runs an
@ SMC, which the microvisor makes an undefined instruction: back to 0x04.
    .balign 32
    .global storm_smc_vectors
storm_smc_vectors:
    b       storm_escape
    b       storm_smc_body              @ 0x04 undefined instruction
    b       storm_escape
    b       storm_escape
    b       storm_escape
    b       storm_escape
    b       storm_escape
    b       storm_escape
    .global storm_smc_body
storm_smc_body:
    ldr     r0, [r12]
    cmp     r0, #0
    bne     storm_escape
    smc     #0
    b       storm_escape

@ [[noreturn]] void attack_storm(u32 vectors, u32 r12, u32 start): VBAR = vectors, then
@ off to `start` with r12 as given.
    .global attack_storm
attack_storm:
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb
    mov     ip, r1
    bx      r2

@ The way out of every storm: SVC mode on a fresh stack, this guest's own vectors again.
    .global storm_escape
storm_escape:
    cps     #0x13
    ldr     sp, =__stack_top
    sub     sp, sp, #0x5000             @ SVC's stack (runtime/crt0.S)
    ldr     r0, =guest_vectors
    mcr     p15, 0, r0, c12, c0, 0
    isb
    bl      attack_storm_escaped        @ reports and powers off
1:  b       1b
    .ltorg

@ ---- VFP/Advanced SIMD: registers another VM must neither see nor change ----
    .fpu    neon-vfpv4

@ void attack_vfp_enable(void): CPACR cp10/cp11 full access, FPEXC.EN.
    .global attack_vfp_enable
attack_vfp_enable:
    mrc     p15, 0, r0, c1, c0, 2
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #(1 << 30)
    vmsr    fpexc, r0
    isb
    bx      lr

@ void attack_vfp_fill(u32 tag, u32 fpscr): d<i> = tag:i for i = 0..31, FPSCR = fpscr.
    .global attack_vfp_fill
attack_vfp_fill:
    vmsr    fpscr, r1
    mov     r1, #0
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    vmov    d\n, r1, r0
    add     r1, r1, #1
    .endr
    bx      lr

@ void attack_vfp_read(u64 out[32], u32* fpscr): d0-d31 and FPSCR as they are.
    .global attack_vfp_read
attack_vfp_read:
    vstmia  r0!, {d0-d15}
    vstmia  r0, {d16-d31}
    vmrs    r2, fpscr
    str     r2, [r1]
    bx      lr

@ ---- modes a PL1 guest may not enter, registers it may not reach ----
    .fpu    softvfp

@ u32 attack_cps_hyp(void): CPS to HYP mode; returns CPSR after it.
    .global attack_cps_hyp
attack_cps_hyp:
    cps     #0x1a
    mrs     r0, cpsr
    cps     #0x13                       @ (back to SVC, if it had worked)
    bx      lr
@ u32 attack_msr_hyp(void): MSR CPSR_c to HYP mode; returns CPSR after it.
    .global attack_msr_hyp
attack_msr_hyp:
    mrs     r1, cpsr
    bic     r2, r1, #0x1f
    orr     r2, r2, #0x1a
    msr     cpsr_c, r2
    mrs     r0, cpsr
    msr     cpsr_c, r1
    bx      lr
@ u32 attack_eret_to_hyp(void): an exception return (MOVS PC, LR) with SPSR = HYP mode;
@ returns CPSR where it lands.
    .global attack_eret_to_hyp
attack_eret_to_hyp:
    push    {r4, lr}
    mrs     r4, cpsr
    bic     r1, r4, #0x3f               @ mode bits, T
    orr     r1, r1, #0x1a
    orr     r1, r1, #0xc0               @ I, F
    msr     spsr_cxsf, r1
    adr     lr, 1f
    movs    pc, lr
1:  mrs     r0, cpsr
    msr     cpsr_c, r4                  @ back to where we were (SVC), whatever happened
    pop     {r4, pc}
@ u32 attack_mrs_elr_hyp(void), attack_msr_elr_hyp(u32), attack_mrs_sp_hyp(void), attack_msr_spsr_hyp(u32)
    .global attack_mrs_elr_hyp
attack_mrs_elr_hyp:
    mov     r0, #0
    mrs     r0, ELR_hyp
    bx      lr
    .global attack_msr_elr_hyp
attack_msr_elr_hyp:
    msr     ELR_hyp, r0
    bx      lr
    .global attack_mrs_sp_hyp
attack_mrs_sp_hyp:
    mov     r0, #0
    mrs     r0, SP_hyp
    bx      lr
    .global attack_msr_spsr_hyp
attack_msr_spsr_hyp:
    msr     SPSR_hyp, r0
    bx      lr

@ u32 attack_pl0_call(u32 fid, u32 smc): HVC #0 (or SMC #0 if smc) from user mode (PL0), where
@ both are UNDEFINED; an SVC brings it back to SVC mode (probe.cpp). Returns r0 after the call.
    .global attack_pl0_call
attack_pl0_call:
    push    {r4, lr}
    mov     r4, r1
    cps     #0x10
    cmp     r4, #0
    bne     1f
    hvc     #0
    b       2f
1:  smc     #0
2:  svc     #1
    pop     {r4, pc}

@ [[noreturn]] void attack_mmu_on(u32 ttbr0): stage 1 on, its tables at guest-physical ttbr0.
    .global attack_mmu_on
attack_mmu_on:
    mcr     p15, 0, r0, c2, c0, 0       @ TTBR0
    mov     r1, #0
    mcr     p15, 0, r1, c2, c0, 2       @ TTBCR: short descriptors, TTBR0 for everything
    mvn     r1, #0
    mcr     p15, 0, r1, c3, c0, 0       @ DACR: every domain manager
    isb
    mrc     p15, 0, r1, c1, c0, 0
    orr     r1, r1, #1                  @ SCTLR.M
    mcr     p15, 0, r1, c1, c0, 0
    isb
1:  b       1b                          @ the fetch of this already walks the tables

@ ---- Thumb: trapped and emulated instructions inside IT blocks ----
    .thumb
    .syntax unified

@ u32 attack_thumb_it_str16(u32 addr): ITE EQ (taken) with an emulated 16-bit STR, then MOVNE:
@ the MOVNE must not run (IT state advanced past the STR). Returns r3 (0 if right).
    .global attack_thumb_it_str16
    .thumb_func
attack_thumb_it_str16:
    movs    r3, #0
    movs    r1, #0
    movs    r2, #0
    cmp     r2, #0
    ite     eq
    streq   r1, [r0]
    movne   r3, #1
    mov     r0, r3
    bx      lr

@ u32 attack_thumb_it_str32(u32 addr): the same with a 32-bit STR.W.
    .global attack_thumb_it_str32
    .thumb_func
attack_thumb_it_str32:
    movs    r3, #0
    movs    r1, #0
    movs    r2, #0
    cmp     r2, #0
    ite     eq
    streq.w r1, [r0, #0]
    movne   r3, #1
    mov     r0, r3
    bx      lr

@ u32 attack_thumb_itt_ldr(u32 addr): ITT EQ with an emulated LDR, then MOVEQ: it must run.
@ Returns 1 if the MOVEQ ran, plus 2 if the LDR loaded (its register no longer 0xdeadbeef): 3 if right.
    .global attack_thumb_itt_ldr
    .thumb_func
attack_thumb_itt_ldr:
    movs    r3, #0
    ldr     r1, =0xdeadbeef
    movs    r2, #0
    cmp     r2, #0
    itt     eq
    ldreq   r1, [r0]
    moveq   r3, #1
    ldr     r2, =0xdeadbeef
    cmp     r1, r2
    it      ne
    addne   r3, r3, #2
    mov     r0, r3
    bx      lr
    .ltorg

@ u32 attack_thumb_it_wfi(void): ITET EQ (taken) with a trapped WFI, then MOVNE (must not run),
@ then MOVEQ (must run). Returns 1 if the MOVNE ran, plus 2 if the MOVEQ ran: 2 if right, 3 if
@ the IT state moved on twice past the WFI, 1 if it did not move.
    .global attack_thumb_it_wfi
    .thumb_func
attack_thumb_it_wfi:
    movs    r3, #0
    movs    r2, #0
    cmp     r2, #0
    itet    eq
    wfieq
    movne   r3, #1
    addeq   r3, r3, #2
    mov     r0, r3
    bx      lr

    .arm

@ ---- emulated accesses through banked registers ----

@ u32 attack_fiq_banked_mmio(u32 id0, u32 imsc): from FIQ mode, LDR r9 from the PL011's ID0
@ (emulated: FIQ's own r9 gets 0x11) and STR r10 = 0x5 to its IMSC; SVC's r9 and r10 must stay.
@ Returns FIQ's r9 after the load, or 0xbad0 | which SVC register changed.
    .global attack_fiq_banked_mmio
attack_fiq_banked_mmio:
    push    {r4-r11, lr}
    ldr     r9, =0x99999999
    ldr     r10, =0xaaaaaaaa
    mrs     r4, cpsr
    cps     #0x11
    mov     r9, #0
    mov     r10, #5
    ldr     r9, [r0]
    str     r10, [r1]
    mov     r2, r9
    msr     cpsr_c, r4
    mov     r0, r2
    ldr     r3, =0x99999999
    cmp     r9, r3
    movne   r0, #0xbad0
    orrne   r0, r0, #9
    ldr     r3, =0xaaaaaaaa
    cmp     r10, r3
    movne   r0, #0xbad0
    orrne   r0, r0, #10
    pop     {r4-r11, pc}
    .ltorg

@ u32 attack_str_sp(u32 addr): STR SP (SVC's) to addr; returns that SP.
    .global attack_str_sp
attack_str_sp:
    str     sp, [r0]
    mov     r0, sp
    bx      lr

@ u32 attack_str_pc(u32 addr): STR PC to addr (a device register: refused).
    .global attack_str_pc
attack_str_pc:
    str     pc, [r0]
    mov     r0, #0
    bx      lr

@ ---- the exclusive monitor across VM switches ----

@ void attack_ldrex(u32* addr): LDREX and leave the monitor open.
    .global attack_ldrex
attack_ldrex:
    ldrex   r1, [r0]
    bx      lr
@ u32 attack_strex(u32* addr, u32 v): STREX without an LDREX of its own; 0 if it stored.
    .global attack_strex
attack_strex:
    mov     r2, r1
    strex   r1, r2, [r0]
    mov     r0, r1
    bx      lr
