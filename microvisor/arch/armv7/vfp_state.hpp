// SPDX-License-Identifier: MIT
// A guest's VFP/Advanced SIMD register file, as saved while another vCPU owns the unit.
#pragma once

#include "lib/types.hpp"

namespace mv {

struct VfpState {
    u64 d[32];  ///< d0-d31
    u32 fpscr;
    u32 fpexc;  ///< the guest's FPEXC (EN bit 30: the guest has enabled the unit)
};

}  // namespace mv
