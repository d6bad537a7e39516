// SPDX-License-Identifier: MIT
// What the base microvisor (Lab 1) offers guests: its trap classes, and the
// small vendor-hypervisor calls: null, console write, VM info, trap counts,
// and the SMCCC revision query.
#include "kernel/hypercall.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

u32 status(i32 s) { return static_cast<u32>(s); }

void hc_null(Vcpu& vcpu) { vcpu.r(0) = status(MV_OK); }

void hc_console_write(Vcpu& vcpu) { vcpu.r(0) = status(console_write(vcpu, vcpu.r(1), vcpu.r(2))); }

void hc_vm_info(Vcpu& vcpu) {
    vcpu.r(0) = status(MV_OK);
    vcpu.r(1) = vcpu.vm->id();
    vcpu.r(2) = vcpu.id;
    vcpu.r(3) = vcpu.vm->config->vcpus;
}

void hc_trap_count(Vcpu& vcpu) {
    u32 ec = vcpu.r(1);
    if (ec >= 64) {
        vcpu.r(0) = status(MV_INVALID_PARAMETERS);
        return;
    }
    vcpu.r(0) = status(MV_OK);
    vcpu.r(1) = vcpu.trap_count[ec];
}

}  // namespace

void hc_revision(Vcpu& vcpu) {
    vcpu.r(0) = MV_ABI_MAJOR;
    vcpu.r(1) = MV_ABI_MINOR;
}

MV_TRAP_CLASS(Ec::wfx, handle_wfx);
MV_TRAP_CLASS(Ec::hvc, handle_hvc);
MV_TRAP_CLASS(Ec::smc, handle_smc);
MV_TRAP_CLASS(Ec::pabt_lower, handle_guest_abort);
MV_TRAP_CLASS(Ec::dabt_lower, handle_guest_abort);

MV_VENDOR_CALL(MV_CALL_NULL, hc_null);
MV_VENDOR_CALL(MV_CALL_CONSOLE_WRITE, hc_console_write);
MV_VENDOR_CALL(MV_CALL_VM_INFO, hc_vm_info);
MV_VENDOR_CALL(MV_CALL_TRAP_COUNT, hc_trap_count);

}  // namespace mv
