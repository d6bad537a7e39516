// SPDX-License-Identifier: MIT
// The emulated PL011: the registers a driver touches, and the identification
// registers Linux's AMBA bus probes.
#include "vdev/vpl011.hpp"

#include "vdev/port.hpp"

namespace mv {
namespace {

enum Reg : u32 {
    DR = 0x000,     ///< data
    RSR = 0x004,    ///< receive status / error clear
    FR = 0x018,     ///< flags
    IBRD = 0x024,   ///< integer baud rate
    FBRD = 0x028,   ///< fractional baud rate
    LCR_H = 0x02c,  ///< line control
    CR = 0x030,     ///< control
    IFLS = 0x034,   ///< FIFO level select
    IMSC = 0x038,   ///< interrupt mask
    RIS = 0x03c,    ///< raw interrupt status
    MIS = 0x040,    ///< masked interrupt status
    ICR = 0x044,    ///< interrupt clear
    ID = 0xfe0,     ///< PeriphID0-3, PCellID0-3: 0xfe0-0xffc
};
constexpr u32 FR_RXFE = 1u << 4;  ///< receive FIFO empty
constexpr u32 FR_TXFE = 1u << 7;  ///< transmit FIFO empty (the virtual FIFO never fills)
constexpr u32 INT_RX = 1u << 4;   ///< RIS, IMSC, MIS: receive
constexpr u32 INT_TX = 1u << 5;   ///< transmit
constexpr u32 INT_RT = 1u << 6;   ///< receive timeout

// The raw interrupt state follows the FIFOs: input waits, the (virtual)
// transmit FIFO is empty. ICR cannot clear a condition that still holds.
u32 raw(const Vpl011& u) { return INT_TX | (port::console_in_ready(u.vm_id) ? INT_RX | INT_RT : 0); }

void update_line(const Vpl011& u) { port::irq_line(u.vm_id, VPL011_IRQ, vpl011_irq_level(u)); }
constexpr u32 ID_BYTES[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

}  // namespace

u32 vpl011_read(Vpl011& u, u32 offset, u32 /*size: every register reads whole*/) {
    if (offset >= ID && offset < ID + 32) return ID_BYTES[(offset - ID) / 4];
    switch (offset) {
    case DR: {
        int c = port::console_in(u.vm_id);
        update_line(u);  // the FIFO may be empty now
        return c < 0 ? 0 : static_cast<u32>(c);
    }
    case FR:
        return FR_TXFE | (port::console_in_ready(u.vm_id) ? 0 : FR_RXFE);
    case IBRD: return u.ibrd;
    case FBRD: return u.fbrd;
    case LCR_H: return u.lcr_h;
    case CR: return u.cr;
    case IFLS: return u.ifls;
    case IMSC: return u.imsc;
    case RIS: return raw(u);
    case MIS: return raw(u) & u.imsc;
    default: return 0;  // RSR and unassigned offsets read as zero
    }
}

void vpl011_write(Vpl011& u, u32 offset, u32 /*size*/, u32 value) {
    switch (offset) {
    case DR:
        port::console_out(u.vm_id, static_cast<u8>(value));
        break;
    case IBRD: u.ibrd = value & 0xffff; break;
    case FBRD: u.fbrd = value & 0x3f; break;
    case LCR_H: u.lcr_h = value & 0xff; break;
    case CR: u.cr = value & 0xffff; break;
    case IFLS: u.ifls = value & 0x3f; break;
    case IMSC:
        u.imsc = value & 0x7ff;
        update_line(u);
        break;
    default: break;  // RSR (error clear), ICR (a condition holds while it holds: raw()), read-only registers
    }
}

bool vpl011_irq_level(const Vpl011& u) { return (raw(u) & u.imsc) != 0; }

bool vpl011_rx_by_interrupt(const Vpl011& u) { return (u.imsc & (INT_RX | INT_RT)) != 0; }

}  // namespace mv
