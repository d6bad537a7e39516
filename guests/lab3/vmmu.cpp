// SPDX-License-Identifier: MIT
// Lab 3 test guest: isolation and permissions under the VM's own stage-2
// tables (systems/lab3-vmmu.toml: two VMs, both at guest-physical 0x40000000).
#include "guest.hpp"

using namespace guest;

namespace {

constexpr u32 RAM_END = 0x40400000;
constexpr u32 READ_ONLY = 0x40800000;   // a 4 KiB region with writable = false
constexpr u32 NO_EXEC = 0x40801000;     // a 4 KiB region with executable = false

volatile u32 marker;
volatile u32 aborts, abort_kind, abort_far, resume_to;

u32 dfar() { u32 v; asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(v)); return v; }
u32 ifar() { u32 v; asm volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(v)); return v; }

bool on_abort(Exc kind, ExcFrame& f) {
    if (kind != Exc::dabt && kind != Exc::pabt) return false;
    aborts = aborts + 1;
    abort_kind = static_cast<u32>(kind);
    abort_far = kind == Exc::dabt ? dfar() : ifar();
    f.lr = kind == Exc::dabt ? f.lr - 4 : resume_to;  // past the load/store, or back to the caller
    return true;
}

u32 vm_id() { return hvc(MV_CALL_VM_INFO).r1; }

// Every VM runs this same image at the same guest-physical address.
void same_address() {
    u32 me = 0x1000 + vm_id();
    marker = me;
    for (u32 round = 0; round < 20; ++round) {
        for (u64 until = now_us() + 700; now_us() < until;) {
        }
        if (marker != me) {
            mvt::fail("same_address", "VM %u's variable at %p changed to %#x", vm_id(), &marker, marker);
            return;
        }
        hvc(MV_CALL_VCPU_YIELD);
    }
    mvt::pass("same_address");
}

// Each access outside the VM's memory is refused with an abort naming its address.
bool refused(u32 addr, bool write) {
    u32 before = aborts;
    if (write)
        *reinterpret_cast<volatile u32*>(addr) = 0xbad;
    else
        (void)*reinterpret_cast<volatile u32*>(addr);
    if (aborts != before + 1 || abort_kind != static_cast<u32>(Exc::dabt) || abort_far != addr) {
        mvt::fail("isolation", "%s %#x: expected one data abort with DFAR %#x, saw %u abort(s), DFAR %#x",
                  write ? "write to" : "read of", addr, addr, aborts - before, abort_far);
        return false;
    }
    return true;
}

void isolation() {
    set_exception_hook(on_abort);
    const u32 stray[] = {
        0x48400000,  // the other VM's RAM, by its physical address
        0x40f00000,  // where the microvisor's own RAM is physically: not in this VM's map
        RAM_END,     // the first byte after this VM's RAM
        0x08000000,  // the physical GIC distributor
        0x08030000,  // GICH: the hypervisor's own list registers
        0x09000000,  // the physical PL011
    };
    for (u32 a : stray)
        if (!refused(a, false) || !refused(a, true)) return;
    mvt::pass("isolation");
}

void read_only() {
    set_exception_hook(on_abort);
    u32 before = aborts;
    u32 v = *reinterpret_cast<volatile u32*>(READ_ONLY);
    if (aborts != before) {
        mvt::fail("read_only", "reading the read-only region aborted");
        return;
    }
    (void)v;
    if (refused(READ_ONLY + 8, true)) mvt::pass("read_only");
}

void no_execute() {
    set_exception_hook(on_abort);
    *reinterpret_cast<volatile u32*>(NO_EXEC) = 0xe12fff1e;  // bx lr: writable, but not executable
    asm volatile("dsb\n isb");
    u32 before = aborts, resume;
    asm volatile("adr %0, 1f" : "=r"(resume));
    resume_to = resume;
    asm volatile("blx %0\n1:" ::"r"(NO_EXEC) : "r0", "r1", "r2", "r3", "r12", "lr", "memory");
    if (aborts != before + 1 || abort_kind != static_cast<u32>(Exc::pabt) || abort_far != NO_EXEC)
        mvt::fail("no_execute", "expected a prefetch abort at %#x, saw %u abort(s) (kind %u, address %#x)", NO_EXEC,
                  aborts - before, abort_kind, abort_far);
    else
        mvt::pass("no_execute");
}

}  // namespace

int main() {
    switch (param_selector()) {
    case 1: same_address(); break;
    case 2: isolation(); break;
    case 3: read_only(); break;
    case 4: no_execute(); break;
    default: mvt::fail("selector", "no scenario %u: try SELECTOR=1", param_selector()); break;
    }
    mvt::done();
    return 0;
}
