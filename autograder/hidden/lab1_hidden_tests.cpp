// SPDX-License-Identifier: MIT
// Lab 1 hidden tests: not in the handout; the example that keeps the mechanism tested
// (book: "Instructor's guide", Hidden tests).
#include <gtest/gtest.h>

#include "host_fixture.hpp"
#include "kernel/hsr.hpp"

using namespace mv;

// decode_hsr on every exception class, with every field at its widest: CV and COND only for
// the classes 0x01-0x0c, on both sides of both ends of that range.
TEST(HiddenHsr, EveryClassEveryField) {
    for (u32 ec = 0; ec < 64; ++ec) {
        for (const bool il : {false, true}) {
            const u32 raw = mvtest::hsr(ec, 0x01ffffff, il);
            const Hsr h = decode_hsr(raw);
            const bool conditional = ec >= 0x01 && ec <= 0x0c;
            const auto seen = ::testing::Message() << "decode_hsr(0x" << std::hex << raw << ")";
            EXPECT_EQ(static_cast<u32>(h.ec), ec) << seen << ": EC is bits 31:26";
            EXPECT_EQ(h.il, il) << seen << ": IL is bit 25";
            EXPECT_EQ(h.iss, 0x01ffffffu) << seen << ": ISS is bits 24:0";
            EXPECT_EQ(h.cv, conditional) << seen << ": CV is bit 24 for the classes 0x01-0x0c only";
            EXPECT_EQ(static_cast<int>(h.cond), conditional ? 0xf : 0)
                << seen << ": COND is bits 23:20 for the classes 0x01-0x0c only, else 0";
        }
    }
}
