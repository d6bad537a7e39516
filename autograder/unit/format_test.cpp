// SPDX-License-Identifier: MIT
// The small printf shared by the microvisor and the guests.
#include <gtest/gtest.h>

#include <string>

#include "lib/format.hpp"

namespace {

std::string fmt(const char* f, auto... args) {
    char buf[128];
    mv::snformat(buf, sizeof buf, f, args...);
    return buf;
}

TEST(Format, Conversions) {
    EXPECT_EQ(fmt("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
    EXPECT_EQ(fmt("%x %X %#x", 0xbeefu, 0xbeefu, 0x1au), "beef BEEF 0x1a");
    EXPECT_EQ(fmt("%#010x|%#6x", 0x1au, 0xbeefu), "0x0000001a|0xbeef") << "the width counts the 0x, as in C";
    EXPECT_EQ(fmt("%08x|%4d|%-s", 0x1234u, 5, "s"), "00001234|   5|%-s");
    EXPECT_EQ(fmt("%llx %lld", 0x123456789abcdefull, -5ll), "123456789abcdef -5");
    EXPECT_EQ(fmt("%s|%5s|%c|%%", "ab", "cd", 'x'), "ab|   cd|x|%");
    EXPECT_EQ(fmt("%d", -2147483647 - 1), "-2147483648");
    const char* volatile null_string = nullptr;  // hidden from the compiler's format check
    EXPECT_EQ(fmt("%s", null_string), "(null)");
}

TEST(Format, TruncatesAndReportsFullLength) {
    char buf[6];
    EXPECT_EQ(mv::snformat(buf, sizeof buf, "%s", "0123456789"), 10u);
    EXPECT_STREQ(buf, "01234");
}

}  // namespace
