// SPDX-License-Identifier: MIT
// The registry: what the labs plug into the microvisor.
//
// Each lab adds its trap classes, vendor hypercalls, PSCI functions and
// emulated devices by registering them in its own files:
//
//   MV_TRAP_CLASS(Ec::hcptr, handle_vfp_trap);          // kernel/vcpu_services.cpp
//   MV_VENDOR_CALL(MV_CALL_VCPU_YIELD, hc_vcpu_yield);  // kernel/vcpu_services.cpp
//   MV_PSCI_CALL(PSCI_CPU_ON, hc_cpu_on);               // kernel/vcpu_services.cpp
//   MV_MMIO_DEVICE(pl011, VPL011_BASE, VPL011_SIZE, uart_read, uart_write);
//   MV_IRQ_HANDLER(gic::PPI_VIRT_TIMER, on_virtual_timer);  // kernel/virq.cpp
//   MV_VIRQ(virq_ops);                                     // kernel/virq.cpp
//
// A registration is a static object whose constructor fills the tables
// below before mv_main() runs (boot.S runs the constructors). A system image
// links the files of the labs it is built for and no others (staging/), so
// its registry holds exactly their entries: a Lab 1 image answers
// MV_NOT_SUPPORTED to Lab 2's calls without a single run-time lab check.
// The dispatchers (kernel/trap.cpp, kernel/hypercall.cpp, kernel/psci.cpp,
// kernel/mmio.cpp) index these tables.
#pragma once

#include "kernel/hsr.hpp"
#include "lib/types.hpp"

namespace mv {

class Vcpu;
class Vm;

/// A trap handler: runs in HYP mode with the guest's registers in vcpu.frame.
using TrapHandler = void (*)(Vcpu& vcpu, const Hsr& hsr);
/// One hypercall: arguments in vcpu.r(1..5), results to vcpu.r(0..3).
using HypercallFn = void (*)(Vcpu& vcpu);

/// An emulated device: guest-physical [base, base + size) of every VM, with
/// the device's register read and write (offset from base, access of 1, 2 or
/// 4 bytes). The handlers find the device's state in `vm`.
struct MmioDevice {
    const char* name;
    u32 base;
    u32 size;
    u32 (*read)(Vm& vm, u32 offset, u32 size);
    void (*write)(Vm& vm, u32 offset, u32 size, u32 value);
};

/// A physical interrupt's handler, called with it acknowledged and its
/// priority dropped. It returns true if the microvisor is done with it (it
/// is deactivated), false if it was forwarded to a guest, whose virtual EOI
/// deactivates it through the list register's HW bit.
using IrqHandler = bool (*)(u32 id);

struct IrqEntry {
    u32 id;
    IrqHandler fn;
};

/// Lab 4's virtual interrupts, as the rest of the kernel reaches them: the
/// scheduler calls these at the points of a vCPU's life where the virtual CPU
/// interface must follow it (kernel/virq.cpp).
struct VirqOps {
    void (*boot)();                     ///< run_start(): the physical interrupts it needs on
    void (*vm_started)(Vm& vm);         ///< vm_start(), vm_reset(): a distributor as the board resets it
    void (*enter)(Vcpu& v);             ///< v's guest goes on (after every trap and IRQ): its list registers
    void (*leave)(Vcpu& v);             ///< v leaves the CPU (after save_context)
    void (*take)(Vcpu& v);              ///< v takes the CPU (after restore_context)
    bool (*pending)(Vcpu& v);           ///< an interrupt would end v's WFI now
    bool (*waits_for_device)();         ///< some VM may still be woken by a device (idle's deadlock check)
    void (*device_line)(Vm& vm, u32 id, bool high);  ///< an emulated device's interrupt output
    void (*console_input)(Vm& vm);      ///< the console typed something for vm: its UART's line
    IrqHandler forward;                 ///< a physical interrupt no handler claimed: a VM's device
};

/// A PSCI function ID and its handler.
struct PsciCall {
    u32 function_id;
    HypercallFn fn;
};

struct Registry final {
    static constexpr u32 TRAP_CLASSES = 64;   ///< HSR.EC is 6 bits
    static constexpr u32 VENDOR_CALLS = 16;   ///< vendor function numbers 0..15
    static constexpr u32 PSCI_CALLS = 8;
    static constexpr u32 MMIO_DEVICES = 8;
    static constexpr u32 IRQ_HANDLERS = 8;

    TrapHandler trap[TRAP_CLASSES] = {};      ///< by exception class; nullptr: none
    HypercallFn vendor[VENDOR_CALLS] = {};    ///< by function number (MV_CALL_* & 0xffff); nullptr: none
    PsciCall psci[PSCI_CALLS] = {};           ///< the first npsci are used
    u32 npsci = 0;
    MmioDevice device[MMIO_DEVICES] = {};     ///< the first ndevices are used
    u32 ndevices = 0;
    IrqEntry irq[IRQ_HANDLERS] = {};       ///< the first nirqs are used
    u32 nirqs = 0;
    const VirqOps* virq = nullptr;        ///< Lab 4 on; nullptr: no virtual interrupts
    /// Lab 3's MMIO emulation (kernel/mmio.cpp), once registered: the abort
    /// handler of Lab 1 offers it every stage-2 data abort first.
    bool (*emulate_mmio)(Vcpu& vcpu, const Hsr& hsr) = nullptr;
    /// Lab 6: a Linux VM's boot vCPU is reset; set it up by the Linux boot
    /// protocol (VmConfig::dtb). Returns false if the VM cannot boot (it crashed it).
    bool (*linux_boot)(Vm& vm, Vcpu& boot) = nullptr;
    /// A trap the microvisor does not handle, just before the guest gets it
    /// back (an abort, an undefined instruction): Lab 6 logs a Linux VM's, once each.
    void (*unhandled)(Vcpu& vcpu, const Hsr& hsr) = nullptr;
    /// The first registration that did not fit or clashed, or nullptr.
    const char* error = nullptr;

    /// The handler of PSCI function `function_id`, or nullptr.
    HypercallFn psci_call(u32 function_id) const;
    /// The handler of physical interrupt `id`, or nullptr.
    IrqHandler irq_handler(u32 id) const;
};

/// The registry of this image (read-only once the registrations ran; the
/// object itself is not const: host tests swap entries, autograder/common/host_fixture.hpp).
const Registry& registry();

/// An abort the guest's stage-2 map refused: let the registered MMIO
/// emulator (Lab 3 on) emulate it. False if there is none, or it declines
/// (then the registered `unhandled` hears of it).
bool try_emulate_mmio(Vcpu& vcpu, const Hsr& hsr);
/// A trap nobody handles: tell the registered `unhandled`, if any.
void report_unhandled(Vcpu& vcpu, const Hsr& hsr);

// The registrations (use the MV_* macros below).
struct RegisterTrapClass { RegisterTrapClass(Ec ec, TrapHandler h); };
struct RegisterVendorCall { RegisterVendorCall(u32 function_id, HypercallFn fn); };
struct RegisterPsciCall { RegisterPsciCall(u32 function_id, HypercallFn fn); };
struct RegisterMmioDevice { explicit RegisterMmioDevice(const MmioDevice& d); };
struct RegisterMmioEmulator { explicit RegisterMmioEmulator(bool (*fn)(Vcpu&, const Hsr&)); };
struct RegisterIrqHandler { RegisterIrqHandler(u32 id, IrqHandler fn); };
struct RegisterVirq { explicit RegisterVirq(const VirqOps& ops); };
struct RegisterLinuxBoot { explicit RegisterLinuxBoot(bool (*fn)(Vm&, Vcpu&)); };
struct RegisterUnhandled { explicit RegisterUnhandled(void (*fn)(Vcpu&, const Hsr&)); };

}  // namespace mv

#define MV_REG_CAT2(a, b) a##b
#define MV_REG_CAT(a, b) MV_REG_CAT2(a, b)
#define MV_REG_NAME MV_REG_CAT(mv_registration_, __LINE__)

/// Register `handler` for exception class `ec` (an Ec).
#define MV_TRAP_CLASS(ec, handler) \
    static const ::mv::RegisterTrapClass MV_REG_NAME { (ec), (handler) }
/// Register `fn` for the vendor hypercall `function_id` (an MV_CALL_*).
#define MV_VENDOR_CALL(function_id, fn) \
    static const ::mv::RegisterVendorCall MV_REG_NAME { (function_id), (fn) }
/// Register `fn` for the PSCI function `function_id` (a PSCI_*).
#define MV_PSCI_CALL(function_id, fn) \
    static const ::mv::RegisterPsciCall MV_REG_NAME { (function_id), (fn) }
/// Register an emulated device at guest-physical [base, base + size).
#define MV_MMIO_DEVICE(name, base, size, read, write) \
    static const ::mv::RegisterMmioDevice MV_REG_NAME { ::mv::MmioDevice{#name, (base), (size), (read), (write)} }
/// Register `fn` for physical interrupt `id` (the scheduler enables it at boot).
#define MV_IRQ_HANDLER(id, fn) static const ::mv::RegisterIrqHandler MV_REG_NAME { (id), (fn) }
/// Register the virtual interrupts' operations (Lab 4).
#define MV_VIRQ(ops) static const ::mv::RegisterVirq MV_REG_NAME { (ops) }
/// Register the Linux boot protocol (Lab 6).
#define MV_LINUX_BOOT(fn) static const ::mv::RegisterLinuxBoot MV_REG_NAME { (fn) }
/// Register what is told of the traps nobody handles (Lab 6).
#define MV_UNHANDLED(fn) static const ::mv::RegisterUnhandled MV_REG_NAME { (fn) }
/// Register the MMIO emulator (Lab 3).
#define MV_MMIO_EMULATOR(fn) static const ::mv::RegisterMmioEmulator MV_REG_NAME { (fn) }
