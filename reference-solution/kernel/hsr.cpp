// SPDX-License-Identifier: MIT
// Lab 1: decoding the Hyp Syndrome Register (ARM ARM B3.13.6).
#include "kernel/hsr.hpp"

namespace mv {

Hsr decode_hsr(u32 raw) {
    Hsr h{};
    h.raw = raw;
    h.ec = static_cast<Ec>(raw >> 26);
    h.il = ((raw >> 25) & 1) != 0;
    h.iss = raw & 0x01ffffff;
    // Classes 0x01-0x0c trap an instruction that may be conditional: the ISS
    // starts with CV (bit 24) and COND (bits 23:20).
    u32 ec = raw >> 26;
    if (ec >= 0x01 && ec <= 0x0c) {
        h.cv = ((raw >> 24) & 1) != 0;
        h.cond = static_cast<u8>((raw >> 20) & 0xf);
    }
    return h;
}

}  // namespace mv
