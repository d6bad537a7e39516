// SPDX-License-Identifier: MIT
// VM lifecycle: start, power off, reset, crash.
#include "kernel/vm.hpp"

#include <stdarg.h>

#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/scheduler.hpp"
#include "kernel/system.hpp"
#include "kernel/vcpu.hpp"
#include "lib/format.hpp"

namespace mv {
namespace {

void stop_vcpus(Vm& vm) {
    for (u32 c = 0; c < vm.config->vcpus; ++c) {
        if (scheduling()) scheduler.remove(vm.vcpus[c]);
        vm.vcpus[c].state = VcpuState::stopped;
    }
}

// Lab 3 on: the VM's own Stage2, with every region of its description mapped.
void map_regions(Vm& vm) {
    if (!vm.stage2.init(table_pool(), vm.vmid())) panic("VM %s: no table for its stage-2 map", vm.name());
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const MemRegion& r = vm.config->regions[i];
        S2Status s = vm_map_region(vm, r, r.gpa, r.size);
        if (s != S2Status::ok)
            panic("VM %s: mapping region %#x-%#x failed (%d)", vm.name(), r.gpa, r.gpa + (r.size - 1),
                  static_cast<int>(s));
    }
}

}  // namespace

S2Status vm_map_region(Vm& vm, const MemRegion& r, u32 gpa, u32 size) {
    S2Attrs a{true, r.writable, r.executable, r.kind == MemKind::Device};
    return vm.stage2.map(gpa, r.pa + (gpa - r.gpa), size, a);
}

u64 Vm::vttbr() const { return own_stage2() ? stage2.vttbr() : boot_map.vttbr(vmid()); }

void vm_start(Vm& vm) {
    if (own_stage2())
        map_regions(vm);
    else if (!vm.boot_map.build(*vm.config))
        panic("VM %s: memory regions not 2 MiB aligned", vm.name());
    vm.state = VmState::running;
    vm.cntvoff = arch::read64<reg::CNTPCT>();  // the VM's virtual count starts at 0
    Vcpu& boot = vm.vcpus[0];
    boot.reset(vm.config->entry);
    boot.state = VcpuState::runnable;
    arch::flush_guest_tlb();  // the VMID may have been used by an earlier map
    if (scheduling()) {
        scheduler.add(boot);  // reschedule() loads its state when it runs
    } else {
        switch_to(boot);
        reset_guest_cpu_state(boot);
    }
}

void vm_power_off(Vm& vm) {
    vm.state = VmState::powered_off;
    stop_vcpus(vm);
    kprintf("MV: VM %u (%s) powered off\n", vm.id(), vm.name());
}

void vm_reset(Vm& vm) {
    if (own_stage2()) {
        // A reset machine has all its memory again: undo the guest's MV_CALL_MEM_UNMAPs.
        for (u32 i = 0; i < vm.config->nregions; ++i) {
            const MemRegion& r = vm.config->regions[i];
            if (vm.stage2.unmap(r.gpa, r.size) != S2Status::ok ||
                vm_map_region(vm, r, r.gpa, r.size) != S2Status::ok) {
                vm_crash(vm, "its stage-2 map could not be rebuilt on reset (table pool empty)");
                return;
            }
        }
    }
    for (u32 c = 0; c < vm.config->vcpus; ++c) {
        Vcpu& v = vm.vcpus[c];
        if (scheduling()) scheduler.remove(v);
        if (&v == running_vcpu()) forget_running();  // its hardware state is stale now
        v.state = VcpuState::off;
    }
    Vcpu& boot = vm.vcpus[0];
    boot.reset(vm.config->entry);
    boot.state = VcpuState::runnable;
    if (scheduling()) {
        scheduler.add(boot);
    } else {
        switch_to(boot);
        reset_guest_cpu_state(boot);
    }
    kprintf("MV: VM %u (%s) reset\n", vm.id(), vm.name());
}

void vm_crash(Vm& vm, const char* fmt, ...) {
    vm.state = VmState::crashed;
    stop_vcpus(vm);
    kprintf("MV: VM %u (%s) crashed: ", vm.id(), vm.name());
    va_list ap;
    va_start(ap, fmt);
    vformat([](void*, char c) { console_putc(c); }, nullptr, fmt, ap);
    va_end(ap);
    kprintf("\n");
}

}  // namespace mv
