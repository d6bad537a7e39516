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

/// PSCI for the vCPUs of one VM (PSCI 1.0 sections 5.1.3-5.1.5); kernel/psci_cpu.cpp. (Lab 2)
i32 psci_cpu_on(Vcpu& caller, u32 target_mpidr, u32 entry, u32 context_id);
void psci_cpu_off(Vcpu& caller);
i32 psci_affinity_info(Vcpu& caller, u32 target_mpidr, u32 level);

/// The PSCI calls of later labs, for psci_call(): true if `function_id` was
/// handled (labs 2 on: CPU_ON, CPU_OFF, AFFINITY_INFO); false in Lab 1 systems.
bool psci_smp_call(Vcpu& vcpu, u32 function_id);
/// Whether psci_smp_call() implements `function_id` in this system (for PSCI_FEATURES).
bool psci_smp_implemented(u32 function_id);

/// MV_CALL_PRIORITY_WAIVE (labs 2 on; MV_NOT_SUPPORTED in Lab 1 systems).
void hc_priority_waive(Vcpu& vcpu);
/// Labs 3 on: every page of guest-physical [gpa, gpa + len) is mapped readable
/// RAM in the caller's Stage2 now (it may have unmapped part of its memory).
/// Always true in earlier systems, whose map is the description's regions.
bool guest_buffer_mapped(const Vcpu& vcpu, u32 gpa, u32 len);

/// MV_CALL_MEM_UNMAP and MV_CALL_MEM_MAP (labs 3 on; MV_NOT_SUPPORTED before).
void hc_mem_unmap(Vcpu& vcpu);
void hc_mem_map(Vcpu& vcpu);

/// A host pointer to guest-physical [gpa, gpa+len) if all of it is RAM of `vm`, else nullptr. (Lab 1)
const u8* guest_range(const Vm& vm, u32 gpa, u32 len);

/// MV_CALL_CONSOLE_WRITE: returns the byte count or a negative status. (Lab 1)
i32 console_write(Vcpu& vcpu, u32 gpa, u32 len);

}  // namespace mv
