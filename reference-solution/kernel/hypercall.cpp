// SPDX-License-Identifier: MIT
// Lab 1: the hypercall dispatcher (Arm SMCCC over HVC #0).
#include "kernel/hypercall.hpp"

#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

constexpr u16 SMCCC_REVISION_QUERY = MV_CALL_REVISION & MV_SMCCC_FUNC_MASK;

void vendor_call(Vcpu& vcpu, const SmcccId& id) {
    const Registry& r = registry();
    if (id.number < Registry::VENDOR_CALLS && r.vendor[id.number] != nullptr) {
        r.vendor[id.number](vcpu);
    } else if (id.number == SMCCC_REVISION_QUERY) {
        hc_revision(vcpu);
    } else {
        vcpu.r(0) = static_cast<u32>(MV_NOT_SUPPORTED);
    }
}

}  // namespace

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
