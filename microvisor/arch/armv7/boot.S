@ SPDX-License-Identifier: MIT
@ Boot: QEMU starts the image at _start in HYP mode, MMU and caches off.

#include "asm_defs.h"

    .syntax unified
    .arm
    .macro  mcr_sysreg rt, cp, opc1, crn, crm, opc2
    mcr     p\cp, \opc1, \rt, c\crn, c\crm, \opc2
    .endm

    .section .text.boot, "ax"
    .global _start
_start:
    ldr     sp, =__stack_top
    ldr     r0, =hyp_vectors
    mcr_sysreg r0, ENC_HVBAR            @ HVBAR: our vectors (B4.1.77)
    isb
    ldr     r0, =__bss_start            @ zero .bss (it holds the VMs and vCPUs)
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
    mrs     r0, cpsr                    @ mv_main(cpsr) checks that we run in HYP mode
    bl      mv_main
2:  wfi
    b       2b
