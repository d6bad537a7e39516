// SPDX-License-Identifier: MIT
// PL011 UART: polled transmit.
#include "drivers/pl011.hpp"

namespace mv::pl011 {
namespace {

enum class Reg : u32 {
    DR = 0x00,  ///< data register
    FR = 0x18,  ///< flag register
};
constexpr u32 FR_TXFF = 1u << 5;  ///< transmit FIFO full

volatile u32& reg(Reg r) { return *reinterpret_cast<volatile u32*>(BASE + static_cast<u32>(r)); }

}  // namespace

void putc(char c) {
    while ((reg(Reg::FR) & FR_TXFF) != 0) {
    }
    reg(Reg::DR) = static_cast<u8>(c);
}

}  // namespace mv::pl011

namespace mv {
void console_putc(char c) {
    if (c == '\n') pl011::putc('\r');
    pl011::putc(c);
}
}  // namespace mv
