/* SPDX-License-Identifier: MIT */
/* tiny-guest.S: a bare-metal image for the harness's real-QEMU smoke test.
 * Started by QEMU in HYP mode, it reads the token and selector from the parameter page at
 * 0x48fff000, prints "[tiny] @@MVT <token> PASS tiny" and "[tiny] @@MVT <token> DONE" on the
 * PL011, then ends as the microvisor does: "MV_EXIT: <selector>" and PSCI SYSTEM_OFF by SMC,
 * which QEMU's virt board (virtualization=on, no secure firmware) takes from HYP mode. */
    .syntax unified
    .arm
    .global _start

    .equ UART_DR, 0x09000000
    .equ PARAMS, 0x48fff000

_start:
    ldr     sp, =0x40100000
    ldr     r4, =PARAMS
    adr     r0, marker
    bl      puts
    ldr     r0, [r4]
    bl      puthex
    adr     r0, pass
    bl      puts
    adr     r0, marker
    bl      puts
    ldr     r0, [r4]
    bl      puthex
    adr     r0, done
    bl      puts
    adr     r0, exit_line               @ "MV_EXIT: <selector, one digit>"
    bl      puts
    ldr     r0, [r4, #4]
    add     r0, r0, #'0'
    bl      putc
    mov     r0, #'\n'
    bl      putc
    ldr     r0, =0x84000008             @ PSCI SYSTEM_OFF: QEMU exits with status 0
    smc     #0
1:  b       1b

putc:                                   @ r0: the character
    ldr     r1, =UART_DR
    str     r0, [r1]
    bx      lr

puts:                                   @ r0: a NUL-terminated string
    push    {r4, lr}
    mov     r4, r0
2:  ldrb    r0, [r4], #1
    cmp     r0, #0
    popeq   {r4, pc}
    bl      putc
    b       2b

puthex:                                 @ r0: printed as 8 lowercase hex digits
    push    {r4, r5, lr}
    mov     r4, r0
    mov     r5, #8
3:  mov     r0, r4, lsr #28
    cmp     r0, #10
    addlt   r0, r0, #'0'
    addge   r0, r0, #('a' - 10)
    bl      putc
    mov     r4, r4, lsl #4
    subs    r5, r5, #1
    bne     3b
    pop     {r4, r5, pc}

marker: .asciz "[tiny] @@MVT "
pass:   .asciz " PASS tiny\n"
done:   .asciz " DONE\n"
exit_line: .asciz "MV_EXIT: "
    .align  2
    .ltorg
