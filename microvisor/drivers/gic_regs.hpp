// SPDX-License-Identifier: MIT
// The GICv2 register map (ARM IHI 0048B, chapter 4): offsets and bits of the
// distributor (GICD, 4.3) and the CPU interface (GICC, 4.4), and where the
// per-interrupt field of an ID lies. Pure arithmetic: drivers/gic.cpp uses
// it on the hardware, host tests check it against the specification's tables.
#pragma once

#include "lib/types.hpp"

namespace mv::gic::regs {

/// Distributor registers (IHI 0048B 4.3, Table 4-1), offsets from GICD_BASE.
enum class Gicd : u32 {
    CTLR = 0x000,        ///< 4.3.1: bit 0 forwards pending interrupts to the CPU interfaces
    TYPER = 0x004,       ///< 4.3.2: ITLinesNumber in bits 4:0 (32 * (N + 1) interrupt IDs)
    IIDR = 0x008,        ///< 4.3.3: implementer and revision
    IGROUPR = 0x080,     ///< 4.3.4: group, 1 bit per ID
    ISENABLER = 0x100,   ///< 4.3.5: set-enable, 1 bit per ID (write 1 to enable)
    ICENABLER = 0x180,   ///< 4.3.6: clear-enable, 1 bit per ID (write 1 to disable)
    ISPENDR = 0x200,     ///< 4.3.7: set-pending, 1 bit per ID
    ICPENDR = 0x280,     ///< 4.3.8: clear-pending, 1 bit per ID
    ISACTIVER = 0x300,   ///< 4.3.9: set-active, 1 bit per ID
    ICACTIVER = 0x380,   ///< 4.3.10: clear-active, 1 bit per ID
    IPRIORITYR = 0x400,  ///< 4.3.11: priority, 1 byte per ID (byte-accessible)
    ITARGETSR = 0x800,   ///< 4.3.12: CPU targets, 1 byte per ID (byte-accessible; 0-31 read-only)
    ICFGR = 0xc00,       ///< 4.3.13: configuration, 2 bits per ID (bit 1 of the pair: edge)
    SGIR = 0xf00,        ///< 4.3.15: software-generated interrupts (write-only)
    CPENDSGIR = 0xf10,   ///< 4.3.16: clear SGI pending, 1 byte per SGI, 1 bit per source CPU
    SPENDSGIR = 0xf20,   ///< 4.3.17: set SGI pending, the same layout
};
/// A register's offset as a number, for code that computes with offsets.
constexpr u32 at(Gicd r) { return static_cast<u32>(r); }

/// CPU interface registers (IHI 0048B 4.4, Table 4-2), offsets from GICC_BASE.
/// The interface is 8 KiB: GICC_DIR sits in its second page.
enum class Gicc : u32 {
    CTLR = 0x0000,  ///< 4.4.1: enables and the EOI mode
    PMR = 0x0004,   ///< 4.4.2: priority mask: only priorities numerically below it are signalled
    BPR = 0x0008,   ///< 4.4.3: binary point (preemption groups)
    IAR = 0x000c,   ///< 4.4.4: acknowledge: read gives the ID (bits 9:0) and, for an SGI, the source CPU
    EOIR = 0x0010,  ///< 4.4.5: end of interrupt (priority drop; also deactivation unless EOImode)
    DIR = 0x1000,   ///< 4.4.15: deactivate (when EOImode is 1)
};
constexpr u32 at(Gicc r) { return static_cast<u32>(r); }

inline constexpr u32 GICD_CTLR_ENABLE = 1u << 0;  ///< 4.3.1 (no Security Extensions: EnableGrp0)
inline constexpr u32 GICD_TYPER_ITLINES = 0x1f;   ///< 4.3.2: ITLinesNumber
/// 4.4.1, Table 4-31 (GICv2 without Security Extensions, as on QEMU virt with
/// secure=off; the Non-secure copy, Table 4-32, has EOImodeNS at the same bit 9).
inline constexpr u32 GICC_CTLR_ENABLE = 1u << 0;  ///< EnableGrp0: signal group 0 interrupts (all of ours)
inline constexpr u32 GICC_CTLR_EOIMODE = 1u << 9;  ///< EOIR only drops priority, DIR deactivates
inline constexpr u32 GICC_PMR_ALL = 0xff;          ///< 4.4.2: the lowest mask lets every priority through

inline constexpr u32 MAX_IDS = 1020;  ///< 1020-1023 are special (4.4.4): no register bit of theirs

/// One ID's field in a bank of registers: the byte offset of its 32-bit
/// register from the block's base, and the field's shift within it.
struct Field {
    u32 offset;
    u32 shift;
    constexpr bool operator==(const Field&) const = default;
};

/// The ID's bit in a 1-bit-per-ID bank (ISENABLER, ICENABLER, ICPENDR, ICACTIVER): 4.3.5.
constexpr Field bit_field(Gicd bank, u32 id) { return {static_cast<u32>(bank) + 4 * (id / 32), id % 32}; }
/// The ID's byte in a 1-byte-per-ID bank (IPRIORITYR, ITARGETSR): byte offset, 4.3.11.
constexpr u32 byte_offset(Gicd bank, u32 id) { return static_cast<u32>(bank) + id; }
/// The ID's 2-bit field in GICD_ICFGRn (4.3.13): bit `shift + 1` is 1 for edge-triggered.
constexpr Field config_field(u32 id) { return {static_cast<u32>(Gicd::ICFGR) + 4 * (id / 16), 2 * (id % 16)}; }
/// How many interrupt IDs GICD_TYPER says the distributor has (4.3.2), at most MAX_IDS.
constexpr u32 lines(u32 typer) {
    u32 n = 32 * ((typer & GICD_TYPER_ITLINES) + 1);
    return n < MAX_IDS ? n : MAX_IDS;
}

}  // namespace mv::gic::regs
