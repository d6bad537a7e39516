// SPDX-License-Identifier: MIT
// The demo guest: says who it is, makes a few hypercalls, survives an undefined
// instruction and a stray access, shares the CPU with the other VM, and powers off.
#include "guest.hpp"

using namespace guest;

namespace {

u32 caught = 0;

bool on_exception(Exc kind, ExcFrame& f) {
    if (kind == Exc::undef) {
        printf("  caught an undefined instruction; resuming at %#x\n", f.lr);
        ++caught;
        return true;  // LR_und already points past the SMC
    }
    if (kind == Exc::dabt) {
        u32 dfar;
        asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
        printf("  caught a data abort at %#x; skipping the load\n", dfar);
        f.lr -= 4;  // LR_abt = load + 8: resume at the next instruction
        ++caught;
        return true;
    }
    return false;
}

}  // namespace

int main() {
    HvcResult info = hvc(MV_CALL_VM_INFO);
    HvcResult version = hvc(PSCI_VERSION);
    printf("Hello from VM %u (vCPU %u of %u), running at PL1 in mode %#x\n", info.r1, info.r2,
           info.r3, cpsr() & 0x1f);
    printf("  PSCI version %u.%u\n", version.r0 >> 16, version.r0 & 0xffff);
    set_exception_hook(on_exception);
    asm volatile("smc #0");  // no secure monitor for guests: undefined
    volatile u32 sink = *reinterpret_cast<volatile u32*>(0x0a000000);  // outside this VM
    (void)sink;
    sleep_us(500);           // WFI: the microvisor runs the other VM meanwhile
    printf("  %u exceptions reflected\n", caught);
    // The board's PL011, as this VM sees it: emulated by the microvisor.
    for (const char* p = "  this line went through my own (emulated) PL011\n"; *p != '\0'; ++p)
        *reinterpret_cast<volatile u32*>(0x09000000) = static_cast<u8>(*p);
    // Share the CPU: each line is ~2.5 ms of virtual time apart, longer than a
    // 1 ms time slice, so the VMs' lines interleave.
    for (u32 i = 1; i <= 4; ++i) {
        for (u64 until = now_us() + 2500; now_us() < until;) {
        }
        printf("  VM %u still running at %u us (step %u of 4)\n", info.r1, static_cast<u32>(now_us()), i);
    }
    printf("  powering off\n");
    return 0;
}
