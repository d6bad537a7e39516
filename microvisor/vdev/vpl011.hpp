// SPDX-License-Identifier: MIT
// The emulated PL011 every VM finds at 0x0900_0000 (ARM DDI 0183): memory-
// mapped virtual device registers. Output goes to the physical console with
// the VM's name in front; input comes from the physical console when the VM
// has the focus (Ctrl-A <n>). It reaches its VM only through vdev/port.hpp.
#pragma once

#include "lib/types.hpp"

namespace mv {

inline constexpr u32 VPL011_BASE = 0x09000000;
inline constexpr u32 VPL011_SIZE = 0x1000;
inline constexpr u32 VPL011_IRQ = 33;  ///< its interrupt: SPI 1, as the virt board's UART0

/// The device's state in one VM.
struct Vpl011 {
    u32 vm_id = 0;  ///< whose device it is (the port's VM)
    u32 cr = 0x300, lcr_h = 0, ibrd = 0, fbrd = 0, ifls = 0x12, imsc = 0;
};

/// A guest read of the register at `offset` (access of `size` bytes).
u32 vpl011_read(Vpl011& uart, u32 offset, u32 size);
/// A guest write of `value` to the register at `offset`.
void vpl011_write(Vpl011& uart, u32 offset, u32 size, u32 value);

/// Its interrupt output (UARTINTR): some raw interrupt it has unmasked.
/// Receive (RX, and RT, the timeout) while input waits; transmit (TX)
/// always, as the virtual FIFO is always empty. After each access the model
/// tells its VM (vdev/port.hpp); input that arrives is the kernel's to tell.
bool vpl011_irq_level(const Vpl011& uart);

/// Whether the guest takes its input by interrupt (it unmasked RX or RT).
bool vpl011_rx_by_interrupt(const Vpl011& uart);

}  // namespace mv
