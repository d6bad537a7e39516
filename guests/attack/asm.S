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
    ldr     r1, =0x66666666
    cmp     r6, r1
    orrne   r0, r0, #(1 << 6)
    ldr     r1, =0x77777777
    cmp     r7, r1
    orrne   r0, r0, #(1 << 7)
    ldr     r1, =0x88888888
    cmp     r8, r1
    orrne   r0, r0, #(1 << 8)
    ldr     r1, =0x99999999
    cmp     r9, r1
    orrne   r0, r0, #(1 << 9)
    ldr     r1, =0xaaaaaaaa
    cmp     r10, r1
    orrne   r0, r0, #(1 << 10)
    ldr     r1, =0xbbbbbbbb
    cmp     r11, r1
    orrne   r0, r0, #(1 << 11)
    ldr     r1, =0xcccccccc
    cmp     ip, r1
    orrne   r0, r0, #(1 << 12)
    ldr     r1, =0xeeeeeeee
    cmp     lr, r1
    orrne   r0, r0, #(1 << 14)
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
