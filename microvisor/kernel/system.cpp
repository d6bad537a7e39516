// SPDX-License-Identifier: MIT
// The running system: VM bookkeeping, the running vCPU, and the end.
#include "kernel/system.hpp"

#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/registry.hpp"
#include "kernel/trace.hpp"
#include "kernel/vm_memory.hpp"
#include "arch/armv7/lpae.hpp"

namespace mv {
namespace {

Vcpu* current = nullptr;
u32 boot_sctlr = 0;  // SCTLR as the board reset it: what a fresh guest finds

// HCR (ARM ARM B4.1.65): what traps to HYP while a guest runs.
constexpr u32 HCR_VM = 1u << 0;     // stage-2 translation on
constexpr u32 HCR_FMO = 1u << 3;    // physical FIQs to HYP
constexpr u32 HCR_IMO = 1u << 4;    // physical IRQs to HYP (the HYP timer)
constexpr u32 HCR_AMO = 1u << 5;    // asynchronous aborts to HYP
constexpr u32 HCR_TWI = 1u << 13;   // trap WFI
constexpr u32 HCR_TWE = 1u << 14;   // trap WFE
constexpr u32 HCR_TSC = 1u << 19;   // trap SMC
constexpr u32 HCR_TIDCP = 1u << 20; // trap IMPLEMENTATION DEFINED c9-c11 (kernel/cp15_traps.cpp)
constexpr u32 HCR_TAC = 1u << 21;   // trap ACTLR
constexpr u32 HCR_TSW = 1u << 22;   // trap set/way cache maintenance
constexpr u32 GUEST_HCR = HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TWI | HCR_TWE | HCR_TSC | HCR_TIDCP |
                          HCR_TAC | HCR_TSW;
// CNTHCTL (B4.1.22): PL1 may read the physical counter (PL1PCTEN) but not
// use the physical timer, which the VMs would have to share.
constexpr u32 CNTHCTL_PL1PCTEN = 1u << 0;
// HDCR (B4.1.66): trap the debug registers (TDRA, TDOSA, TDA); HPMN (bits
// 4:0) = PMCR.N gives every counter to the guest that has the PMU; the
// others trap every PMU access (TPM, TPMCR).
constexpr u32 HDCR_TRAP_DEBUG = (1u << 11) | (1u << 10) | (1u << 9);
constexpr u32 HDCR_TPM = 1u << 6, HDCR_TPMCR = 1u << 5;
constexpr u32 PMCR_N_SHIFT = 11, PMCR_N_MASK = 0x1f;  // PMCR.N, bits 15:11: the number of event counters
// HSTR (B4.1.73): trap CP15 c15 (IMPLEMENTATION DEFINED) and the ThumbEE registers (TTEE).
constexpr u32 HSTR_T15 = 1u << 15, HSTR_TTEE = 1u << 16;

u32 hdcr_pmu = 0;  // HDCR for a VM with the PMU; without it, TPM and TPMCR too

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
    hdcr_pmu = HDCR_TRAP_DEBUG | ((arch::read<reg::PMCR>() >> PMCR_N_SHIFT) & PMCR_N_MASK);
    arch::write<reg::HDCR>(hdcr_pmu | HDCR_TPM | HDCR_TPMCR);
    arch::write<reg::HSTR>(HSTR_T15 | HSTR_TTEE);
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
    arch::clear_exclusive();  // no LDREX of the last vCPU lets this one's STREX succeed
    arch::write<reg::HTPIDR>(static_cast<u32>(arch::virt_to_phys(&v.frame)));
    arch::write64<reg::VTTBR>(vm_vttbr(*v.vm));
    arch::write<reg::VMPIDR>((1u << 31) | v.id);
    arch::write<reg::VPIDR>(arch::read<reg::MIDR>());
    arch::write<reg::HDCR>(v.vm->config->pmu ? hdcr_pmu : hdcr_pmu | HDCR_TPM | HDCR_TPMCR);
    arch::isb();
}

void end_if_all_finished() {
    bool crashed = false;
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const Vm& vm = system_config.vm_pool[i];
        if (!vm.finished()) return;
        crashed = crashed || vm.state == VmState::crashed;
    }
    report_traps();
    trace::dump();
    if (crashed) {
        kprintf("MV: system halted: a VM crashed\n");
        arch::exit_system(static_cast<int>(ExitStatus::vm_crashed));
    }
    kprintf("MV: all VMs powered off\n");
    arch::exit_system(static_cast<int>(ExitStatus::all_off));
}

}  // namespace mv
