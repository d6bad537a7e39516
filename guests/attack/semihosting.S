@ SPDX-License-Identifier: MIT
@ The ways a program asks QEMU's semihosting for service (ARM DUI 0471, "Semihosting"):
@ r0 = the operation, r1 = its argument. With QEMU run without -semihosting, each is an
@ ordinary instruction: SVC goes to the guest's own SVC vector, HLT and SMC are
@ undefined (SMC: trapped by HCR.TSC, the microvisor makes it undefined). Each function
@ returns r0 as the guest's exception handler left it.

    .syntax unified
    .text

    .arm
    .global a32_svc_semihost
a32_svc_semihost:                       @ u32 a32_svc_semihost(u32 op, u32 arg)
    push    {lr}                        @ we run in SVC mode: the SVC takes LR_svc
    svc     #0x123456                   @ the A32 semihosting SVC
    pop     {pc}

    .global a32_hlt_semihost
a32_hlt_semihost:                       @ u32 a32_hlt_semihost(u32 op, u32 arg)
    .inst   0xe10f0070                  @ HLT #0xf000: the A32 semihosting trap (ARMv8 encoding)
    bx      lr

    .global a32_smc
a32_smc:                                @ u32 a32_smc(u32 function_id)
    smc     #0
    bx      lr

    .thumb
    .global t32_svc_semihost
    .thumb_func
t32_svc_semihost:                       @ u32 t32_svc_semihost(u32 op, u32 arg)
    push    {lr}
    svc     #0xab                       @ the T32 semihosting SVC
    pop     {pc}

    .global t32_hlt_semihost
    .thumb_func
t32_hlt_semihost:                       @ u32 t32_hlt_semihost(u32 op, u32 arg)
    .inst.n 0xbabc                      @ HLT #0x3c: the T32 semihosting trap (ARMv8 encoding)
    bx      lr
