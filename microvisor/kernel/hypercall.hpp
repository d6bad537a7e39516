// SPDX-License-Identifier: MIT
// Hypercalls: decoding SMCCC function IDs and the calls themselves.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vcpu;
class Vm;

/// The fields of an SMCCC function ID (ARM DEN 0028, section 2.5).
struct SmcccId {
    bool fast;      ///< bit 31: fast call
    bool smc64;     ///< bit 30: SMC64/HVC64 calling convention
    u8 owner;       ///< bits 29:24: owning entity
    u16 number;     ///< bits 15:0: function number
    bool mbz_ok;    ///< bits 23:16 are zero, as SMCCC requires for fast calls
};

/// Split a function ID into its fields. (Lab 1)
SmcccId decode_smccc(u32 function_id);

/// One hypercall: arguments in vcpu.r(1..5), results to vcpu.r(0..3).
using HypercallFn = void (*)(Vcpu& vcpu);

// The vendor-hypervisor calls (kernel/vendor_calls.cpp unless noted).
void hc_null(Vcpu& vcpu);
void hc_console_write(Vcpu& vcpu);
void hc_vcpu_yield(Vcpu& vcpu);
void hc_vm_info(Vcpu& vcpu);
void hc_trap_count(Vcpu& vcpu);
void hc_revision(Vcpu& vcpu);

/// PSCI (owner 4). (Lab 1: VERSION, FEATURES, SYSTEM_OFF, SYSTEM_RESET)
void psci_call(Vcpu& vcpu, u32 function_id);

/// A host pointer to guest-physical [gpa, gpa+len) if all of it is RAM of `vm`, else nullptr. (Lab 1)
const u8* guest_range(const Vm& vm, u32 gpa, u32 len);

/// MV_CALL_CONSOLE_WRITE: returns the byte count or a negative status. (Lab 1)
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len);

}  // namespace mv
