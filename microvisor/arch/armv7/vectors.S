@ SPDX-License-Identifier: MIT
@ HYP vectors (HVBAR), guest trap entry and exit (ARM ARM B1.8.1, B3.13; HVBAR B4.1.77).
@
@ While a guest runs, SP_hyp points into the current vCPU's Frame, at its
@ SP_usr slot: a trap from the guest arrives at offset 0x14 ("Hyp trap") and
@ stores the guest's r0-r12 and LR_usr just below SP_hyp, then SP_usr,
@ ELR_hyp and SPSR_hyp from it upwards (the offsets of asm_defs.h, which
@ frame.hpp asserts), takes the microvisor's own stack and calls
@ mv_hyp_trap(). Exit resumes whichever frame HTPIDR names by then (the
@ handler may have switched to another vCPU) and leaves SP_hyp in it.

#include "asm_defs.h"

    .syntax unified
    .arm
    .text

    .macro  mrc_sysreg rt, cp, opc1, crn, crm, opc2
    mrc     p\cp, \opc1, \rt, c\crn, c\crm, \opc2
    .endm

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

@ Save the interrupted guest's registers into the Frame SP_hyp points into.
    .macro  save_frame
    stmdb   sp, {r0-r12, lr}            @ r0-r12 and LR_usr (HYP shares LR with usr)
    mrs     r0, sp_usr
    mrs     r1, elr_hyp
    mrs     r2, spsr
    stmia   sp, {r0-r2}                 @ SP_usr, ELR_hyp, SPSR_hyp
    ldr     sp, =__stack_top            @ the microvisor's own stack
    .endm

hyp_trap:
    save_frame
    bl      mv_hyp_trap
    .global hyp_exit
    .type   hyp_exit, %function         @ ARM code: C++ (Thumb) reaches it by BLX
hyp_exit:
    mrc_sysreg r0, ENC_HTPIDR           @ the frame to resume (maybe another vCPU's)
    add     sp, r0, #FRAME_SP_USR       @ where the next trap saves it
    ldmia   sp, {r1-r3}
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
    mrc_sysreg r2, ENC_HSR
    bl      mv_hyp_fault                @ panics: an exception in the microvisor itself
    b       .
