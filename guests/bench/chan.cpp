// SPDX-License-Identifier: MIT
// Lab 5's benchmarks (chan.hpp): a channel's round trip and the throughput of
// a stream of messages over it, against a memcpy in the same guest (the
// bound); and the same two over a ring in shared memory plus interrupt lines
// (shm.cpp), the alternative the OKL4 paper argues against.
//
// Selectors (VM 0 measures, VM 1 is the partner):
//   1 (bench-chan)      ping-pong over channel 0
//   2 (bench-chan)      memcpy bounds in VM 0, then streams over channel 0
//   3 (bench-chan-shm)  ping-pong over the shared ring
//   4 (bench-chan-shm)  streams over the shared ring
//
// Both VMs have one priority: a send that wakes the receiver does not
// preempt the sender, which goes on until it has to wait (its queue full, or
// the answer not yet there). So a stream moves in batches of up to a queue's
// depth per pair of vCPU switches, as a producer and a consumer that share a
// CPU would. Waiting is wait_irq(): WFI with IRQs masked at the CPU, then the
// interrupt acknowledged and ended at the GICV, no exception taken.
#include "chan.hpp"

#include "channel.hpp"
#include "gic.hpp"

using namespace guest;

namespace chan {
namespace {

volatile u32* const GICC_IAR = reinterpret_cast<volatile u32*>(gic::GICC + 0x0c);
volatile u32* const GICC_EOIR = reinterpret_cast<volatile u32*>(gic::GICC + 0x10);

constexpr u32 MAX = 2048;  // the largest message (the channel's message_size, the ring's slot)
u8 tx[MAX] __attribute__((aligned(8)));
u8 rx[MAX] __attribute__((aligned(8)));

// The figures of the streams, by size (SIZES).
const char* const CHANNEL_NAMES[] = {"channel_throughput_64", "channel_throughput_1k", "channel_throughput_2k"};
const char* const SHM_NAMES[] = {"shm_virq_64", "shm_virq_1k", "shm_virq_2k"};
const char* const MEMCPY_NAMES[] = {"memcpy_bound_64", "memcpy_bound_1k", "memcpy_bound_2k"};

void put32(u8* p, u32 v) { __builtin_memcpy(p, &v, 4); }
u32 get32(const u8* p) {
    u32 v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

// The transports: send and receive one message, MV_OK, MV_WOULD_BLOCK or an
// error (mv/abi.h), never waiting.
constexpr u32 CHANNEL = 0;      // systems/bench-chan.toml: the one channel
constexpr u32 CHANNEL_SPI = 80;  // its notification (80 + handle)

struct Channel {
    static void attach() { gic::enable(CHANNEL_SPI, 0x80, nullptr); }
    static i32 send(const void* buf, u32 len) { return channel::send(CHANNEL, buf, len); }
    static i32 recv(void* buf, u32 room, u32& len) { return channel::recv(CHANNEL, buf, room, len); }
};

struct Ring {
    static void attach() { shm_attach(); }
    static i32 send(const void* buf, u32 len) { return shm_send(buf, len); }
    static i32 recv(void* buf, u32 room, u32& len) { return shm_recv(buf, room, len); }
};

// Send or receive, waiting while the transport says MV_WOULD_BLOCK; false
// (after a FAIL line) on any other error.
template <typename T>
bool send(const char* what, const void* buf, u32 len) {
    i32 rc;
    while ((rc = T::send(buf, len)) == MV_WOULD_BLOCK) wait_irq();
    if (rc == MV_OK) return true;
    mvt::fail(what, "a send of %u bytes was to succeed, it returned %d", len, rc);
    return false;
}

template <typename T>
bool recv(const char* what, void* buf, u32 room, u32& len) {
    i32 rc;
    while ((rc = T::recv(buf, room, len)) == MV_WOULD_BLOCK) wait_irq();
    if (rc == MV_OK) return true;
    mvt::fail(what, "a receive (room %u) was to succeed, it returned %d", room, rc);
    return false;
}

/// A message of `len` bytes numbered `seq` (its first word) was expected: was it?
bool check(const char* what, u32 len, u32 want_len, u32 seq) {
    if (len == want_len && get32(rx) == seq) return true;
    mvt::fail(what, "message #%u was to be %u bytes starting with 0x%x, it was %u bytes starting with 0x%x",
              seq, want_len, seq, len, get32(rx));
    return false;
}

// Ping-pong, VM 0: a small message there and back, timed over ROUND_TRIPS.
template <typename T>
void ping_pong_measure(const char* name) {
    u64 t0 = 0;
    for (u32 i = 0; i < WARM_TRIPS + ROUND_TRIPS; ++i) {
        if (i == WARM_TRIPS) t0 = cntvct();
        put32(tx, i);
        u32 len = 0;
        if (!send<T>(name, tx, PING_BYTES) || !recv<T>(name, rx, MAX, len) || !check(name, len, PING_BYTES, i))
            return;
    }
    // CNTVCT ticks every 16 instructions: over 1,024 round trips that is
    // less than one instruction each.
    report(name, static_cast<u32>(instructions(cntvct() - t0) / ROUND_TRIPS), "instructions");
}

// Ping-pong, VM 1: send back what comes.
template <typename T>
void ping_pong_partner(const char* name) {
    for (u32 i = 0; i < WARM_TRIPS + ROUND_TRIPS; ++i) {
        u32 len = 0;
        if (!recv<T>(name, rx, MAX, len) || !check(name, len, PING_BYTES, i) || !send<T>(name, rx, len)) return;
    }
}

// One stream, VM 0: `n` messages of `size` bytes, numbered from 0, then the
// partner's acknowledgement {messages received}.
template <typename T>
bool stream_out(const char* name, u32 size, u32 n) {
    for (u32 i = 0; i < n; ++i) {
        put32(tx, i);
        if (!send<T>(name, tx, size)) return false;
    }
    u32 len = 0;
    if (!recv<T>(name, rx, MAX, len)) return false;
    if (len == 4 && get32(rx) == n) return true;
    mvt::fail(name, "the acknowledgement was to say %u messages (4 bytes), it said 0x%x (%u bytes)", n, get32(rx),
              len);
    return false;
}

// One stream, VM 1: receive `n` messages of `size` bytes, numbered from 0
// (each checked: length and number), then acknowledge.
template <typename T>
bool stream_in(const char* name, u32 size, u32 n) {
    for (u32 i = 0; i < n; ++i) {
        u32 len = 0;
        if (!recv<T>(name, rx, MAX, len) || !check(name, len, size, i)) return false;
    }
    put32(tx, n);
    return send<T>(name, tx, 4);
}

// Streams, VM 0: for each size, a warm-up stream, then MESSAGES timed from
// the first send to the acknowledgement of the last (one short message back).
template <typename T>
void streams_measure(const char* const* names) {
    for (u32 k = 0; k < NSIZES; ++k) {
        const char* name = names[k];
        if (!stream_out<T>(name, SIZES[k], WARM_MESSAGES)) return;
        u64 t0 = cntvct();
        if (!stream_out<T>(name, SIZES[k], MESSAGES)) return;
        report(name, per_kinstr(static_cast<u64>(MESSAGES) * SIZES[k], instructions(cntvct() - t0)), "B/kinstr");
    }
}

template <typename T>
void streams_partner(const char* const* names) {
    for (u32 k = 0; k < NSIZES; ++k)
        if (!stream_in<T>(names[k], SIZES[k], WARM_MESSAGES) || !stream_in<T>(names[k], SIZES[k], MESSAGES)) return;
}

// Selector 2, VM 0, before the streams (the partner, past its boot since
// run()'s first round trip, waits in WFI): the memcpy of the guest's runtime (the one the microvisor is built with too),
// buffer to buffer, timed with CNTVCT as the streams are (REPS copies: the
// 16-instruction tick is lost in them).
void memcpy_bounds() {
    constexpr u32 REPS = 256;
    for (u32 k = 0; k < NSIZES; ++k) {
        u32 size = SIZES[k];
        __builtin_memcpy(rx, tx, size);  // warm up
        u64 t0 = cntvct();
        for (u32 i = 0; i < REPS; ++i) {
            __builtin_memcpy(rx, tx, size);
            asm volatile("" ::: "memory");  // each copy is made
        }
        report(MEMCPY_NAMES[k], per_kinstr(static_cast<u64>(REPS) * size, instructions(cntvct() - t0)), "B/kinstr");
    }
}

template <typename T>
void run(u32 selector, bool measures) {
    gic::irq_off();
    gic::init_distributor();
    gic::init_cpu();
    T::attach();
    bool ping = selector == 1 || selector == 3;
    const char* ping_name = selector == 1 ? "channel_ping_pong" : "shm_virq_ping_pong";
    const char* const* names = selector == 2 ? CHANNEL_NAMES : SHM_NAMES;
    if (selector == 2) {  // one round trip first: the partner has booted and waits
        u32 len = 0;
        bool ok = measures ? send<T>("sync", tx, 4) && recv<T>("sync", rx, MAX, len)
                           : recv<T>("sync", rx, MAX, len) && send<T>("sync", rx, len);
        if (!ok) return;
    }
    if (measures) {
        if (selector == 2) memcpy_bounds();
        ping ? ping_pong_measure<T>(ping_name) : streams_measure<T>(names);
    } else {
        ping ? ping_pong_partner<T>(ping_name) : streams_partner<T>(names);
    }
}

}  // namespace

void report(const char* name, u32 value, const char* unit) { printf("@@BENCH %s %u %s\n", name, value, unit); }

u64 instructions(u64 ticks) { return ticks * 1000000000ull / cntfrq(); }

u32 per_kinstr(u64 bytes, u64 instr) { return static_cast<u32>((bytes * 1000 + instr / 2) / instr); }

void wait_irq() {
    asm volatile("dsb\n wfi" ::: "memory");  // with CPSR.I set, a pending interrupt still ends it
    u32 iar = *GICC_IAR;
    if ((iar & 0x3ff) != gic::SPURIOUS) *GICC_EOIR = iar;
}

}  // namespace chan

int main() {
    bool measures = hvc(MV_CALL_VM_INFO).r1 == 0;
    u32 selector = param_selector();
    if (selector == 0 || selector > 4) {
        mvt::fail("selector", "a selector 1-4 was expected (guests/bench/chan.cpp), it was %u", selector);
        return 0;
    }
    if (selector <= 2) chan::run<chan::Channel>(selector, measures);
    else chan::run<chan::Ring>(selector, measures);
    return 0;
}
