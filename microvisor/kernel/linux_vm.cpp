// SPDX-License-Identifier: MIT
// Lab 6: what the microvisor does for a Linux VM beyond a course guest's:
// enter it by the Linux boot protocol (the lab file kernel/linux_boot.cpp),
// and say where it touched what the microvisor does not handle.
//
// Linux finds out what a machine has by touching it. Each access of a Linux
// VM that nothing handles (an abort outside its memory and emulated devices,
// a system register access made undefined) is logged once, with its address,
// before the guest gets it back: the gaps between what Linux expects and
// what the microvisor offers show up at a glance, and a probe Linux repeats
// does not flood the console. A course guest's are its tests' business.
#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/hsr.hpp"
#include "kernel/linux_boot.hpp"
#include "kernel/registry.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

struct Seen {
    u32 vm, ec, where;
};
constexpr u32 MAX_SEEN = 32;
Seen seen[MAX_SEEN];
u32 nseen = 0;

void log_unhandled(Vcpu& vcpu, const Hsr& hsr) {
    const Vm& vm = *vcpu.vm;
    if (vm.config->dtb == 0 || nseen > MAX_SEEN) return;
    const bool abort = hsr.ec == Ec::dabt_lower || hsr.ec == Ec::pabt_lower;
    // An abort's guest-physical address (HPFAR holds bits 39:12, the FAR the page offset);
    // a coprocessor access's ISS, which names the register.
    const u32 far = hsr.ec == Ec::dabt_lower ? arch::read<reg::HDFAR>() : arch::read<reg::HIFAR>();
    const u32 where = abort ? (arch::read<reg::HPFAR>() & ~0xfu) << 8 | (far & 0xfff) : hsr.iss;
    const u32 ec = static_cast<u32>(hsr.ec);
    for (u32 i = 0; i < nseen; ++i)
        if (seen[i].vm == vm.id() && seen[i].ec == ec && seen[i].where == where) return;
    if (nseen == MAX_SEEN) {
        kprintf("MV: more unhandled accesses than %u: no more are logged\n", MAX_SEEN);
        ++nseen;
        return;
    }
    seen[nseen++] = {vm.id(), ec, where};
    if (abort)
        kprintf("MV: VM %u (%s): unhandled %s at %#x (pc %#x)\n", vm.id(),
                vm.name(), hsr.ec == Ec::dabt_lower ? (hsr.iss & (1u << 6) ? "write" : "read") : "fetch", where,
                vcpu.frame.elr);
    else
        kprintf("MV: VM %u (%s): unhandled %s access (class %#x, ISS %#x) at pc %#x\n",
                vm.id(), vm.name(), hsr.ec == Ec::cp14_32 ? "CP14" : "CP15", ec, where, vcpu.frame.elr);
}

}  // namespace

MV_LINUX_BOOT(linux_boot);
MV_UNHANDLED(log_unhandled);

}  // namespace mv
