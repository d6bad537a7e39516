@ SPDX-License-Identifier: MIT
@ Guest startup: stacks for every mode, .bss, VBAR, then main(); vectors that call C++.

    .syntax unified
    .arm
    .section .text.start, "ax"
    .global _start
_start:
    @ The microvisor enters here in SVC mode with IRQ/FIQ/aborts masked.
    ldr     r0, =__stack_top
    cps     #0x17                       @ abort mode
    mov     sp, r0
    sub     r0, r0, #0x1000
    cps     #0x1b                       @ undefined mode
    mov     sp, r0
    sub     r0, r0, #0x1000
    cps     #0x12                       @ IRQ mode
    mov     sp, r0
    sub     r0, r0, #0x1000
    cps     #0x11                       @ FIQ mode
    mov     sp, r0
    sub     r0, r0, #0x1000
    cps     #0x1f                       @ system mode (shares usr's SP)
    mov     sp, r0
    sub     r0, r0, #0x1000
    cps     #0x13                       @ back to SVC
    mov     sp, r0
    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b
    ldr     r4, =__init_array_start     @ constructors of static objects
    ldr     r5, =__init_array_end
3:  cmp     r4, r5
    bhs     4f
    ldr     r0, [r4], #4
    blx     r0                          @ (clobbers the flags: compare again)
    b       3b
4:
    ldr     r0, =guest_vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb
    bl      guest_start                 @ runtime: main(), then power off
2:  b       2b

@ A secondary vCPU (PSCI CPU_ON with this entry): r0 = context ID. Its stacks
@ are 8 KiB each below __secondary_stacks_top, indexed by MPIDR affinity 0.
    .global secondary_entry
secondary_entry:
    mrc     p15, 0, r1, c0, c0, 5       @ MPIDR: vCPU index in bits 7:0
    and     r1, r1, #0xff
    ldr     r2, =__secondary_stacks_top
    sub     r2, r2, r1, lsl #13
    cps     #0x17                       @ abort mode: 1 KiB at the bottom of its 8 KiB
    sub     sp, r2, #0x1c00
    cps     #0x1b                       @ undefined mode
    sub     sp, r2, #0x1800
    cps     #0x12                       @ IRQ mode: its interrupts (Lab 4 on)
    sub     sp, r2, #0x1400
    cps     #0x13
    mov     sp, r2
    ldr     r1, =guest_vectors
    mcr     p15, 0, r1, c12, c0, 0      @ VBAR: the vCPU's own copy of the register
    isb
    bl      guest_secondary_start
1:  b       1b

    .text
    .balign 32
    .global guest_vectors
guest_vectors:
    b       vec_reset
    b       vec_undef
    b       vec_svc
    b       vec_pabt
    b       vec_dabt
    b       vec_unused
    b       vec_irq
    b       vec_fiq

@ Each handler stores LR and SPSR of its mode, then r0-r12, so the C++ side
@ sees an ExcFrame {r0-r12, lr, spsr} it may change; RFE returns through it.
@ An interrupt's LR is the instruction it interrupted + 4 (ARM ARM B1.8.3):
@ its handler takes the 4 off first, so that RFE resumes that instruction.
    .macro  handler name, kind, mode, back=0
\name:
    .if \back
    sub     lr, lr, #\back
    .endif
    srsdb   sp!, #\mode
    push    {r0-r12}
    mov     r0, #\kind
    mov     r1, sp
    bl      guest_exception
    pop     {r0-r12}
    rfeia   sp!
    .endm

    handler vec_undef, 1, 0x1b
    handler vec_svc,   2, 0x13
    handler vec_pabt,  3, 0x17
    handler vec_dabt,  4, 0x17
    handler vec_irq,   6, 0x12, 4
    handler vec_fiq,   7, 0x11, 4
vec_reset:
    mov     r0, #0
    mov     r1, #0
    bl      guest_exception
    b       .
vec_unused:
    mov     r0, #5
    mov     r1, #0
    bl      guest_exception
    b       .
