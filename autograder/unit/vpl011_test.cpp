// SPDX-License-Identifier: MIT
// The emulated PL011 (not a lab file): registers, per-VM output and the input focus.
#include "host_fixture.hpp"
#include "kernel/console_input.hpp"
#include "vdev/vpl011.hpp"

using namespace mv;

namespace {

constexpr u32 DR = 0x000, FR = 0x018, RXFE = 1u << 4;

class Vpl011Test : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        type("\x01" "0");  // the focus back on VM 0
        cpu().console.clear();
    }
    void type(const std::string& s) {
        cpu().console_input += s;
        console_input_poll();
    }
};

TEST_F(Vpl011Test, OutputCarriesTheVmName) {
    for (char c : std::string("hi\n")) vpl011_write(vm(1).uart, DR, 1, static_cast<u8>(c));
    EXPECT_EQ(cpu().console, "[b] hi\n") << "the test system has three VMs: lines are prefixed";
}

TEST_F(Vpl011Test, InputGoesToTheVmWithTheFocus) {
    type("x");
    EXPECT_NE(vpl011_read(vm(1).uart, FR, 4) & RXFE, 0u) << "VM 1 has no focus: its receive FIFO is empty";
    EXPECT_EQ(vpl011_read(vm(0).uart, FR, 4) & RXFE, 0u) << "VM 0 has the focus: a character waits";
    EXPECT_EQ(vpl011_read(vm(0).uart, DR, 4), static_cast<u32>('x'));
    EXPECT_NE(vpl011_read(vm(0).uart, FR, 4) & RXFE, 0u) << "and it was the only one";
}

TEST_F(Vpl011Test, CtrlAMovesTheFocus) {
    type("\x01" "2" "y");
    EXPECT_EQ(console_input_focus(), 2u);
    EXPECT_NE(cpu().console.find("input goes to VM 2 (c)"), std::string::npos) << "the switch is announced";
    EXPECT_EQ(vpl011_read(vm(0).uart, DR, 4), 0u) << "VM 0 lost the focus";
    EXPECT_EQ(vpl011_read(vm(2).uart, DR, 4), static_cast<u32>('y'));
    type("\x01" "7");
    EXPECT_EQ(console_input_focus(), 2u) << "there is no VM 7: the focus stays";
}

TEST_F(Vpl011Test, IdentificationRegisters) {
    const u32 ids[] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (u32 i = 0; i < 8; ++i) EXPECT_EQ(vpl011_read(vm(0).uart, 0xfe0 + 4 * i, 4), ids[i]) << "offset " << 0xfe0 + 4 * i;
}

}  // namespace
