// SPDX-License-Identifier: MIT
// Lab 4: OKL4's virtual interrupt lines between VMs (kernel/irq_lines.hpp;
// book: Lab 4). A guest names a line by its handle, its index in
// system_config.irq_lines (nirq_lines of them; at most MAX_IRQ_LINES).
#include "kernel/irq_lines.hpp"

#include "config/system_config.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// Keep each line's payload where you like: a fixed array suffices (no heap).

// MV_INVALID_PARAMETERS for a handle that names no line, MV_DENIED if the
// caller (caller.id()) is not the line's source; either way nothing changes.
// Otherwise OR `payload` into the line's payload, make the line's virtual SPI
// (its irq) pending in the target VM's distributor as an edge
// (system_config.vm_pool[target].vgic.raise; an SPI is in no vCPU's bank:
// cpu 0), and return MV_OK. A payload of 0 raises too. The hypercall wakes
// the target's vCPUs afterwards: that is not yours.
i32 irq_line_raise(const Vm& caller, u32 handle, u32 payload) {
    MV_LAB_TODO(4);
}

// `payload` is 0 first, whatever happens. MV_INVALID_PARAMETERS for a handle
// that names no line, MV_DENIED if the caller is not the line's target.
// Otherwise `payload` gets the line's payload, which becomes 0, and MV_OK.
// The virtual SPI is left alone (the guest acknowledges it at its GIC).
i32 irq_line_fetch(const Vm& caller, u32 handle, u32& payload) {
    MV_LAB_TODO(4);
}

// Every line's payload becomes 0.
void irq_lines_reset() {
    MV_LAB_TODO(4);
}

}  // namespace mv
