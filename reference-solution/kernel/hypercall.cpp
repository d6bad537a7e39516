// SPDX-License-Identifier: MIT
// Lab 1: the hypercall dispatcher (Arm SMCCC over HVC #0).
#include "kernel/hypercall.hpp"

#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

// The vendor-hypervisor calls, indexed by function number (MV_CALL_* & 0xffff).
// Numbers without an entry (later labs) answer MV_NOT_SUPPORTED.
constexpr HypercallFn vendor_calls[] = {
    hc_null,           // 0 MV_CALL_NULL
    hc_console_write,  // 1 MV_CALL_CONSOLE_WRITE
    hc_vcpu_yield,     // 2 MV_CALL_VCPU_YIELD
    hc_vm_info,        // 3 MV_CALL_VM_INFO
    nullptr,           // 4 MV_CALL_VIRQ_RAISE (lab 4)
    nullptr,           // 5 MV_CALL_CHANNEL_SEND (lab 5)
    nullptr,           // 6 MV_CALL_CHANNEL_RECV (lab 5)
    nullptr,           // 7 MV_CALL_CHANNEL_STATUS (lab 5)
    hc_priority_waive, // 8 MV_CALL_PRIORITY_WAIVE
    hc_trap_count,     // 9 MV_CALL_TRAP_COUNT
    hc_mem_unmap,      // 10 MV_CALL_MEM_UNMAP (lab 3)
    hc_mem_map,        // 11 MV_CALL_MEM_MAP (lab 3)
};
constexpr u32 n_vendor_calls = sizeof(vendor_calls) / sizeof(vendor_calls[0]);
static_assert((MV_CALL_MEM_MAP & MV_SMCCC_FUNC_MASK) == n_vendor_calls - 1);

constexpr u16 SMCCC_REVISION_QUERY = MV_CALL_REVISION & MV_SMCCC_FUNC_MASK;

void vendor_call(Vcpu& vcpu, const SmcccId& id) {
    if (id.number < n_vendor_calls && vendor_calls[id.number] != nullptr) {
        vendor_calls[id.number](vcpu);
    } else if (id.number == SMCCC_REVISION_QUERY) {
        hc_revision(vcpu);
    } else {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
    }
}

}  // namespace

SmcccId decode_smccc(u32 fid) {
    SmcccId id{};
    id.fast = (fid & MV_SMCCC_FAST_CALL) != 0;
    id.smc64 = (fid & MV_SMCCC_64BIT) != 0;
    id.owner = static_cast<u8>((fid >> MV_SMCCC_OWNER_SHIFT) & MV_SMCCC_OWNER_MASK);
    id.number = static_cast<u16>(fid & MV_SMCCC_FUNC_MASK);
    id.mbz_ok = ((fid >> 16) & 0xff) == 0;
    return id;
}

void handle_hvc(Vcpu& vcpu, const Hsr& hsr) {
    // SMCCC uses HVC #0 only. ELR_hyp already points past the HVC (4 bytes in
    // both instruction sets), so the HVC itself is 4 bytes before it.
    if ((hsr.iss & 0xffff) != 0) {
        inject_undef(vcpu, vcpu.frame.elr - 4, vcpu.thumb());
        return;
    }
    u32 fid = vcpu.r(0);
    SmcccId id = decode_smccc(fid);
    if (!id.fast || id.smc64 || !id.mbz_ok) {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
        return;
    }
    switch (id.owner) {
    case MV_SMCCC_OWNER_STD:
        psci_call(vcpu, fid);
        break;
    case MV_SMCCC_OWNER_VENDOR_HYP:
        vendor_call(vcpu, id);
        break;
    default:
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
        break;
    }
}

}  // namespace mv
