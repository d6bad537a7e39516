// SPDX-License-Identifier: MIT
// PL011 UART (ARM DDI 0183): polled transmit, the microvisor's console.
#pragma once

#include "lib/types.hpp"

namespace mv::pl011 {

inline constexpr u32 BASE = 0x09000000;  ///< the virt board's UART0

void putc(char c);
bool rx_ready();  ///< a received character is waiting
int getc();       ///< the next received character, or -1

}  // namespace mv::pl011
