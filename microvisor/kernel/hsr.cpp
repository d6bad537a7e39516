// SPDX-License-Identifier: MIT
// Lab 1: decoding the Hyp Syndrome Register (ARM ARM B3.13.6).
#include "kernel/hsr.hpp"
#include "lib/lab_todo.hpp"

namespace mv {

// Split `raw` into the fields of Hsr (see the drawing in kernel/hsr.hpp):
// EC, IL and ISS always; CV and COND only for the classes 0x01-0x0c, whose
// ISS begins with them (leave both zero for every other class).
Hsr decode_hsr(u32 raw) {
    MV_LAB_TODO(1);
}

}  // namespace mv
