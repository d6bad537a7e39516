/* SPDX-License-Identifier: MIT */
/* What the assembly (boot.S, vectors.S) and C++ share, declared once. C++
   static_asserts the frame offsets against struct Frame (frame.hpp) and
   builds reg::HVBAR, reg::HTPIDR and reg::HSR from these encodings
   (sysregs.hpp), so the two cannot drift apart. */
#ifndef MV_ASM_DEFS_H
#define MV_ASM_DEFS_H

/* struct Frame: r0-r12, LR_usr, SP_usr, ELR_hyp, SPSR_hyp */
#define FRAME_LR_USR 52
#define FRAME_SP_USR 56
#define FRAME_ELR 60
#define FRAME_SPSR 64
#define FRAME_SIZE 68

/* CP15 encodings: coproc, opc1, CRn, CRm, opc2 (ARM ARM B4.1) */
#define ENC_HVBAR 15, 4, 12, 0, 0   /* B4.1.77 */
#define ENC_HTPIDR 15, 4, 13, 0, 2  /* B4.1.75 */
#define ENC_HSR 15, 4, 5, 2, 0      /* B4.1.72 */

#endif
