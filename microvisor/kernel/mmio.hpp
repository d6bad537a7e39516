// SPDX-License-Identifier: MIT
// Emulating memory-mapped device registers: a stage-2 data abort on a device
// the microvisor emulates becomes a register read or write (Lab 3).
#pragma once

#include "kernel/hsr.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// One trapped load or store, as the HSR's ISS describes it (ARM ARM B3.13.6,
/// "ISS encoding for a Data Abort exception").
struct MmioAccess {
    u32 gpa;           ///< the guest-physical address accessed
    u32 size;          ///< 1, 2 or 4 bytes (ISS.SAS)
    bool write;        ///< ISS.WnR
    unsigned reg;      ///< the transfer register (ISS.SRT)
    bool sign_extend;  ///< a load that sign-extends (ISS.SSE)
};

/// Decode a data abort taken to HYP: the address from HPFAR (IPA bits 39:12
/// in HPFAR bits 31:4) and HDFAR (bits 11:0), and the ISS fields. False when
/// ISS.ISV is 0: the syndrome does not describe the access (LDM, STM, a
/// load with writeback...), and it cannot be emulated; false too for the
/// reserved size SAS = 0b11. (Lab 3)
bool decode_mmio(const Hsr& hsr, u32 hpfar, u32 hdfar, MmioAccess& out);

/// Emulate the trapped access if it hits a device of the registry's device
/// table (registry().device[0 .. ndevices)): for a load, write the (sign- or zero-extended) value into the guest's
/// register; for a store, hand the register's low `size` bytes to the device;
/// then skip the instruction. False if the address is no emulated device's,
/// or the access cannot be decoded. (Lab 3)
bool emulate_mmio(Vcpu& vcpu, const Hsr& hsr);

}  // namespace mv
