// SPDX-License-Identifier: MIT
// The trace ring (kernel/trace.hpp): linked into traced images only.
#include "kernel/trace.hpp"

#if MV_TRACE
#include "arch.hpp"
#include "config/system_config.hpp"
#include "kernel/console.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv::trace {
namespace {

struct Event {
    u64 time;  ///< CNTPCT
    u16 vcpu;
    u8 kind;
    u8 pad;
    u16 a;
    u16 pad2;
    u32 b;
};
static_assert(sizeof(Event) == 24);

constexpr u32 CAPACITY = 65536;  // a power of two: the index wraps with a mask (1.5 MiB: a Linux boot fits)
Event ring[CAPACITY];
u32 next = 0;  // events recorded so far; the ring holds the last CAPACITY

}  // namespace

void record(Kind kind, u32 vcpu, u32 a, u32 b) {
    Event& e = ring[next++ & (CAPACITY - 1)];
    e.time = arch::read64<reg::CNTPCT>();
    e.vcpu = static_cast<u16>(vcpu);
    e.kind = static_cast<u8>(kind);
    e.a = static_cast<u16>(a);
    e.b = b;
}

u32 index(const Vcpu* v) { return v != nullptr ? static_cast<u32>(v - system_config.vcpu_pool) : NONE; }

void dump() {
    const u32 kept = next < CAPACITY ? next : CAPACITY;
    kprintf("MV-TRACE begin %u %u %u\n", arch::read<reg::CNTFRQ>(), kept, next - kept);
    for (u32 i = 0; i < system_config.nvcpus; ++i) {
        const Vcpu& v = system_config.vcpu_pool[i];
        kprintf("MV-TRACE vcpu %u %s %u\n", i, v.vm->config->name, v.id);
    }
    for (u32 i = next - kept; i != next; ++i) {
        const Event& e = ring[i & (CAPACITY - 1)];
        kprintf("MV-TRACE e %x%08x %u %x %x %x\n", static_cast<u32>(e.time >> 32), static_cast<u32>(e.time),
                e.kind, e.vcpu, e.a, e.b);
    }
    kprintf("MV-TRACE end\n");
}

}  // namespace mv::trace
#endif  // MV_TRACE
