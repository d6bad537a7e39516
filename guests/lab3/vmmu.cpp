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
        0x0a000000,  // virtio-mmio: not given to this VM
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

// 5: a guest that thinks it owns a PL011: the microvisor emulates it.
constexpr u32 UART = 0x09000000;
volatile u32& uart(u32 off) { return *reinterpret_cast<volatile u32*>(UART + off); }

void pl011() {
    const char msg[] = "pl011: hello through the emulated UART\n";
    for (const char* p = msg; *p != '\0'; ++p) {
        while ((uart(0x18) & (1u << 5)) != 0) {  // FR.TXFF
        }
        uart(0x00) = static_cast<u8>(*p);
    }
    u32 fr = uart(0x18);
    u32 id0 = uart(0xfe0), cell3 = uart(0xffc);
    i32 cell3_signed;
    u32 cell3_byte;
    asm volatile("ldrsb %0, [%1]" : "=r"(cell3_signed) : "r"(UART + 0xffc) : "memory");
    asm volatile("ldrb %0, [%1]" : "=r"(cell3_byte) : "r"(UART + 0xffc) : "memory");
    uart(0x38) = 0x50;  // IMSC: remembered
    u32 imsc = uart(0x38);
    if ((fr & (1u << 7)) == 0)
        mvt::fail("pl011", "FR = %#x: TXFE (bit 7) should be set", fr);
    else if (id0 != 0x11 || cell3 != 0xb1)
        mvt::fail("pl011", "PeriphID0 = %#x, PCellID3 = %#x: expected 0x11 and 0xb1", id0, cell3);
    else if (cell3_signed != -79 || cell3_byte != 0xb1)
        mvt::fail("pl011", "LDRSB of PCellID3 gave %d, LDRB %#x: expected -79 (sign-extended 0xb1) and 0xb1",
                  cell3_signed, cell3_byte);
    else if (imsc != 0x50)
        mvt::fail("pl011", "IMSC reads %#x after writing 0x50", imsc);
    else
        mvt::pass("pl011");
}

// 6: an access the syndrome cannot describe (LDM: ISV = 0) is refused, not guessed.
void isv0() {
    set_exception_hook(on_abort);
    u32 before = aborts;
    asm volatile("ldm %0, {r2, r3}" ::"r"(UART) : "r2", "r3", "memory");
    if (aborts != before + 1 || abort_kind != static_cast<u32>(Exc::dabt))
        mvt::fail("isv0", "LDM from the emulated UART: expected one data abort, saw %u", aborts - before);
    else
        mvt::pass("isv0");
}

// 7: unmapping part of a 2 MiB block splits it; mapping it again restores it.
void split() {
    set_exception_hook(on_abort);
    const u32 page = 0x40300000;  // inside the second 2 MiB block of this VM's RAM
    *reinterpret_cast<volatile u32*>(page) = 0x5ee1;
    i32 r = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, page, 0x1000).r0);
    if (r != MV_OK) {
        mvt::fail("split", "MV_CALL_MEM_UNMAP of one page returned %d", r);
        return;
    }
    u32 before = aborts;
    u32 left = *reinterpret_cast<volatile u32*>(page - 0x1000);
    u32 right = *reinterpret_cast<volatile u32*>(page + 0x1000);
    (void)left;
    (void)right;
    if (aborts != before) {
        mvt::fail("split", "the pages next to the unmapped one aborted: the block was not split right");
        return;
    }
    if (!refused(page, false)) return;
    if ((r = console_write(reinterpret_cast<const void*>(page + 0xff0), 32)) != MV_INVALID_ADDRESS) {
        mvt::fail("split", "a console write from the unmapped page returned %d, expected -9", r);
        return;
    }
    if ((r = static_cast<i32>(hvc(MV_CALL_MEM_MAP, page, 0x1000).r0)) != MV_OK) {
        mvt::fail("split", "MV_CALL_MEM_MAP of the page returned %d", r);
        return;
    }
    u32 v = *reinterpret_cast<volatile u32*>(page);
    i32 again = static_cast<i32>(hvc(MV_CALL_MEM_MAP, page, 0x1000).r0);
    i32 outside = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, 0x50000000, 0x1000).r0);
    i32 unaligned = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, page + 4, 0x1000).r0);
    if (v != 0x5ee1)
        mvt::fail("split", "the page mapped again reads %#x, expected 0x5ee1: the same memory", v);
    else if (again != MV_DENIED || outside != MV_INVALID_PARAMETERS || unaligned != MV_INVALID_PARAMETERS)
        mvt::fail("split", "map of a mapped page %d (want -3), unmap outside %d (-2), unaligned %d (-2)", again,
                  outside, unaligned);
    else
        mvt::pass("split");
}

// 8: a region the system description names in both VMs is the same memory.
void shared_page() {
    struct Mailbox {
        volatile u32 ping, pong;
    };
    auto* box = reinterpret_cast<Mailbox*>(0x40802000);
    u32 id = vm_id();
    for (u32 i = 0; i < 200000; ++i) {
        if (id == 0 && box->ping == 0) box->ping = 0xaaaa0000;
        if (id == 1 && box->ping == 0xaaaa0000) box->pong = 0xbbbb0000;
        if (box->ping == 0xaaaa0000 && box->pong == 0xbbbb0000) {
            mvt::pass("shared_page");
            return;
        }
        hvc(MV_CALL_VCPU_YIELD);
    }
    mvt::fail("shared_page", "VM %u never saw the other VM's word in the shared page (ping %#x, pong %#x)", id,
              box->ping, box->pong);
}

}  // namespace

int main() {
    switch (param_selector()) {
    case 1: same_address(); break;
    case 2: isolation(); break;
    case 3: read_only(); break;
    case 4: no_execute(); break;
    case 5: pl011(); break;
    case 6: isv0(); break;
    case 7: split(); break;
    case 8: shared_page(); break;
    default: mvt::fail("selector", "no scenario %u: try SELECTOR=1", param_selector()); break;
    }
    mvt::done();
    return 0;
}
