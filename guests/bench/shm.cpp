// SPDX-License-Identifier: MIT
// The alternative to a channel the OKL4 paper argues against (chan.hpp): the
// two VMs share a region (systems/bench-chan-shm.toml) holding a ring each way,
// and announce with an interrupt line each way (MV_CALL_VIRQ_RAISE). Each
// ring: `depth` slots {length, bytes} as a channel's queue, a head the
// producer advances and a tail the consumer advances. The copies are the
// channel's: the sender's into the slot, the slot's into the receiver's buffer;
// the microvisor only carries the interrupts.
//
// A line is raised on the channel's edges only: by the producer when the ring
// was empty (the consumer may wait), by the consumer when it was full (the
// producer may wait). One line per direction serves both rings: whoever
// waits tries again after any interrupt.
#include "chan.hpp"

#include "gic.hpp"

using namespace guest;

namespace chan {
namespace {

constexpr u32 SHARED = 0x48800000;  // the shared region's guest-physical base (both VMs)
constexpr u32 DEPTH = 32, SLOT = 2048;
constexpr u32 LINE_SPI[2] = {41, 40};  // the line each VM receives: VM 0 from VM 1 (line 1), VM 1 from VM 0 (line 0)

struct Slot {
    u32 len;
    u8 data[SLOT];
};

struct RingState {
    volatile u32 head;  ///< messages put, ever (the producer's)
    u32 pad0[15];
    volatile u32 tail;  ///< messages taken, ever (the consumer's)
    u32 pad1[15];
    Slot slots[DEPTH];
};

/// Ring d carries VM d's messages to the other VM.
RingState* ring(u32 d) { return reinterpret_cast<RingState*>(SHARED) + d; }

u32 me = 0;  // this VM's id: 0 or 1

void dmb() { asm volatile("dmb" ::: "memory"); }

void raise() { hvc(MV_CALL_VIRQ_RAISE, me, 0); }  // line `me` goes from VM `me` to the other

}  // namespace

void shm_attach() {
    me = hvc(MV_CALL_VM_INFO).r1;
    if (me == 0)  // before VM 1 sends: it sends only what VM 0 sent it
        for (u32 d = 0; d < 2; ++d) {
            ring(d)->head = 0;
            ring(d)->tail = 0;
        }
    gic::enable(LINE_SPI[me], 0x80, nullptr);
}

i32 shm_send(const void* buf, u32 len) {
    if (len > SLOT) return MV_TOO_BIG;
    RingState& r = *ring(me);
    u32 h = r.head;
    if (h - r.tail == DEPTH) return MV_WOULD_BLOCK;
    Slot& s = r.slots[h % DEPTH];
    __builtin_memcpy(s.data, buf, len);
    s.len = len;
    dmb();  // the slot before the head that publishes it
    r.head = h + 1;
    dmb();  // the head before the tail that says whether the consumer may wait
    if (r.tail == h) raise();  // it was empty
    return MV_OK;
}

i32 shm_recv(void* buf, u32 room, u32& len) {
    len = 0;
    RingState& r = *ring(1 - me);
    u32 t = r.tail;
    if (r.head == t) return MV_WOULD_BLOCK;
    dmb();  // the head before the slot it published
    Slot& s = r.slots[t % DEPTH];
    if (s.len > room) {
        len = s.len;
        return MV_TOO_BIG;
    }
    __builtin_memcpy(buf, s.data, s.len);
    len = s.len;
    dmb();  // the slot read before the tail that frees it
    r.tail = t + 1;
    dmb();
    if (r.head - t == DEPTH) raise();  // it was full
    return MV_OK;
}

}  // namespace chan
