// SPDX-License-Identifier: MIT
// Lab 1: decoding the Hyp Syndrome Register (ARM ARM B3.13.6).
#include "kernel/hsr.hpp"

namespace mv {

Hsr decode_hsr(u32 raw) {
    Hsr h{};
    h.raw = raw;
    u32 ec = raw >> hsr_bits::EC_SHIFT;
    h.ec = static_cast<Ec>(ec);
    h.il = (raw & hsr_bits::IL) != 0;
    h.iss = raw & hsr_bits::ISS_MASK;
    // Classes 0x01-0x0c trap an instruction that may be conditional: the ISS
    // starts with CV (bit 24) and COND (bits 23:20).
    if (ec >= 0x01 && ec <= 0x0c) {
        h.cv = (raw & hsr_bits::CV) != 0;
        h.cond = static_cast<u8>((raw >> hsr_bits::COND_SHIFT) & 0xf);
    }
    return h;
}

}  // namespace mv
