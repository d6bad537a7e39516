// SPDX-License-Identifier: MIT
// The guest's banked registers, read and written from HYP mode with MRS/MSR
// (banked). Inline, so that a call with a constant mode (the context switch
// goes through all of them) becomes one instruction. Included by arch.hpp.
#pragma once

namespace mv::arch {

// One switch per accessor: the banked register is part of the instruction.
#define MV_BANKED(getter, setter, R_USR, R_SVC, R_ABT, R_UND, R_IRQ, R_FIQ)                      \
    inline u32 getter(Mode m) {                                                                   \
        u32 v = 0;                                                                         \
        switch (m) {                                                                       \
        case Mode::usr: case Mode::sys: asm volatile("mrs %0, " R_USR : "=r"(v)); break;    \
        case Mode::svc: asm volatile("mrs %0, " R_SVC : "=r"(v)); break;                     \
        case Mode::abt: asm volatile("mrs %0, " R_ABT : "=r"(v)); break;                     \
        case Mode::und: asm volatile("mrs %0, " R_UND : "=r"(v)); break;                     \
        case Mode::irq: asm volatile("mrs %0, " R_IRQ : "=r"(v)); break;                     \
        case Mode::fiq: asm volatile("mrs %0, " R_FIQ : "=r"(v)); break;                     \
        default: break;                                                                    \
        }                                                                                  \
        return v;                                                                          \
    }                                                                                      \
    inline void setter(Mode m, u32 v) {                                                           \
        switch (m) {                                                                       \
        case Mode::usr: case Mode::sys: asm volatile("msr " R_USR ", %0" ::"r"(v)); break;  \
        case Mode::svc: asm volatile("msr " R_SVC ", %0" ::"r"(v)); break;                   \
        case Mode::abt: asm volatile("msr " R_ABT ", %0" ::"r"(v)); break;                   \
        case Mode::und: asm volatile("msr " R_UND ", %0" ::"r"(v)); break;                   \
        case Mode::irq: asm volatile("msr " R_IRQ ", %0" ::"r"(v)); break;                   \
        case Mode::fiq: asm volatile("msr " R_FIQ ", %0" ::"r"(v)); break;                   \
        default: break;                                                                    \
        }                                                                                  \
    }

MV_BANKED(banked_lr, set_banked_lr, "lr_usr", "lr_svc", "lr_abt", "lr_und", "lr_irq", "lr_fiq")
MV_BANKED(banked_sp, set_banked_sp, "sp_usr", "sp_svc", "sp_abt", "sp_und", "sp_irq", "sp_fiq")
#undef MV_BANKED

// usr and sys mode have no SPSR: reads give 0 and writes are ignored.
inline u32 banked_spsr(Mode m) {
    u32 v = 0;
    switch (m) {
    case Mode::svc: asm volatile("mrs %0, spsr_svc" : "=r"(v)); break;
    case Mode::abt: asm volatile("mrs %0, spsr_abt" : "=r"(v)); break;
    case Mode::und: asm volatile("mrs %0, spsr_und" : "=r"(v)); break;
    case Mode::irq: asm volatile("mrs %0, spsr_irq" : "=r"(v)); break;
    case Mode::fiq: asm volatile("mrs %0, spsr_fiq" : "=r"(v)); break;
    default: break;
    }
    return v;
}

inline void set_banked_spsr(Mode m, u32 v) {
    switch (m) {
    case Mode::svc: asm volatile("msr spsr_svc, %0" ::"r"(v)); break;
    case Mode::abt: asm volatile("msr spsr_abt, %0" ::"r"(v)); break;
    case Mode::und: asm volatile("msr spsr_und, %0" ::"r"(v)); break;
    case Mode::irq: asm volatile("msr spsr_irq, %0" ::"r"(v)); break;
    case Mode::fiq: asm volatile("msr spsr_fiq, %0" ::"r"(v)); break;
    default: break;
    }
}


}  // namespace mv::arch

namespace mv::arch {

// r8-r12 of FIQ mode: FIQ banks five more registers than the other modes.
inline u32 fiq_reg(unsigned n) {
    u32 v = 0;
    switch (n) {
    case 8: asm volatile("mrs %0, r8_fiq" : "=r"(v)); break;
    case 9: asm volatile("mrs %0, r9_fiq" : "=r"(v)); break;
    case 10: asm volatile("mrs %0, r10_fiq" : "=r"(v)); break;
    case 11: asm volatile("mrs %0, r11_fiq" : "=r"(v)); break;
    case 12: asm volatile("mrs %0, r12_fiq" : "=r"(v)); break;
    default: break;
    }
    return v;
}

inline void set_fiq_reg(unsigned n, u32 v) {
    switch (n) {
    case 8: asm volatile("msr r8_fiq, %0" ::"r"(v)); break;
    case 9: asm volatile("msr r9_fiq, %0" ::"r"(v)); break;
    case 10: asm volatile("msr r10_fiq, %0" ::"r"(v)); break;
    case 11: asm volatile("msr r11_fiq, %0" ::"r"(v)); break;
    case 12: asm volatile("msr r12_fiq, %0" ::"r"(v)); break;
    default: break;
    }
}

}  // namespace mv::arch
