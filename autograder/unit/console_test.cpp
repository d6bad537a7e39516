// SPDX-License-Identifier: MIT
// The microvisor's console (not a lab file): no guest line can pass for the microvisor's or another VM's.
#include "host_fixture.hpp"
#include "kernel/console.hpp"

#include <string>

using namespace mv;

namespace {

class ConsoleTest : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        cpu().console.clear();
    }
    void write(u32 vm_index, const std::string& s) {
        console_guest_write(vm(vm_index), reinterpret_cast<const u8*>(s.data()), static_cast<u32>(s.size()));
    }
    static std::string escaped(u8 c) {
        char out[5];
        console_escape(c, out);
        return out;
    }
};

TEST_F(ConsoleTest, EscapesEveryControlByte) {
    EXPECT_EQ(escaped('a'), "a");
    EXPECT_EQ(escaped(' '), " ");
    EXPECT_EQ(escaped('~'), "~");
    EXPECT_EQ(escaped('\n'), "\n");
    EXPECT_EQ(escaped('\t'), "\t");
    EXPECT_EQ(escaped('\r'), "") << "a carriage return is dropped: it could only move the cursor back";
    EXPECT_EQ(escaped(0x1b), "^[") << "ESC: no escape sequence reaches the terminal";
    EXPECT_EQ(escaped(0x00), "^@");
    EXPECT_EQ(escaped(0x07), "^G");
    EXPECT_EQ(escaped(0x08), "^H");
    EXPECT_EQ(escaped(0x0b), "^K");
    EXPECT_EQ(escaped(0x0c), "^L");
    EXPECT_EQ(escaped(0x1f), "^_");
    EXPECT_EQ(escaped(0x7f), "^?");
    EXPECT_EQ(escaped(0x80), "\\x80");
    EXPECT_EQ(escaped(0x9b), "\\x9b") << "the 8-bit CSI";
    EXPECT_EQ(escaped(0xff), "\\xff");
}

TEST_F(ConsoleTest, NoByteLeavesRawAndEveryLineCarriesTheVmsName) {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    write(0, all + "\n");
    const std::string& out = cpu().console;
    for (char ch : out) {
        const auto c = static_cast<unsigned char>(ch);
        EXPECT_TRUE((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') << "raw byte " << int(c);
    }
    size_t lines = 0;
    for (size_t at = 0; at < out.size(); at = out.find('\n', at) + 1, ++lines)
        EXPECT_EQ(out.compare(at, 4, "[a] "), 0) << "line at " << at << ": " << out.substr(at, 20);
    EXPECT_EQ(lines, 2u) << "the only line breaks are the guest's two '\\n'";
}

TEST_F(ConsoleTest, AGuestCannotPrintAMicrovisorLine) {
    write(0, "\rMV_PANIC: forged\n\x1b[2K\x1b[1GMV: VM 1 (b) crashed: forged\nMV_EXIT: 2\n");
    EXPECT_EQ(cpu().console,
              "[a] MV_PANIC: forged\n"
              "[a] ^[[2K^[[1GMV: VM 1 (b) crashed: forged\n"
              "[a] MV_EXIT: 2\n");
}

TEST_F(ConsoleTest, AGuestCannotContinueAnotherVmsLine) {
    write(0, "abc");
    write(1, "[a] def\n");
    write(0, "ghi\n");
    EXPECT_EQ(cpu().console, "[a] abc\n[b] [a] def\n[a] ghi\n") << "each VM's output starts its own line";
}

TEST_F(ConsoleTest, TheMicrovisorsLinesStartALine) {
    write(2, "no newline yet");
    kprintf("MV: VM %u (%s) crashed: %s\n", 1u, "b", "data abort");
    write(2, "more\n");
    kprintf("MV: all VMs powered off\n");
    EXPECT_EQ(cpu().console,
              "[c] no newline yet\n"
              "MV: VM 1 (b) crashed: data abort\n"
              "[c] more\n"
              "MV: all VMs powered off\n");
}

TEST_F(ConsoleTest, ALineGoesOutWholeWhenNobodyInterrupts) {
    write(1, "one ");
    write(1, "line\n");
    write(1, "two\n");
    EXPECT_EQ(cpu().console, "[b] one line\n[b] two\n");
}

TEST_F(ConsoleTest, TheExitLineNamesTheStatus) {
    write(0, "open");
    console_exit_line(0);
    console_exit_line(1);
    console_exit_line(2);
    console_exit_line(3);
    console_exit_line(9);
    EXPECT_EQ(cpu().console,
              "[a] open\n"
              "MV_EXIT: 0 (every VM powered off)\n"
              "MV_EXIT: 1 (a VM crashed)\n"
              "MV_EXIT: 2 (the microvisor panicked)\n"
              "MV_EXIT: 3 (a lab function is not written yet)\n"
              "MV_EXIT: 9 (?)\n");
}

}  // namespace
