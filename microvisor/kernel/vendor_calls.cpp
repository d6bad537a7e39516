// SPDX-License-Identifier: MIT
// The small vendor-hypervisor calls: null, yield, VM info, trap counts, the SMCCC revision query.
#include "kernel/hypercall.hpp"
#include "kernel/preempt.hpp"
#include "kernel/system.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {
u32 status(i32 s) { return static_cast<u32>(s); }
}  // namespace

void hc_null(Vcpu& vcpu) { vcpu.r(0) = status(MV_OK); }

void hc_console_write(Vcpu& vcpu) {
    u32 gpa = vcpu.r(1), len = vcpu.r(2);
    if (len <= MV_CONSOLE_MAX && !guest_buffer_mapped(vcpu, gpa, len)) {
        vcpu.r(0) = status(MV_INVALID_ADDRESS);  // Lab 3 on: unmapped at stage 2 just now
        return;
    }
    vcpu.r(0) = status(console_write(vcpu, gpa, len));
}

void hc_vcpu_yield(Vcpu& vcpu) {
    vcpu.r(0) = status(MV_OK);
    if (scheduling()) vcpu_yield(vcpu);
}

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

void hc_revision(Vcpu& vcpu) {
    vcpu.r(0) = MV_ABI_MAJOR;
    vcpu.r(1) = MV_ABI_MINOR;
}

}  // namespace mv
