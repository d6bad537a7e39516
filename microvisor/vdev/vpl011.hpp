// SPDX-License-Identifier: MIT
// The emulated PL011 every VM of Lab 3 on finds at 0x0900_0000 (ARM DDI 0183):
// memory-mapped virtual device registers. Output goes to the physical console
// with the VM's name in front; input comes from the physical UART to the VM
// that has the focus: VM 0 at first, and Ctrl-A followed by a VM's number
// moves it.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

inline constexpr u32 VPL011_BASE = 0x09000000;
inline constexpr u32 VPL011_SIZE = 0x1000;

/// The device's state in one VM.
struct Vpl011 {
    u32 cr = 0x300, lcr_h = 0, ibrd = 0, fbrd = 0, ifls = 0x12, imsc = 0, ris = 0;
};

/// A guest read of the register at `offset` (access of `size` bytes).
u32 vpl011_read(Vm& vm, u32 offset, u32 size);
/// A guest write of `value` to the register at `offset`.
void vpl011_write(Vm& vm, u32 offset, u32 size, u32 value);

/// Move what was typed on the physical console into the input queue of the
/// VM with the focus, handling Ctrl-A <n>. Called on every access and on
/// every timer tick, so the focus moves even while no VM reads.
void vpl011_poll_input();

/// The VM that has the input focus.
u32 vpl011_focus();

}  // namespace mv
