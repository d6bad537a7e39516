// SPDX-License-Identifier: MIT
// OKL4's virtual interrupt lines between VMs (Lab 4): kernel/irq_lines.hpp.
#include "kernel/irq_lines.hpp"

#include "config/system_config.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

u32 payloads[MAX_IRQ_LINES];  ///< by handle: the OR of what was raised since the last fetch

/// Line `handle` of the system description, or nullptr if there is none.
const IrqLine* line(u32 handle) {
    if (handle >= system_config.nirq_lines || handle >= MAX_IRQ_LINES) return nullptr;
    return &system_config.irq_lines[handle];
}

}  // namespace

i32 irq_line_raise(const Vm& caller, u32 handle, u32 payload) {
    const IrqLine* l = line(handle);
    if (l == nullptr) return MV_INVALID_PARAMETERS;
    if (caller.id() != l->source) return MV_DENIED;
    payloads[handle] |= payload;
    system_config.vm_pool[l->target].vgic.raise(0, l->irq);  // an SPI: no vCPU's bank
    return MV_OK;
}

i32 irq_line_fetch(const Vm& caller, u32 handle, u32& payload) {
    payload = 0;
    const IrqLine* l = line(handle);
    if (l == nullptr) return MV_INVALID_PARAMETERS;
    if (caller.id() != l->target) return MV_DENIED;
    payload = payloads[handle];
    payloads[handle] = 0;
    return MV_OK;
}

void irq_lines_reset() {
    for (u32& p : payloads) p = 0;
}

}  // namespace mv
