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

#include "arch/armv7/psr.hpp"
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

/// Bit fields of the HSR and of the ISS classes the microvisor reads, declared once.
namespace hsr_bits {
inline constexpr u32 EC_SHIFT = 26;         ///< EC: bits 31:26
inline constexpr u32 IL = 1u << 25;         ///< 32-bit instruction
inline constexpr u32 ISS_MASK = 0x01ffffff; ///< ISS: bits 24:0
// Classes 0x01-0x0c (a trapped instruction)
inline constexpr u32 CV = 1u << 24;         ///< COND is valid
inline constexpr u32 COND_SHIFT = 20;       ///< COND: bits 23:20
// Data aborts (0x24, 0x25): ARM ARM B3.13.6, "ISS encoding for a Data Abort exception"
inline constexpr u32 ISV = 1u << 24;        ///< bits 23:14 are valid
inline constexpr u32 SAS_SHIFT = 22;        ///< SAS: bits 23:22, access size 1 << SAS
inline constexpr u32 SSE = 1u << 21;        ///< the load sign-extends
inline constexpr u32 SRT_SHIFT = 16;        ///< SRT: bits 19:16, the transfer register
inline constexpr u32 S1PTW = 1u << 7;       ///< the fault hit the guest's own (stage-1) table walk
inline constexpr u32 WNR = 1u << 6;         ///< write, not read
}  // namespace hsr_bits

/// Whether a trapped instruction did not execute because its condition
/// failed (ARM ARM B1.14.1): for the classes 0x01-0x0c the HSR gives COND
/// (when CV is set); in Thumb without CV, the IT state holds it. Such a trap
/// is skipped and never reaches handle_trap().
constexpr bool trap_condition_failed(u32 raw, u32 cpsr) {
    u32 ec = raw >> hsr_bits::EC_SHIFT;
    if (ec == 0 || ec > 0x0c) return false;  // not a class of conditional instructions
    u32 cond;
    if ((raw & hsr_bits::CV) != 0) {
        cond = (raw >> hsr_bits::COND_SHIFT) & 0xf;
    } else {
        u32 it = psr::itstate(cpsr);
        if (it == 0) return false;  // outside an IT block: unconditional
        cond = it >> 4;
    }
    return !psr::condition_passed(cond, cpsr);
}

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

/// The ISS of an MCR/MRC trap to CP14 or CP15 (classes 0x03, 0x05; ARM ARM
/// B3.13.6): Opc2 19:17, Opc1 16:14, CRn 13:10, Rt 8:5, CRm 4:1, Direction 0 (1: a read, MRC).
struct CoprocAccess {
    u32 opc1, crn, crm, opc2, rt;
    bool read;
    constexpr bool is(u32 o1, u32 n, u32 m, u32 o2) const { return opc1 == o1 && crn == n && crm == m && opc2 == o2; }
};

constexpr CoprocAccess decode_coproc(u32 iss) {
    return {(iss >> 14) & 7, (iss >> 10) & 0xf, (iss >> 1) & 0xf, (iss >> 17) & 7, (iss >> 5) & 0xf, (iss & 1) != 0};
}

/// Splits a raw HSR value into its fields. (Lab 1)
Hsr decode_hsr(u32 raw);

}  // namespace mv
