// SPDX-License-Identifier: MIT
// Channels between VMs (Lab 5): kernel/channel.hpp.
//
// Each queue is a ring of `depth` slots in ChannelConfig::storage: the oldest
// message is in slot `head`, the next ones follow, wrapping at `depth`;
// `count` of them are in use. A slot holds the message's length in its first
// 4 bytes, then the message. A send copies straight from the guest's memory
// into the slot (one copy), and only then counts it: a copy that fails has
// changed nothing the queue shows.
#include "kernel/channel.hpp"

#include "config/system_config.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/virq.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

struct Queue {
    u32 head;   ///< the slot of the oldest message
    u32 count;  ///< messages in the queue
};

Queue queues[MAX_CHANNELS][2];  ///< by handle, then direction (0: ends[0] -> ends[1])

/// Channel `handle` if the caller's VM is one of its ends, with `end` the
/// caller's end (0 or 1); else nullptr.
const ChannelConfig* channel_of(const Vm& caller, u32 handle, u32& end) {
    if (handle >= system_config.nchannels || handle >= MAX_CHANNELS) return nullptr;
    const ChannelConfig& c = system_config.channels[handle];
    if (caller.id() == c.ends[0]) end = 0;
    else if (caller.id() == c.ends[1]) end = 1;
    else return nullptr;
    return &c;
}

/// Slot `i` of queue `d` of channel `c` (4-aligned: storage is, and slot sizes are multiples of 4).
u8* slot(const ChannelConfig& c, u32 d, u32 i) { return c.storage + (d * c.depth + i) * c.slot_size(); }
u32& length_of(u8* slot) { return *reinterpret_cast<u32*>(slot); }

Vm& vm_of(u32 id) { return system_config.vm_pool[id]; }

}  // namespace

i32 channel_send(Vm& caller, u32 handle, u32 gpa, u32 len) {
    u32 end;
    const ChannelConfig* c = channel_of(caller, handle, end);
    if (c == nullptr) return MV_BAD_HANDLE;
    if (len > c->message_size) return MV_TOO_BIG;
    Vm& peer = vm_of(c->ends[1 - end]);
    if (peer.finished()) return MV_NOT_CONNECTED;
    Queue& q = queues[handle][end];  // the caller sends on its own end's queue
    if (q.count == c->depth) return MV_WOULD_BLOCK;
    u8* s = slot(*c, end, (q.head + q.count) % c->depth);
    if (!guest_copy_in(caller, s + 4, gpa, len)) return MV_INVALID_ADDRESS;
    length_of(s) = len;
    if (q.count++ == 0) virq_raise(peer, c->irq);  // the receiver's queue is no longer empty
    return MV_OK;
}

i32 channel_recv(Vm& caller, u32 handle, u32 gpa, u32 room, u32& len) {
    len = 0;
    u32 end;
    const ChannelConfig* c = channel_of(caller, handle, end);
    if (c == nullptr) return MV_BAD_HANDLE;
    Vm& peer = vm_of(c->ends[1 - end]);
    Queue& q = queues[handle][1 - end];  // the other end's queue comes to the caller
    if (q.count == 0) return peer.finished() ? MV_NOT_CONNECTED : MV_WOULD_BLOCK;
    u8* s = slot(*c, 1 - end, q.head);
    u32 n = length_of(s);
    if (n > room) {
        len = n;
        return MV_TOO_BIG;
    }
    if (!guest_copy_out(caller, gpa, s + 4, n)) return MV_INVALID_ADDRESS;
    len = n;
    q.head = (q.head + 1) % c->depth;
    if (q.count-- == c->depth) virq_raise(peer, c->irq);  // the sender's queue is no longer full
    return MV_OK;
}

i32 channel_status(const Vm& caller, u32 handle, u32& flags, u32& waiting, u32& free) {
    flags = waiting = free = 0;
    u32 end;
    const ChannelConfig* c = channel_of(caller, handle, end);
    if (c == nullptr) return MV_BAD_HANDLE;
    waiting = queues[handle][1 - end].count;
    free = c->depth - queues[handle][end].count;
    flags = (waiting != 0 ? MV_CHANNEL_RX_READY : 0) | (free != 0 ? MV_CHANNEL_TX_READY : 0) |
            (vm_of(c->ends[1 - end]).finished() ? 0 : MV_CHANNEL_CONNECTED);
    return MV_OK;
}

void channels_reset() {
    for (auto& channel : queues)
        for (Queue& q : channel) q = Queue{};
}

}  // namespace mv
