// SPDX-License-Identifier: MIT
// PL011 UART: polled transmit; receive by interrupt once the scheduler runs.
#include "drivers/pl011.hpp"

namespace mv::pl011 {
namespace {

enum class Reg : u32 {
    DR = 0x00,  ///< data register
    FR = 0x18,    ///< flag register
    IMSC = 0x38,  ///< interrupt mask set/clear
};
constexpr u32 IMSC_RXIM = 1u << 4;  ///< receive
constexpr u32 IMSC_RTIM = 1u << 6;  ///< receive timeout: a character waits below the FIFO's level
constexpr u32 FR_TXFF = 1u << 5;  ///< transmit FIFO full
constexpr u32 FR_RXFE = 1u << 4;  ///< receive FIFO empty

volatile u32& reg(Reg r) { return *reinterpret_cast<volatile u32*>(BASE + static_cast<u32>(r)); }

}  // namespace

void putc(char c) {
    while ((reg(Reg::FR) & FR_TXFF) != 0) {
    }
    reg(Reg::DR) = static_cast<u8>(c);
}

bool rx_ready() { return (reg(Reg::FR) & FR_RXFE) == 0; }

int getc() { return rx_ready() ? static_cast<int>(reg(Reg::DR) & 0xff) : -1; }

}  // namespace mv::pl011

namespace mv {
void console_putc(char c) {
    if (c == '\n') pl011::putc('\r');
    pl011::putc(c);
}
int console_getc() { return pl011::getc(); }
void console_rx_interrupt(bool on) { pl011::reg(pl011::Reg::IMSC) = on ? pl011::IMSC_RXIM | pl011::IMSC_RTIM : 0; }
}  // namespace mv
