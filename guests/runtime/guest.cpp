// SPDX-License-Identifier: MIT
// The guest runtime: console, power, exceptions and result lines.
#include "guest.hpp"

#include "lib/format.hpp"

extern "C" mv::u8 __params[];  // guest.ld: the parameter page

namespace guest {
namespace {

struct LineBuffer {
    char buf[256];
    u32 used = 0;
    void flush() {
        if (used > 0) console_write(buf, used);
        used = 0;
    }
    void put(char c) {
        buf[used++] = c;
        if (c == '\n' || used == sizeof(buf)) flush();
    }
};

LineBuffer line;
ExcHook hook = nullptr;
bool (*irq_hook)(ExcFrame&) = nullptr;

const char* exc_name(Exc k) {
    static const char* const names[] = {"reset", "undefined instruction", "SVC", "prefetch abort",
                                        "data abort", "unused", "IRQ", "FIQ"};
    return names[static_cast<u32>(k) & 7];
}

}  // namespace

void vprintf(const char* fmt, va_list ap) {
    mv::vformat([](void*, char c) { line.put(c); }, nullptr, fmt, ap);
}

void printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void power_off() {
    line.flush();
    hvc(PSCI_SYSTEM_OFF);
    for (;;) asm volatile("wfi");  // not reached while the microvisor works
}

void reset() {
    line.flush();
    hvc(PSCI_SYSTEM_RESET);
    for (;;) asm volatile("wfi");
}

void set_exception_hook(ExcHook h) { hook = h; }
void set_irq_hook(bool (*irq)(ExcFrame&)) { irq_hook = irq; }

void timer_at_us(u64 us) {
    u64 cval = us * cntfrq() / 1000000;
    asm volatile("mcrr p15, 3, %0, %1, c14" ::"r"(static_cast<u32>(cval)), "r"(static_cast<u32>(cval >> 32)));
    asm volatile("mcr p15, 0, %0, c14, c3, 1\n isb" ::"r"(3u));  // CNTV_CTL: ENABLE | IMASK
}

void timer_off() { asm volatile("mcr p15, 0, %0, c14, c3, 1\n isb" ::"r"(0u)); }

void sleep_us(u64 us) {
    u64 until = now_us() + us;
    timer_at_us(until);
    while (now_us() < until) asm volatile("dsb\n wfi");
    timer_off();
}

u32 param_token() { return *reinterpret_cast<volatile u32*>(__params); }
u32 param_selector() { return *reinterpret_cast<volatile u32*>(__params + 4); }

}  // namespace guest

using namespace guest;

extern "C" void guest_exception(u32 kind, ExcFrame* frame) {
    Exc k = static_cast<Exc>(kind);
    if (k == Exc::irq && frame != nullptr && irq_hook != nullptr && irq_hook(*frame)) return;
    if (frame != nullptr && hook != nullptr && hook(k, *frame)) return;
    mvt::fail("unexpected_exception", "%s, lr %#x, spsr %#x", exc_name(k), frame ? frame->lr : 0,
              frame ? frame->spsr : 0);
    power_off();
}

extern "C" void guest_start() {
    main();
    power_off();
}

extern "C" void guest_secondary_start(u32 context) {
    secondary_main(context);
    hvc(PSCI_CPU_OFF);
    for (;;) asm volatile("wfi");
}

// Guests that start no secondary vCPUs need no secondary_main.
[[gnu::weak]] void secondary_main(u32) {}

namespace mvt {
namespace {
void line_start(const char* what) { guest::printf("@@MVT %08x %s", param_token(), what); }

void vfail(const char* name, const char* fmt, va_list ap) {
    line_start("FAIL");
    guest::printf(" %s: ", name);
    guest::vprintf(fmt, ap);
    guest::printf("\n");
}
}  // namespace

void pass(const char* name) {
    line_start("PASS");
    guest::printf(" %s\n", name);
}

void fail(const char* name, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(name, fmt, ap);
    va_end(ap);
}

void value(const char* name, long long v) {
    line_start("VALUE");
    guest::printf(" %s %lld\n", name, v);
}

void done() {
    line_start("DONE");
    guest::printf("\n");
}

bool expect(bool ok, const char* name, const char* fmt, ...) {
    if (ok) {
        pass(name);
        return true;
    }
    va_list ap;
    va_start(ap, fmt);
    vfail(name, fmt, ap);
    va_end(ap);
    return false;
}
}  // namespace mvt
