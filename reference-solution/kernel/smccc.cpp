// SPDX-License-Identifier: MIT
// Lab 1: the fields of an SMCCC function ID (ARM DEN 0028, section 2.5).
#include "kernel/hypercall.hpp"
#include "mv/abi.h"

namespace mv {

SmcccId decode_smccc(u32 fid) {
    SmcccId id{};
    id.fast = (fid & MV_SMCCC_FAST_CALL) != 0;
    id.smc64 = (fid & MV_SMCCC_64BIT) != 0;
    id.owner = static_cast<u8>((fid >> MV_SMCCC_OWNER_SHIFT) & MV_SMCCC_OWNER_MASK);
    id.number = static_cast<u16>(fid & MV_SMCCC_FUNC_MASK);
    id.mbz_ok = (fid & MV_SMCCC_MBZ_MASK) == 0;
    return id;
}

}  // namespace mv
