// SPDX-License-Identifier: MIT
// Boot and the C++ side of HYP entry.
#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/run.hpp"
#include "kernel/system.hpp"
#include "kernel/trap.hpp"

#ifndef MV_BUILD_FLAVOR
#define MV_BUILD_FLAVOR "student"
#endif
#ifndef MV_VERSION
#define MV_VERSION "0.1"
#endif

namespace mv {
namespace {

void banner() {
    kprintf("\nMicrovisor Course Edition %s (%s build) in HYP mode\n", MV_VERSION, MV_BUILD_FLAVOR);
    kprintf("RAM %#x-%#x (%u MiB), system '%s' (a Lab %u image) with %u VM%s\n", system_config.ram_base,
            system_config.ram_base + (system_config.ram_size - 1), system_config.ram_size >> 20,
            system_config.name, system_config.lab, system_config.nvms, system_config.nvms == 1 ? "" : "s");
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const VmConfig& vm = system_config.vms[i];
        kprintf("  VM %u '%s': %u vCPU%s, priority %u, entry %#x\n", vm.id, vm.name, vm.vcpus,
                vm.vcpus == 1 ? "" : "s", vm.priority, vm.entry);
    }
}

}  // namespace
}  // namespace mv

using namespace mv;

/// Called by arch/armv7/boot.S with the boot CPSR.
extern "C" [[noreturn]] void mv_main(u32 cpsr) {
    if (psr::mode(cpsr) != Mode::hyp) {
        kprintf("MV_PANIC: started in mode %#x, not HYP (0x1a): run QEMU with -M virt,virtualization=on\n",
                cpsr & psr::MODE_MASK);
        arch::exit_system(static_cast<int>(ExitStatus::panic));
    }
    arch::enable_hyp_mmu();
    banner();
    system_init();
    run_start();
    arch::enter_guest();
}

/// A trap from the current guest (arch/armv7/vectors.S has saved its frame).
extern "C" void mv_hyp_trap() {
    take_trap(current_vcpu(), arch::read<reg::HSR>());
    run_after_trap();
}

/// A physical interrupt while a guest ran (HCR.IMO routes them to HYP).
extern "C" void mv_hyp_irq() {
    ++current_vcpu().irq_exits;
    run_irq();
    run_after_trap();
}

/// An exception in the microvisor itself: a bug.
extern "C" [[noreturn]] void mv_hyp_fault(u32 kind, u32 elr, u32 hsr) {
    static const char* const names[] = {"reset",         "undefined instruction", "HVC/SVC",
                                        "prefetch abort", "data abort",           "?",
                                        "?",             "FIQ (the microvisor enables none)"};
    panic("%s in the microvisor at pc %#x (HSR %#x, HDFAR %#x)", names[kind & 7], elr, hsr,
          arch::read<reg::HDFAR>());
}
