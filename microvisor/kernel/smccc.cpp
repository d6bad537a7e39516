// SPDX-License-Identifier: MIT
// Lab 1: the fields of an SMCCC function ID (ARM DEN 0028, section 2.5).
#include "kernel/hypercall.hpp"
#include "lib/lab_todo.hpp"
#include "mv/abi.h"

namespace mv {

// Split an SMCCC function ID into the fields of SmcccId (kernel/hypercall.hpp;
// the bit positions are the MV_SMCCC_* macros of mv/abi.h).
SmcccId decode_smccc(u32 fid) {
    MV_LAB_TODO(1);
}

}  // namespace mv
