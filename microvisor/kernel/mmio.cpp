// SPDX-License-Identifier: MIT
// Lab 3: trapped loads and stores on emulated devices.
#include "kernel/mmio.hpp"

#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "kernel/registry.hpp"

namespace mv {

// The data abort ISS (ARM ARM B3.13.6): ISV bit 24 (the rest is valid), SAS
// bits 23:22 (size: 1 << SAS bytes), SSE bit 21, SRT bits 19:16, WnR bit 6.
// HPFAR bits 31:4 hold IPA bits 39:12; HDFAR bits 11:0 the page offset.
// Return false, and fill in nothing, when ISV is 0, or SAS is 0b11 (reserved
// in ARMv7: no access of 8 bytes has a syndrome).
bool decode_mmio(const Hsr& hsr, u32 hpfar, u32 hdfar, MmioAccess& out) {
    MV_LAB_TODO(3);
}

// Decode (HPFAR and HDFAR from arch::read<reg::...>()); refuse SRT = 15.
// Find the device of the registry's device table (registry().device[i] for
// i < registry().ndevices) whose [base, base + size) holds the address
// (base + size itself is outside); none: return false, having changed
// nothing. offset = address - base (a device need not start a page).
// Store: device.write(*vcpu.vm, offset, size, the low `size` bytes of
// vcpu.reg(SRT)): mask 1 and 2 bytes, not 4 (no shift by 32).
// Load: device.read(...), which may answer more bits: cut to `size` bytes, sign-extended
// when SSE is set and the top bit is 1, into vcpu.set_reg(SRT, v). Then skip
// the instruction (hsr.instr_len()) and return true.
bool emulate_mmio(Vcpu& vcpu, const Hsr& hsr) {
    MV_LAB_TODO(3);
}

}  // namespace mv
