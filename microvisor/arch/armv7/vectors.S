@ SPDX-License-Identifier: MIT
@ HYP vectors (HVBAR), guest trap entry and exit (ARM ARM B1.8.1, B3.13; HVBAR B4.1.77).
@
@ A trap from a guest arrives at offset 0x14 ("Hyp trap"). Entry saves the
@ guest's registers into the current vCPU's Frame, whose address HTPIDR holds
@ (the offsets are the ones kernel/frame.hpp asserts), calls mv_hyp_trap(),
@ and exit restores whichever frame HTPIDR names by then: the handler may have
@ switched to another vCPU.

    .syntax unified
    .arm
    .text

    .balign 32
    .global hyp_vectors
hyp_vectors:
    b       hyp_bad_reset               @ 0x00 not used
    b       hyp_bad_undef               @ 0x04 undefined instruction in HYP
    b       hyp_bad_hvc                 @ 0x08 HVC/SVC in HYP mode
    b       hyp_bad_pabt                @ 0x0c prefetch abort in HYP
    b       hyp_bad_dabt                @ 0x10 data abort in HYP
    b       hyp_trap                    @ 0x14 trap from a guest (PL0/PL1)
    b       hyp_irq                     @ 0x18 IRQ routed to HYP
    b       hyp_fiq                     @ 0x1c FIQ routed to HYP

@ Save the interrupted guest's registers into the current vCPU's Frame.
    .macro  save_frame
    push    {r0, r1}
    mrc     p15, 4, r0, c13, c0, 2      @ HTPIDR: &current vCPU's Frame
    add     r1, r0, #8
    stmia   r1, {r2-r12, lr}            @ r2-r12 and LR_usr (HYP shares LR with usr)
    pop     {r1, r2}
    stmia   r0, {r1, r2}                @ the guest's r0, r1
    mrs     r1, sp_usr
    mrs     r2, elr_hyp
    mrs     r3, spsr
    add     r4, r0, #56
    stmia   r4, {r1-r3}                 @ SP_usr, ELR_hyp, SPSR_hyp
    .endm

hyp_trap:
    save_frame
    bl      mv_hyp_trap
    .global hyp_exit
hyp_exit:
    mrc     p15, 4, r0, c13, c0, 2      @ the frame to resume (maybe another vCPU's)
    add     r4, r0, #56
    ldmia   r4, {r1-r3}
    msr     sp_usr, r1
    msr     elr_hyp, r2
    msr     spsr_cxsf, r3               @ SPSR_hyp (HYP cannot name its own SPSR banked)
    ldmia   r0, {r0-r12, lr}            @ base in the list, no writeback: r0 loaded last
    eret

hyp_irq:                                @ a physical IRQ while a guest ran
    save_frame
    bl      mv_hyp_irq                  @ may switch to another vCPU
    b       hyp_exit

hyp_fiq:
    mov     r0, #7
    b       hyp_bad
hyp_bad_reset:
    mov     r0, #0
    b       hyp_bad
hyp_bad_undef:
    mov     r0, #1
    b       hyp_bad
hyp_bad_hvc:
    mov     r0, #2
    b       hyp_bad
hyp_bad_pabt:
    mov     r0, #3
    b       hyp_bad
hyp_bad_dabt:
    mov     r0, #4
hyp_bad:
    mrs     r1, elr_hyp
    mrc     p15, 4, r2, c5, c2, 0       @ HSR
    bl      mv_hyp_fault                @ panics: an exception in the microvisor itself
    b       .
