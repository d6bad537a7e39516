// SPDX-License-Identifier: MIT
// Lab 5: channels between VMs (kernel/channel.hpp; book: Lab 5). A guest
// names a channel by its handle, its index in system_config.channels
// (nchannels of them; at most MAX_CHANNELS). Channel `h` joins the VMs
// ends[0] and ends[1] (VM ids: system_config.vm_pool[id] is the VM) with two
// queues of `depth` messages of at most `message_size` bytes: queue 0 carries
// messages from ends[0] to ends[1], queue 1 from ends[1] to ends[0].
#include "kernel/channel.hpp"

#include "config/system_config.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/virq.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

// Yours to design: where each queue starts and how full it is (fixed arrays
// of MAX_CHANNELS suffice: no heap). The messages themselves live in the
// channel's storage (ChannelConfig::storage): queue d is `depth` slots of
// slot_size() bytes each at storage + d * depth * slot_size(), room for a
// 4-byte length and message_size bytes. Keep them in a ring: the oldest
// message first, the next ones after it, wrapping around at `depth`.
// What you have:
//  - guest_copy_in(vm, dst, gpa, len) / guest_copy_out(vm, gpa, src, len)
//    (kernel/guest_memory.hpp): the only way to touch a guest's memory; false,
//    and nothing copied, unless the whole buffer is readable (writable) RAM;
//  - virq_raise(vm, spi) (kernel/virq.hpp): make the virtual SPI pending in
//    VM `vm` and wake a vCPU of it that waits for it;
//  - vm.finished(): the VM has powered off or crashed (kernel/vm.hpp).
// A channel's handle is one of the caller's only if caller.id() is one of
// its two ends; any other handle, nchannels and beyond included, is bad.

// In this order: MV_BAD_HANDLE if `handle` is not a channel of the caller's
// VM; MV_TOO_BIG if `len` is more than the channel's message_size (exactly
// message_size fits; 0 is an empty message); MV_NOT_CONNECTED if the other
// end's VM has finished; MV_WOULD_BLOCK if the caller's queue towards the
// other end holds `depth` messages; MV_INVALID_ADDRESS if guest_copy_in of
// [gpa, gpa + len) from the caller fails. Each of these returns with nothing
// changed: the queue the receiver sees is as before (copy first, count after).
// Otherwise the message (its `len` bytes, and its length) becomes the newest
// of that queue and MV_OK is returned; if the queue was empty before it, the
// channel's irq is raised in the other end's VM (virq_raise): only then, not
// for every message (the receiver is told when there is something to read).
i32 channel_send(Vm& caller, u32 handle, u32 gpa, u32 len) {
    MV_LAB_TODO(5);
}

// `len` is 0 first, whatever happens. MV_BAD_HANDLE if `handle` is not a
// channel of the caller's VM. The caller receives from the other end's queue
// towards it: if it is empty, MV_NOT_CONNECTED if the other end's VM has
// finished (nothing more will come), else MV_WOULD_BLOCK. Messages queued
// before the other end finished are still received, in order, first. If the
// oldest message is longer than `room`: `len` gets its length, it stays in
// the queue, MV_TOO_BIG. If guest_copy_out of its bytes to [gpa, gpa + its
// length) of the caller fails: MV_INVALID_ADDRESS, it stays. Otherwise only
// the message's own bytes are written (the rest of the room is left as it
// was), `len` gets its length, it leaves the queue, and MV_OK; if the queue
// was full before it left, the channel's irq is raised in the other end's VM
// (virq_raise): the sender may send again. Only then.
i32 channel_recv(Vm& caller, u32 handle, u32 gpa, u32 room, u32& len) {
    MV_LAB_TODO(5);
}

// `flags`, `waiting` and `free` are 0 first. MV_BAD_HANDLE if `handle` is not
// a channel of the caller's VM. Otherwise MV_OK with: `waiting`, the number
// of messages in the queue towards the caller; `free`, depth minus the number
// in its queue towards the other end; `flags`, MV_CHANNEL_RX_READY if
// `waiting` is not 0, MV_CHANNEL_TX_READY if `free` is not 0, and
// MV_CHANNEL_CONNECTED unless the other end's VM has finished.
i32 channel_status(const Vm& caller, u32 handle, u32& flags, u32& waiting, u32& free) {
    MV_LAB_TODO(5);
}

// Every queue of every channel becomes empty.
void channels_reset() {
    MV_LAB_TODO(5);
}

}  // namespace mv
