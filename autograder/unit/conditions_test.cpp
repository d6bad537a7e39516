// SPDX-License-Identifier: MIT
// Conditional traps (not a lab file): ConditionPassed, ITAdvance, and which
// trapped instructions are skipped because their condition failed.
#include <gtest/gtest.h>

#include "kernel/hsr.hpp"
#include "kernel/vcpu.hpp"

using namespace mv;

namespace {

constexpr u32 N = 1u << 31, Z = 1u << 30, C = 1u << 29, V = 1u << 28;

TEST(Conditions, EveryConditionCodeAgainstEveryFlagSet) {
    // ARM ARM A8.3, table A8-1: the condition each code tests.
    auto expected = [](u32 cond, u32 f) {
        bool n = f & N, z = f & Z, c = f & C, v = f & V;
        switch (cond) {
        case 0x0: return z;             case 0x1: return !z;
        case 0x2: return c;             case 0x3: return !c;
        case 0x4: return n;             case 0x5: return !n;
        case 0x6: return v;             case 0x7: return !v;
        case 0x8: return c && !z;       case 0x9: return !c || z;
        case 0xa: return n == v;        case 0xb: return n != v;
        case 0xc: return !z && n == v;  case 0xd: return z || n != v;
        default: return true;           // 0xe AL, 0xf (unconditional space)
        }
    };
    for (u32 cond = 0; cond < 16; ++cond)
        for (u32 flags = 0; flags < 16; ++flags) {
            u32 cpsr = flags << 28 | 0x13;
            EXPECT_EQ(psr::condition_passed(cond, cpsr), expected(cond, cpsr))
                << std::hex << "cond 0x" << cond << ", NZCV 0x" << flags;
        }
}

TEST(Conditions, ItAdvanceShiftsTheMaskAndEndsTheBlock) {
    // ITTE EQ: firstcond 0000, mask 0110 -> IT = 0000_0110
    EXPECT_EQ(psr::it_advance(0x06), 0x0cu) << "the mask shifts left, the base condition stays";
    EXPECT_EQ(psr::it_advance(0x0c), 0x18u);
    EXPECT_EQ(psr::it_advance(0x18), 0x00u) << "IT[2:0] = 0: the last instruction of the block; the block ends";
    EXPECT_EQ(psr::it_advance(0xec), 0xf8u) << "IT[7:5] kept, IT[4:0] 01100 -> 11000";
    EXPECT_EQ(psr::it_advance(0x00), 0x00u) << "outside an IT block nothing changes";
}

TEST(Conditions, ItStateLivesInTwoPlacesOfThePsr) {
    u32 cpsr = psr::with_itstate(0x13 | psr::T, 0xab);
    EXPECT_EQ(cpsr & psr::IT_MASK, (0x2au << 10) | (0x3u << 25)) << std::hex << "IT[7:2] in 15:10, IT[1:0] in 26:25";
    EXPECT_EQ(psr::itstate(cpsr), 0xabu);
    EXPECT_EQ(cpsr & 0x1ff, 0x13u | psr::T) << "nothing else changes";
}

TEST(Conditions, ATrapWhoseConditionFailedIsSkipped) {
    auto wfi = [](u32 cond, bool cv) { return (0x01u << 26) | (1u << 25) | (cv ? 1u << 24 : 0) | (cond << 20); };
    EXPECT_TRUE(trap_condition_failed(wfi(0x0, true), 0x13)) << "WFIEQ with Z clear";
    EXPECT_FALSE(trap_condition_failed(wfi(0x0, true), Z | 0x13)) << "WFIEQ with Z set";
    EXPECT_FALSE(trap_condition_failed(wfi(0xe, true), 0x13)) << "AL";
    EXPECT_FALSE(trap_condition_failed(wfi(0x0, false), 0x13 | psr::T)) << "no CV, outside an IT block: unconditional";
    u32 in_it_ne = psr::with_itstate(0x13 | psr::T | Z, 0x18);  // an IT block whose condition is NE (0001)
    EXPECT_TRUE(trap_condition_failed(wfi(0x0, false), in_it_ne)) << "no CV: the IT state's condition (NE) fails";
    u32 hvc = (0x12u << 26) | (1u << 25);
    EXPECT_FALSE(trap_condition_failed(hvc, 0x13)) << "HVC (class 0x12) is never conditional";
    u32 dabt = (0x24u << 26) | (1u << 24);  // bit 24 is ISV there, not CV
    EXPECT_FALSE(trap_condition_failed(dabt, 0x13)) << "a data abort is not a conditional instruction";
}

TEST(Conditions, SkippingAdvancesTheItState) {
    Vcpu v;
    v.frame.elr = 0x48000100;
    v.frame.spsr = psr::with_itstate(0x13 | psr::T, 0x06);  // ITTE, first instruction
    v.skip_instruction(2);
    EXPECT_EQ(v.frame.elr, 0x48000102u);
    EXPECT_EQ(psr::itstate(v.frame.spsr), 0x0cu) << "the next instruction of the IT block";
    v.frame.spsr = 0x13;  // ARM state
    v.skip_instruction(4);
    EXPECT_EQ(v.frame.spsr, 0x13u) << "ARM state has no IT state";
}

}  // namespace
