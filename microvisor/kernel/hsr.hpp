// SPDX-License-Identifier: MIT
// The Hyp Syndrome Register (ARM ARM B4.1.72): why a trap happened (its use: B3.13.6).
//
//    31        26 25 24                                   0
//   +------------+--+--------------------------------------+
//   |     EC     |IL|                 ISS                  |
//   +------------+--+--------------------------------------+
//
// EC, the exception class, says what kind of trap it was; IL is 1 for a
// 32-bit trapped instruction and 0 for a 16-bit one; the instruction-specific
// syndrome (ISS) depends on the class. For the classes 0x01-0x0c the ISS
// begins with CV (bit 24) and COND (bits 23:20): the trapped instruction's
// condition code, when CV is 1.
#pragma once

#include "lib/types.hpp"

namespace mv {

/// Exception classes of ARMv7 (values from the ARM ARM, B3.13.6 "Use of the HSR").
enum class Ec : u8 {
    unknown = 0x00,     ///< no more specific class: an undefined instruction
    wfx = 0x01,         ///< WFI or WFE (ISS bit 0: 1 for WFE)
    cp15_32 = 0x03,     ///< MCR/MRC to CP15
    cp15_64 = 0x04,     ///< MCRR/MRRC to CP15
    cp14_32 = 0x05,     ///< MCR/MRC to CP14
    cp14_ls = 0x06,     ///< LDC/STC to CP14
    hcptr = 0x07,       ///< CP0-CP13 access trapped by HCPTR (VFP, Advanced SIMD)
    cp10_id = 0x08,     ///< VMRS of the VFP ID registers
    jazelle = 0x09,     ///< Jazelle instruction
    bxj = 0x0a,         ///< BXJ trapped by HSTR.TJDBX
    cp14_64 = 0x0c,     ///< MRRC to CP14
    svc_hyp = 0x11,     ///< SVC taken to HYP (HCR.TGE)
    hvc = 0x12,         ///< HVC (ISS bits 15:0: the immediate)
    smc = 0x13,         ///< SMC trapped by HCR.TSC
    pabt_lower = 0x20,  ///< prefetch abort from PL0/PL1 (a stage-2 fault)
    pabt_hyp = 0x21,    ///< prefetch abort in HYP mode
    dabt_lower = 0x24,  ///< data abort from PL0/PL1 (a stage-2 fault)
    dabt_hyp = 0x25,    ///< data abort in HYP mode
};

/// The fields of one HSR value.
struct Hsr {
    u32 raw;   ///< the register as read
    Ec ec;     ///< bits 31:26
    bool il;   ///< bit 25: 32-bit instruction
    u32 iss;   ///< bits 24:0
    bool cv;   ///< bit 24 for classes 0x01-0x0c: COND is valid
    u8 cond;   ///< bits 23:20 for classes 0x01-0x0c, else 0

    /// Length in bytes of the trapped instruction.
    constexpr u32 instr_len() const { return il ? 4 : 2; }
};

/// Splits a raw HSR value into its fields. (Lab 1)
Hsr decode_hsr(u32 raw);

}  // namespace mv
