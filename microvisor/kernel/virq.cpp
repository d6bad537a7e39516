// SPDX-License-Identifier: MIT
// Lab 4's virtual interrupts in the life of the kernel: the list registers
// follow every entry and vCPU switch (the registry's VirqOps, which the
// scheduler calls); the virtual timer, the VMs' devices and the emulated UART
// reach their distributors; an interrupt wakes its vCPU.
//
// The list registers go back to the distributor (vgic_sync) lazily: not at
// every exit, as KVM does, but before the first use of a distributor after
// it (virq_sync()). An exit that touches no interrupt, such as a null
// hypercall, leaves the list registers as the guest left them, and the entry
// after it has nothing to fill: the trap path of a Lab 4 image costs what a
// Lab 3 image's does, plus one check.
//
// Physical interrupts a VM owns are forwarded with the list register's HW
// bit: the microvisor acknowledges them and drops their priority, and the
// guest's virtual EOI deactivates them. The virtual timer (PPI 27) is one:
// its physical active state belongs to the vCPU whose timer fired, so it is
// kept per vCPU across switches, as KVM does (VgicCpu::timer_active).
#include "kernel/virq.hpp"

#include "arch.hpp"
#include "drivers/gic.hpp"
#include "gich.hpp"
#include "kernel/console.hpp"
#include "kernel/console_input.hpp"
#include "kernel/registry.hpp"
#include "kernel/run.hpp"
#include "kernel/system.hpp"
#include "kernel/trace.hpp"
#include "vdev/list_registers.hpp"

namespace mv {
namespace {

constexpr u32 TIMER = gic::PPI_VIRT_TIMER;

// The vCPU whose interrupts are in the list registers and not synced back
// since its guest last ran, or nullptr: the distributors are the whole truth.
Vcpu* live = nullptr;

u32 list_registers() { return (arch::gich_read(gich::VTR) & gich::VTR_LISTREGS_MASK) + 1; }

// The virtual CPU interface holds nobody's interrupts.
void clear_gich() {
    arch::gich_write(gich::HCR, 0);
    arch::gich_write(gich::APR, 0);
    for (u32 i = 0; i < list_registers(); ++i) arch::gich_write(gich::LR0 + 4 * i, 0);
}

Vm* owner_of(u32 spi) {
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const VmConfig& c = system_config.vms[i];
        for (u32 k = 0; k < c.nirqs; ++k)
            if (c.irqs[k] == spi) return &system_config.vm_pool[i];
    }
    return nullptr;
}

// --- VirqOps -----------------------------------------------------------------

void boot() {
    clear_gich();
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const VmConfig& c = system_config.vms[i];
        for (u32 k = 0; k < c.nirqs; ++k) gic::enable_spi(c.irqs[k], 0xa0);  // sysgen checked they are SPIs
    }
}

void vm_started(Vm& vm) {
    vm.vgic.reset(vm.config->vcpus);
    vm.vgic.trace_as(trace::index(vm.vcpus));
    vm.vgic.forward(TIMER, TIMER);
    for (u32 k = 0; k < vm.config->nirqs; ++k) {
        u32 id = vm.config->irqs[k];
        vm.vgic.forward(id, static_cast<u16>(id));
        gic::set_active(id, false);  // an EOI the old guest owed is forgiven
    }
    // The guest's CPU interface is the hardware's GICV, where a virt board has
    // its GICC. Mapped once: the guest's own unmap cannot reach it (memory_services.cpp).
    u64 pa;
    S2Attrs a;
    if (!vm.stage2.translate(gic::GUEST_GICC_BASE, pa, a) &&
        vm.stage2.map(gic::GUEST_GICC_BASE, gic::GICV_BASE, gic::GICV_SIZE, {true, true, false, true}) != S2Status::ok)
        vm_crash(vm, "no stage-2 tables left to map its GIC CPU interface");
    if (running_vcpu() == nullptr) {  // boot, or the running vCPU was reset: what GICH holds is stale
        live = nullptr;
        clear_gich();
        gic::set_active(TIMER, false);
    }
}

// Out of line: the fast path of enter() stays a compare and a return.
[[gnu::noinline]] void refill(Vcpu& v) {
    virq_sync();
    v.vm->vgic.trace_flush(v.id);
    vgic_flush(v);
    live = &v;
}

void enter(Vcpu& v) {
    if (live != &v) refill(v);  // else nothing touched an interrupt: the LRs hold what the guest left
}

void leave(Vcpu& v) {
    virq_sync();
    vgic_save(v);
    v.vgic.timer_active = gic::active(TIMER);
    if (v.vgic.timer_active) gic::set_active(TIMER, false);  // free for the next vCPU's timer
}

void take(Vcpu& v) {
    vgic_restore(v);
    if (v.vgic.timer_active) gic::set_active(TIMER, true);  // its guest still owes the EOI
}

// WFI: the running vCPU's priority mask and active priorities are live in GICH.
// An interrupt still pending at the physical GIC is signalled again first: the
// guest may have deactivated a hardware-linked one whose level is still high
// (its timer, late by a period), which QEMU would not signal (gic::resample).
bool pending(Vcpu& v) {
    gic::resample();
    virq_sync();
    v.vgic.vmcr = arch::gich_read(gich::VMCR);
    v.vgic.apr = arch::gich_read(gich::APR);
    return virq_pending(v);
}

bool waits_for_device() {
    for (u32 i = 0; i < system_config.nvms; ++i) {
        const Vm& vm = system_config.vm_pool[i];
        if (vm.finished()) continue;
        if (vm.config->nirqs > 0 || (vm.id() == console_input_focus() && vpl011_rx_by_interrupt(vm.uart)))
            return true;
    }
    return false;
}

void device_line(Vm& vm, u32 id, bool high) {
    virq_sync();
    vm.vgic.set_line(0, id, high);  // an SPI: no vCPU's bank
    if (high) virq_wake(vm);
}

void console_input(Vm& vm) { device_line(vm, VPL011_IRQ, vpl011_irq_level(vm.uart)); }

bool forward(u32 id) {
    Vm* vm = owner_of(id);
    if (vm == nullptr || vm->finished()) {
        kprintf("MV: interrupt %u of no running VM ignored\n", id);
        gic::disable(id);
        return true;
    }
    vm->vgic.trace_raise(0, id, trace::Source::device);
    virq_sync();
    vm->vgic.raise(0, id);
    virq_wake_for(*vm, id);
    return false;  // the guest's EOI deactivates it (HW = 1)
}

constexpr VirqOps ops{boot,    vm_started,       enter,       leave,         take,
                      pending, waits_for_device, device_line, console_input, forward};

// --- physical interrupts -------------------------------------------------------

// A list register of the running vCPU `v` that holds nothing now: one whose
// interrupt the guest has ended (GICH_ELRSR), which goes back to the
// distributor first, as vgic_sync() would take it (the interrupt may be the
// one to inject again); else one the last flush left empty (v.vgic.used
// counts it once it is written). MAX_LRS if none is free.
u32 free_list_register(Vcpu& v) {
    u32 used = v.vgic.used;
    u32 empty = used == 0 ? 0 : arch::gich_read(gich::ELRSR0) & (used >= 32 ? ~0u : (1u << used) - 1);
    if (empty == 0) return used < list_registers() ? used : gich::MAX_LRS;
    u32 i = static_cast<u32>(__builtin_ctz(empty));
    u32 lr = arch::gich_read(gich::LR0 + 4 * i);
    u32 id = lr & gich::LR_ID_MASK;
    u32 source = (lr & gich::LR_HW) == 0 && id < VGIC_SGIS ? (lr >> gich::LR_CPUID_SHIFT) & gich::LR_CPUID_MASK : 0;
    v.vm->vgic.from_lr(v.id, id, source, false, false);
    return i;
}

// The fast path of a forwarded interrupt for the running vCPU `v` (the
// virtual timer): while its list registers are live and one is free, the
// interrupt goes straight there, as Xen's gic_raise_guest_irq does, without
// a sync and a flush (which order LRs by priority: the GICV takes the best
// of them whatever the order).
bool inject_now(Vcpu& v, u32 id) {
    if (live != &v) return false;
    u32 i = free_list_register(v);
    Virq x;
    if (i == gich::MAX_LRS || !v.vm->vgic.inject(v.id, id, x)) return false;
    if (i == v.vgic.used) ++v.vgic.used;
    arch::gich_write(gich::LR0 + 4 * i, x.id | u32{x.priority} >> 3 << gich::LR_PRIORITY_SHIFT |
                                            (x.group1 ? gich::LR_GRP1 : 0) | gich::LR_PENDING | gich::LR_HW |
                                            u32{x.phys} << gich::LR_PHYS_SHIFT);
    return true;
}

// The running vCPU's virtual timer fired: its guest takes PPI 27, linked to
// the physical one.
bool on_virtual_timer(u32 id) {
    Vcpu* v = running_vcpu();
    if (v == nullptr) return true;  // no guest's timer is live: cannot happen, but harmless
    v->vm->vgic.trace_raise(v->id, id, trace::Source::timer);
    if (!inject_now(*v, id)) {
        virq_sync();
        v->vm->vgic.raise(v->id, id);
    }
    if (v->priority != v->vm->config->priority) run_wake(*v);  // the interrupt ends a waiver
    return false;
}

// GICH asks for maintenance (a refill, an EOI): the list registers go back
// to the distributor, and the entry after it fills them again.
bool on_maintenance(u32) {
    virq_sync();
    return true;
}

}  // namespace

namespace {

[[gnu::noinline]] void sync_live() {  // out of line: virq_sync() with nothing to do is a compare
    vgic_sync(*live);
    live = nullptr;
}

}  // namespace

void virq_sync() {
    if (live != nullptr) sync_live();
}

namespace {

bool waits(const Vcpu& v) {
    return v.state == VcpuState::blocked ||
           (v.state == VcpuState::runnable && v.priority != v.vm->config->priority);
}

// Whether v's virtual CPU interface would signal interrupt `id` of its
// distributor, pending: virq_pending()'s rule, for one interrupt, with v's
// saved mask and running priority (kernel code keeps the running vCPU's current).
bool would_take(const Vcpu& v, u32 id) {
    u8 priority;
    bool group1;
    if (!v.vm->vgic.offered(v.id, id, priority, group1)) return false;
    u32 ceiling = v.vgic.vmcr >> gich::VMCR_PMR_SHIFT;
    if (v.vgic.apr != 0 && static_cast<u32>(__builtin_ctz(v.vgic.apr)) < ceiling)
        ceiling = static_cast<u32>(__builtin_ctz(v.vgic.apr));
    return (v.vgic.vmcr & (group1 ? gich::VMCR_GRP1_EN : gich::VMCR_GRP0_EN)) != 0 && u32{priority} >> 3 < ceiling;
}

}  // namespace

void virq_wake_for(Vm& vm, u32 id) {
    for (u32 c = 0; c < vm.config->vcpus; ++c) {
        Vcpu& v = vm.vcpus[c];
        if (!waits(v)) continue;
        if (&v == running_vcpu()) {  // a waived vCPU on the CPU: its mask is live in GICH
            v.vgic.vmcr = arch::gich_read(gich::VMCR);
            v.vgic.apr = arch::gich_read(gich::APR);
        }
        if (would_take(v, id)) run_wake(v);
    }
}

void virq_raise(Vm& vm, u32 spi) {
    vm.vgic.trace_raise(0, spi, trace::Source::line);
    virq_sync();
    vm.vgic.raise(0, spi);  // an SPI: no vCPU's bank
    virq_wake_for(vm, spi);
}

void virq_wake(Vm& vm) {
    virq_sync();
    for (u32 c = 0; c < vm.config->vcpus; ++c) {
        Vcpu& v = vm.vcpus[c];
        if (waits(v) && virq_pending(v)) run_wake(v);
    }
}

MV_VIRQ(ops);
MV_IRQ_HANDLER(gic::PPI_VIRT_TIMER, on_virtual_timer);
MV_IRQ_HANDLER(gic::PPI_MAINTENANCE, on_maintenance);

}  // namespace mv
