// SPDX-License-Identifier: MIT
// VM lifecycle: start, power off, reset, crash.
#include "kernel/vm.hpp"

#include <stdarg.h>

#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/registry.hpp"
#include "kernel/run.hpp"
#include "kernel/system.hpp"
#include "kernel/trace.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm_memory.hpp"
#include "lib/format.hpp"

namespace mv {
namespace {

void stop_vcpus(Vm& vm, VcpuState state) {
    for (u32 c = 0; c < vm.config->vcpus; ++c) {
        Vcpu& v = vm.vcpus[c];
        v.state = state;
        run_stop(v);
    }
}

// Lab 4: the VM's interrupt controller as the board resets it.
void reset_virq(Vm& vm) {
    if (const VirqOps* ops = registry().virq) ops->vm_started(vm);
}

void start_boot_vcpu(Vm& vm) {
    Vcpu& boot = vm.vcpus[0];
    boot.reset(vm.config->entry);
    // Lab 6: a Linux VM (sysgen refuses one below Lab 6, which registers the protocol).
    if (vm.config->dtb != 0 && !registry().linux_boot(vm, boot)) return;
    boot.state = VcpuState::runnable;
    run_ready(boot);
}

}  // namespace

void vm_start(Vm& vm, u64 epoch) {
    if (!vm_memory_build(vm)) panic("VM %s: its stage-2 map does not fit in its tables", vm.name());
    vm.state = VmState::running;
    vm.cntvoff = epoch;                        // the VM's virtual count starts at 0
    arch::flush_guest_tlb();                   // the VMID may have been used by an earlier map
    reset_virq(vm);
    start_boot_vcpu(vm);
}

void vm_power_off(Vm& vm) {
    trace::record(trace::Kind::vm_stop, trace::index(vm.vcpus), vm.id(), 0);
    vm.state = VmState::powered_off;
    stop_vcpus(vm, VcpuState::stopped);
    kprintf("MV: VM %u (%s) powered off\n", vm.id(), vm.name());
}

void vm_reset(Vm& vm) {
    // A reset machine has all its memory again: undo the guest's MV_CALL_MEM_UNMAPs.
    if (!vm_memory_restore(vm)) {
        vm_crash(vm, "its stage-2 map could not be rebuilt on reset (no tables left)");
        return;
    }
    stop_vcpus(vm, VcpuState::off);
    for (u32 c = 0; c < vm.config->vcpus; ++c)
        if (&vm.vcpus[c] == running_vcpu()) forget_running();  // its hardware state is stale now
    reset_virq(vm);
    start_boot_vcpu(vm);
    kprintf("MV: VM %u (%s) reset\n", vm.id(), vm.name());
}

void vm_crash(Vm& vm, const char* fmt, ...) {
    trace::record(trace::Kind::vm_stop, trace::index(vm.vcpus), vm.id(), 1);
    vm.state = VmState::crashed;
    stop_vcpus(vm, VcpuState::stopped);
    kprintf("MV: VM %u (%s) crashed: ", vm.id(), vm.name());
    va_list ap;
    va_start(ap, fmt);
    vformat([](void*, char c) { console_putc(c); }, nullptr, fmt, ap);
    va_end(ap);
    kprintf("\n");
}

}  // namespace mv
