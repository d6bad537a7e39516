// SPDX-License-Identifier: MIT
// Hypercalls: decoding SMCCC function IDs, PSCI, and the console call.
#pragma once

#include "kernel/registry.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;

/// The fields of an SMCCC function ID (ARM DEN 0028, section 2.5).
struct SmcccId {
    bool fast;      ///< bit 31: fast call
    bool smc64;     ///< bit 30: SMC64/HVC64 calling convention
    u8 owner;       ///< bits 29:24: owning entity
    u16 number;     ///< bits 15:0: function number
    bool mbz_ok;    ///< bits 23:16 (MV_SMCCC_MBZ_MASK) are zero, as SMCCC requires for fast calls
};

/// Split a function ID into its fields. (Lab 1)
SmcccId decode_smccc(u32 function_id);

/// MV_CALL_REVISION, the SMCCC revision query (kernel/base_services.cpp).
void hc_revision(Vcpu& vcpu);

/// PSCI (owner 4): VERSION, FEATURES, SYSTEM_OFF, SYSTEM_RESET, and the
/// functions later labs register. (Lab 1) Cold: a guest makes a few PSCI
/// calls in its life, and they stay out of the vendor calls' fast path.
[[gnu::cold, gnu::noinline]] void psci_call(Vcpu& vcpu, u32 function_id);

/// MV_CALL_CONSOLE_WRITE: returns the byte count or a negative status. (Lab 1)
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len);

}  // namespace mv
