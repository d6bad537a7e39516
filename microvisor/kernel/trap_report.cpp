// SPDX-License-Identifier: MIT
// What each VM cost the microvisor, printed at the end of a system whose
// description asks for it (`[system] trap_report = true`): its traps by
// exception class and the physical interrupts that stopped it. `make
// bench-linux` reads these lines to say where a slower workload's time went.
#include "kernel/system.hpp"

#include "arch.hpp"
#include "kernel/console.hpp"

namespace mv {

void report_traps() {
    if (!system_config.trap_report) return;
    const u32 per_ms = arch::read<reg::CNTFRQ>() / 1000;
    const u32 ms = per_ms != 0 ? static_cast<u32>(arch::read64<reg::CNTPCT>() / per_ms) : 0;
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const Vm& vm = system_config.vm_pool[i];
        u32 irqs = 0;
        for (u32 c = 0; c < vm.config->vcpus; ++c) irqs += vm.vcpus[c].irq_exits;
        kprintf("MV: traps %s in %u ms: irq %u", vm.config->name, ms, irqs);
        for (u32 ec = 0; ec < 64; ++ec) {
            u32 n = 0;
            for (u32 c = 0; c < vm.config->vcpus; ++c) n += vm.vcpus[c].trap_count[ec];
            if (n != 0) kprintf(", ec %#x %u", ec, n);
        }
        kprintf("\n");
    }
}

}  // namespace mv
