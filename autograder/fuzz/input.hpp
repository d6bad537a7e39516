// SPDX-License-Identifier: MIT
// The fuzzer's input: what one run of the system is made of, decoded from bytes.
//
// An input is a short life of the fuzz system (fuzz_system.cpp): the VMs boot,
// then the running guest traps a few times. Each trap comes with what the
// guest did since the last one (its registers, its CP15 state, how long it
// ran) and the syndrome the hardware would report. Bytes past the end read as
// zero, so every byte string is an input.
//
// Layout (little-endian; make_seeds.py writes the same):
//
//   header, 8 bytes
//     0   number of traps - 1 (mod 8)
//     1   console input length (mod 16): bytes typed on the physical console
//     2   guest-memory selector: bit 0 the VM, bits 7:1 where (see decode())
//     3   reserved
//     4   u32 guest-memory address (raw, or an offset)
//   then each trap, TRAP_BYTES bytes
//     0   what the guest changed since the last trap (Update bits)
//     1   EC selector: < 0xc0 one of the interesting classes, else the raw HSR's
//         (bit 5 clear: a tidy syndrome: HVC #0, ISV set, a CP15 register the
//         microvisor traps, condition AL)
//     2   r0 selector: < 0xa0 a known function ID, else raw
//     3   r1 selector: < 0x60 an interesting value, < 0x80 one +- a little, else raw
//     4   r2 selector: the same
//     5   SPSR selector: bits 4:0 mod 7 the mode (GUEST_MODES); bit 6 clear: IT
//         clear; bit 5 clear: ELR an offset into the VM's first RAM region
//     6   fault-address selector: < 0x80 an interesting IPA in HPFAR; bit 6 clear: a
//         PL011 register offset in HDFAR; bit 5 clear: HIFAR near the guest's vectors
//     7   time selector: bits 7:6 how long the guest ran, bits 5:4 its timer's compare value
//     8   u32 HSR
//     12  u32 r0-r12, SP_usr, LR_usr, ELR_hyp, SPSR_hyp
//     80  u32 SP, LR, SPSR of svc, then of abt, und, irq, fiq; r8-r12 of fiq
//     160 u32 SCTLR, VBAR, TTBCR, CNTV_CTL; u64 CNTV_CVAL
//     184 u32 HDFAR, HIFAR, HPFAR, ticks
//   then the console input, then guest memory bytes (at most MAX_MEMORY).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lib/types.hpp"

namespace mvfuzz {

using mv::u32;
using mv::u64;
using mv::u8;

inline constexpr u32 MAX_TRAPS = 8;
inline constexpr u32 HEADER_BYTES = 8;
inline constexpr u32 TRAP_BYTES = 200;
inline constexpr u32 MAX_MEMORY = 4096;

/// Which of the guest's registers a trap's record replaces (the rest stay as
/// the microvisor left them: the guest did not touch them).
enum Update : u8 {
    UPDATE_R0_R3 = 1u << 0,
    UPDATE_R4_R12 = 1u << 1,
    UPDATE_SP_LR_USR = 1u << 2,
    UPDATE_ELR_SPSR = 1u << 3,
    UPDATE_BANKED = 1u << 4,  ///< SP, LR, SPSR of the PL1 modes, r8-r12 of fiq
    UPDATE_CP15 = 1u << 5,    ///< SCTLR, VBAR, TTBCR
    UPDATE_TIMER = 1u << 6,   ///< CNTV_CTL, CNTV_CVAL
};

/// How the guest's compare value is chosen (time selector bits 5:4).
enum class Cval : u8 {
    soon,  ///< its virtual count now + the raw value's low 20 bits
    past,  ///< its virtual count now - the raw value's low 20 bits
    raw,   ///< the raw 64 bits
    low,   ///< the raw value's low 32 bits
};

/// One trap: the guest's state when it trapped, and the syndrome.
struct Trap {
    u8 update = 0;
    u32 hsr = 0;
    u32 r[13] = {};
    u32 sp_usr = 0, lr_usr = 0, elr = 0, spsr = 0;
    u32 banked_sp[5] = {}, banked_lr[5] = {}, banked_spsr[5] = {};  ///< svc, abt, und, irq, fiq
    u32 fiq_r8_12[5] = {};
    u32 sctlr = 0, vbar = 0, ttbcr = 0, cntv_ctl = 0;
    u64 cntv_cval = 0;
    Cval cval_kind = Cval::raw;
    bool elr_in_ram = false;  ///< elr is an offset into the VM's first RAM region
    u32 hdfar = 0, hifar = 0, hpfar = 0;
    bool hifar_near_vectors = false;  ///< hifar is an offset from the guest's vector base
    u64 ticks = 0;  ///< physical count ticks the guest ran before it trapped
};

struct Input {
    std::vector<Trap> traps;
    std::string console_input;
    u32 memory_vm = 0;
    u32 memory_gpa = 0;
    std::vector<u8> memory;
};

/// The guest modes, in the order the SPSR selector picks them.
inline constexpr u32 GUEST_MODES[7] = {0x10, 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f};
/// The banked modes of Trap::banked_*, in order.
inline constexpr u32 BANKED_MODES[5] = {0x13, 0x17, 0x1b, 0x12, 0x11};

/// Decode `size` bytes. Needs init_tables() first.
Input decode(const u8* data, std::size_t size);

/// Build the tables of interesting values from the system description.
void init_tables();

/// One line describing `t`, for MV_FUZZ_TRACE and for reports.
std::string describe(const Trap& t);

}  // namespace mvfuzz
