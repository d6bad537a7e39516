// SPDX-License-Identifier: MIT
// Saving and loading a guest's VFP/Advanced SIMD registers (ARM ARM B1.11; FPEXC B4.1.57, FPSCR B4.1.58).
//
// The microvisor itself is built without floating point, so these are the
// only instructions that touch d0-d31. The caller has cleared HCPTR.TCP10/11
// (else HYP's own accesses trap too).
#include "arch.hpp"

namespace mv::arch {
namespace {
constexpr u32 FPEXC_EN = 1u << 30;
}

void vfp_save(VfpState& s) {
    u32 fpexc;
    asm volatile(".fpu neon-vfpv4\n vmrs %0, fpexc" : "=r"(fpexc));
    s.fpexc = fpexc;
    // EN must be 1 to read the data registers and FPSCR; the guest's own value is kept in s.fpexc.
    asm volatile(".fpu neon-vfpv4\n vmsr fpexc, %0\n isb" ::"r"(fpexc | FPEXC_EN));
    u64* d = s.d;
    asm volatile(".fpu neon-vfpv4\n vstmia %0!, {d0-d15}\n vstmia %0, {d16-d31}" : "+r"(d)::"memory");
    asm volatile(".fpu neon-vfpv4\n vmrs %0, fpscr" : "=r"(s.fpscr));
}

void vfp_load(const VfpState& s) {
    asm volatile(".fpu neon-vfpv4\n vmsr fpexc, %0\n isb" ::"r"(FPEXC_EN));
    const u64* d = s.d;
    asm volatile(".fpu neon-vfpv4\n vldmia %0!, {d0-d15}\n vldmia %0, {d16-d31}" : "+r"(d)::"memory");
    asm volatile(".fpu neon-vfpv4\n vmsr fpscr, %0" ::"r"(s.fpscr));
    asm volatile(".fpu neon-vfpv4\n vmsr fpexc, %0\n isb" ::"r"(s.fpexc));
}

}  // namespace mv::arch
