// SPDX-License-Identifier: MIT
// The running system: VM bookkeeping, the running vCPU, and the end.
#include "kernel/system.hpp"

#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/registry.hpp"
#include "kernel/vm_memory.hpp"
#include "arch/armv7/lpae.hpp"

namespace mv {
namespace {

Vcpu* current = nullptr;
u32 boot_sctlr = 0;  // SCTLR as the board reset it: what a fresh guest finds

// HCR (ARM ARM B4.1.65): what traps to HYP while a guest runs.
constexpr u32 HCR_VM = 1u << 0;     // stage-2 translation on
constexpr u32 HCR_IMO = 1u << 4;    // physical IRQs to HYP (the HYP timer)
constexpr u32 HCR_TWI = 1u << 13;   // trap WFI
constexpr u32 HCR_TWE = 1u << 14;   // trap WFE
constexpr u32 HCR_TSC = 1u << 19;   // trap SMC
constexpr u32 GUEST_HCR = HCR_VM | HCR_IMO | HCR_TWI | HCR_TWE | HCR_TSC;
// CNTHCTL (B4.1.22): PL1 may read the physical counter (PL1PCTEN) but not
// use the physical timer, which the VMs would have to share.
constexpr u32 CNTHCTL_PL1PCTEN = 1u << 0;
// HDCR (B4.1.66): trap the debug registers (TDRA, TDOSA, TDA); HPMN keeps all PMU counters guest-visible.
constexpr u32 HDCR_TRAP_DEBUG = (1u << 11) | (1u << 10) | (1u << 9);
// HSTR (B4.1.73): trap CP15 c15, IMPLEMENTATION DEFINED registers.
constexpr u32 HSTR_T15 = 1u << 15;

}  // namespace

void system_init() {
    if (registry().error != nullptr) panic("registry: %s", registry().error);
    boot_sctlr = arch::read<reg::SCTLR>();
    Vcpu* next_vcpu = system_config.vcpu_pool;
    for (u32 i = 0; i < system_config.nvms; ++i) {
        Vm& vm = system_config.vm_pool[i];
        vm.config = &system_config.vms[i];
        vm.vcpus = next_vcpu;
        vm.uart.vm_id = i;
        for (u32 c = 0; c < vm.config->vcpus; ++c) {
            next_vcpu[c].vm = &vm;
            next_vcpu[c].id = c;
        }
        next_vcpu += vm.config->vcpus;
    }
    arch::write<reg::HCR>(GUEST_HCR);
    arch::write<reg::CNTHCTL>(CNTHCTL_PL1PCTEN);
    arch::write<reg::HDCR>(HDCR_TRAP_DEBUG | ((arch::read<reg::PMCR>() >> 11) & 0x1f));
    arch::write<reg::HSTR>(HSTR_T15);
    arch::write<reg::VTCR>(lpae::VTCR_VALUE);
    vm_memory_init();
    arch::isb();
}

Vcpu& current_vcpu() { return *current; }

Vcpu* running_vcpu() { return current; }

void forget_running() { current = nullptr; }

u32 guest_reset_sctlr() { return boot_sctlr; }

void switch_to(Vcpu& v) {
    current = &v;
    arch::write<reg::HTPIDR>(static_cast<u32>(arch::virt_to_phys(&v.frame)));
    arch::write64<reg::VTTBR>(vm_vttbr(*v.vm));
    arch::write<reg::VMPIDR>((1u << 31) | v.id);
    arch::write<reg::VPIDR>(arch::read<reg::MIDR>());
    arch::isb();
}

void reset_guest_cpu_state(const Vcpu& v) {
    arch::write<reg::SCTLR>(boot_sctlr);
    arch::write<reg::VBAR>(0);
    arch::write<reg::TTBCR>(0);
    arch::write64<reg::TTBR0>(0);
    arch::write64<reg::TTBR1>(0);
    arch::write<reg::DACR>(0);
    arch::write<reg::CONTEXTIDR>(0);
    arch::write<reg::TPIDRURW>(0);
    arch::write<reg::TPIDRURO>(0);
    arch::write<reg::TPIDRPRW>(0);
    arch::write<reg::CPACR>(0);
    arch::write<reg::DFSR>(0);
    arch::write<reg::IFSR>(0);
    arch::write<reg::DFAR>(0);
    arch::write<reg::IFAR>(0);
    constexpr Mode banked_modes[] = {Mode::svc, Mode::abt, Mode::und, Mode::irq, Mode::fiq};
    for (Mode m : banked_modes) {
        arch::set_banked_sp(m, 0);
        arch::set_banked_lr(m, 0);
        arch::set_banked_spsr(m, 0);
    }
    arch::write<reg::VMPIDR>((1u << 31) | v.id);
    arch::isb();
}

void end_if_all_finished() {
    bool crashed = false;
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const Vm& vm = system_config.vm_pool[i];
        if (!vm.finished()) return;
        crashed = crashed || vm.state == VmState::crashed;
    }
    if (crashed) {
        kprintf("MV: system halted: a VM crashed\n");
        arch::exit_system(static_cast<int>(ExitStatus::vm_crashed));
    }
    kprintf("MV: all VMs powered off\n");
    arch::exit_system(static_cast<int>(ExitStatus::all_off));
}

}  // namespace mv
