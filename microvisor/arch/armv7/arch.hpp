// SPDX-License-Identifier: MIT
// The arch interface, ARMv7-A HYP mode: the only way generic code touches the CPU.
//
// arch/fake/arch.hpp offers the same names for host tests. Keep the two in step.
#pragma once

#include "arch/armv7/psr.hpp"
#include "arch/armv7/vfp_state.hpp"
#include "lib/types.hpp"
#include "sysregs.hpp"

namespace mv::arch {

// --- coprocessor registers ------------------------------------------------
template <const Sysreg& R>
inline u32 read() {
    static_assert(!R.wide);
    static_assert(R.access != Access::wo, "a write-only register (an operation) cannot be read");
    u32 v;
    asm volatile("mrc p%c1, %c2, %0, c%c3, c%c4, %c5"
                 : "=r"(v)
                 : "i"(R.cp), "i"(R.opc1), "i"(R.crn), "i"(R.crm), "i"(R.opc2));
    return v;
}

template <const Sysreg& R>
inline void write(u32 v) {
    static_assert(!R.wide);
    static_assert(R.access != Access::ro, "a read-only register cannot be written");
    asm volatile("mcr p%c1, %c2, %0, c%c3, c%c4, %c5" ::"r"(v), "i"(R.cp), "i"(R.opc1),
                 "i"(R.crn), "i"(R.crm), "i"(R.opc2)
                 : "memory");
}

template <const Sysreg& R>
inline u64 read64() {
    static_assert(R.wide);
    static_assert(R.access != Access::wo);
    u32 lo, hi;
    asm volatile("mrrc p%c2, %c3, %0, %1, c%c4"
                 : "=r"(lo), "=r"(hi)
                 : "i"(R.cp), "i"(R.opc1), "i"(R.crm));
    return (static_cast<u64>(hi) << 32) | lo;
}

template <const Sysreg& R>
inline void write64(u64 v) {
    static_assert(R.wide);
    static_assert(R.access != Access::ro, "a read-only register cannot be written");
    asm volatile("mcrr p%c2, %c3, %0, %1, c%c4" ::"r"(static_cast<u32>(v)),
                 "r"(static_cast<u32>(v >> 32)), "i"(R.cp), "i"(R.opc1), "i"(R.crm)
                 : "memory");
}

// --- barriers -------------------------------------------------------------
inline void isb() { asm volatile("isb" ::: "memory"); }
inline void dsb() { asm volatile("dsb sy" ::: "memory"); }
inline void dsb_ish() { asm volatile("dsb ish" ::: "memory"); }
/// CLREX: the local exclusive monitor forgets any LDREX, so that a STREX of
/// the next vCPU cannot succeed on the last one's reservation (A3.4.5).
inline void clear_exclusive() { asm volatile("clrex" ::: "memory"); }

// --- translation table descriptors ------------------------------------------
/// `*entry = value` for a descriptor of a live LPAE table, as one access: a
/// STRD to a 64-bit aligned doubleword, which an implementation with the LPAE
/// makes 64-bit single-copy atomic as seen by translation table walks (ARM ARM
/// A3.5.3, "Single-copy atomicity"). A plain `*entry = value` may compile to
/// two STRs, and a walk between them sees half an entry: the low word valid,
/// XN (bit 54, in the high word) not yet set. No barrier: the caller orders
/// it (break-before-make, B3.10.1). The "memory" clobber keeps the compiler
/// from moving earlier plain stores (the entries of a new table, the
/// zeroing of one) after the store that makes them reachable.
inline void write_descriptor(u64* entry, u64 value) {
    asm volatile("strd %1, %H1, %0" : "=Qo"(*entry) : "r"(value) : "memory");
}

// --- the guest's banked registers (MRS and MSR banked, ARM ARM B9.3.9 and B9.3.10) ----------
// While a vCPU runs, its banked LR, SP and SPSR of each PL1 mode live in the
// hardware registers; HYP mode reaches them without switching mode:
// banked_lr/sp/spsr(mode), set_banked_lr/sp/spsr(mode, v), fiq_reg(n) and
// set_fiq_reg(n, v) for r8_fiq..r12_fiq (arch/armv7/banked.hpp).
}  // namespace mv::arch
#include "arch/armv7/banked.hpp"
namespace mv::arch {

// --- the guest's VFP/Advanced SIMD registers (arch/armv7/vfp.cpp) -----------
void vfp_save(VfpState& s);
void vfp_load(const VfpState& s);

// --- machine ----------------------------------------------------------------
[[noreturn]] void exit_system(int status);  ///< print MV_EXIT: <status>, end QEMU (PSCI SYSTEM_OFF by SMC)
[[noreturn]] void halt();                   ///< stop this CPU for good
void enable_hyp_mmu();                      ///< HYP stage-1 identity map, caches on
void flush_guest_tlb();                     ///< all stage-1+2 entries of non-secure PL0/PL1
void flush_vmid_tlb(u8 vmid);               ///< the stage-1+2 entries of one VMID
void wait_for_interrupt();                  ///< WFI in HYP mode, IRQs masked: wakes when one is pending
[[noreturn]] void enter_guest();            ///< restore the current frame and ERET

}  // namespace mv::arch

namespace mv::arch {
/// The HYP stage-1 map is the identity: a pointer is its physical address.
inline u64 virt_to_phys(const void* p) { return reinterpret_cast<u32>(p); }
inline u8* phys_to_virt(u32 pa) { return reinterpret_cast<u8*>(pa); }
}  // namespace mv::arch
