// SPDX-License-Identifier: MIT
// The registry: filled by the registrations' constructors before mv_main().
#include "kernel/registry.hpp"

#include "mv/abi.h"

namespace mv {
namespace {

constinit Registry the_registry{};

void fail(const char* what) {
    if (the_registry.error == nullptr) the_registry.error = what;
}

}  // namespace

const Registry& registry() { return the_registry; }

HypercallFn Registry::psci_call(u32 function_id) const {
    for (u32 i = 0; i < npsci; ++i)
        if (psci[i].function_id == function_id) return psci[i].fn;
    return nullptr;
}

IrqHandler Registry::irq_handler(u32 id) const {
    for (u32 i = 0; i < nirqs; ++i)
        if (irq[i].id == id) return irq[i].fn;
    return nullptr;
}

bool try_emulate_mmio(Vcpu& vcpu, const Hsr& hsr) {
    if (hsr.ec == Ec::dabt_lower && the_registry.emulate_mmio != nullptr && the_registry.emulate_mmio(vcpu, hsr))
        return true;
    report_unhandled(vcpu, hsr);
    return false;
}

void report_unhandled(Vcpu& vcpu, const Hsr& hsr) {
    if (the_registry.unhandled != nullptr) the_registry.unhandled(vcpu, hsr);
}

RegisterTrapClass::RegisterTrapClass(Ec ec, TrapHandler h) {
    TrapHandler& slot = the_registry.trap[static_cast<u32>(ec) % Registry::TRAP_CLASSES];
    if (slot != nullptr) fail("two handlers for one exception class");
    slot = h;
}

RegisterVendorCall::RegisterVendorCall(u32 function_id, HypercallFn fn) {
    u32 n = function_id & MV_SMCCC_FUNC_MASK;
    if (n >= Registry::VENDOR_CALLS)
        fail("a vendor call numbered beyond Registry::VENDOR_CALLS");
    else if (the_registry.vendor[n] != nullptr)
        fail("two handlers for one vendor call");
    else
        the_registry.vendor[n] = fn;
}

RegisterPsciCall::RegisterPsciCall(u32 function_id, HypercallFn fn) {
    if (the_registry.psci_call(function_id) != nullptr)
        fail("two handlers for one PSCI function");
    else if (the_registry.npsci == Registry::PSCI_CALLS)
        fail("more PSCI functions than Registry::PSCI_CALLS");
    else
        the_registry.psci[the_registry.npsci++] = {function_id, fn};
}

RegisterMmioDevice::RegisterMmioDevice(const MmioDevice& d) {
    bool overlap = false;
    for (u32 i = 0; i < the_registry.ndevices; ++i) {
        const MmioDevice& o = the_registry.device[i];
        overlap = overlap || d.base - o.base < o.size || o.base - d.base < d.size;
    }
    if (overlap)
        fail("two MMIO devices overlap");
    else if (the_registry.ndevices == Registry::MMIO_DEVICES)
        fail("more devices than Registry::MMIO_DEVICES");
    else
        the_registry.device[the_registry.ndevices++] = d;
}

RegisterMmioEmulator::RegisterMmioEmulator(bool (*fn)(Vcpu&, const Hsr&)) {
    if (the_registry.emulate_mmio != nullptr)
        fail("two MMIO emulators");
    else
        the_registry.emulate_mmio = fn;
}

RegisterUnhandled::RegisterUnhandled(void (*fn)(Vcpu&, const Hsr&)) {
    if (the_registry.unhandled != nullptr)
        fail("two reports of unhandled traps");
    else
        the_registry.unhandled = fn;
}

RegisterLinuxBoot::RegisterLinuxBoot(bool (*fn)(Vm&, Vcpu&)) {
    if (the_registry.linux_boot != nullptr)
        fail("two Linux boot protocols");
    else
        the_registry.linux_boot = fn;
}

RegisterIrqHandler::RegisterIrqHandler(u32 id, IrqHandler fn) {
    if (the_registry.irq_handler(id) != nullptr)
        fail("two handlers for one physical interrupt");
    else if (the_registry.nirqs == Registry::IRQ_HANDLERS)
        fail("more interrupt handlers than Registry::IRQ_HANDLERS");
    else
        the_registry.irq[the_registry.nirqs++] = {id, fn};
}

RegisterVirq::RegisterVirq(const VirqOps& ops) {
    if (the_registry.virq != nullptr)
        fail("two sets of virtual interrupt operations");
    else
        the_registry.virq = &ops;
}

}  // namespace mv
