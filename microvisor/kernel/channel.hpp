// SPDX-License-Identifier: MIT
// OKL4-style channels between VMs (Lab 5): each channel of the system
// description (SystemConfig::channels; a guest names one by its index, its
// handle) joins two VMs, its ends, with a bounded queue of messages each way.
// Queue d (0: ends[0] -> ends[1]; 1: ends[1] -> ends[0]) keeps its messages in
// ChannelConfig::storage (kernel/channel.cpp keeps where each queue starts and
// how full it is). The hypercalls (MV_CALL_CHANNEL_SEND, _RECV, _STATUS in
// mv/abi.h) are registered in kernel/channel_services.cpp.
//
// "Connected" means the other end's VM has not finished (powered off or
// crashed). A VM that is reset keeps its queues: messages in flight to or
// from it survive the reset.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// MV_CALL_CHANNEL_SEND from VM `caller`: copy the `len` bytes at its
/// guest-physical `gpa` as one message into the queue of channel `handle`
/// towards the other end; if that queue was empty, raise the channel's irq in
/// the other end's VM. MV_OK; MV_BAD_HANDLE if `handle` is not a channel of
/// the caller's VM; MV_TOO_BIG if `len` exceeds the message size;
/// MV_NOT_CONNECTED if the other end's VM has finished; MV_WOULD_BLOCK if the
/// queue is full; MV_INVALID_ADDRESS if the buffer is not readable RAM of the
/// caller. A failed send changes nothing.
i32 channel_send(Vm& caller, u32 handle, u32 gpa, u32 len);

/// MV_CALL_CHANNEL_RECV from VM `caller`: copy the oldest message of the
/// queue of channel `handle` towards the caller to its guest-physical `gpa`,
/// which has room for `room` bytes; `len` gets its length. The message leaves
/// the queue; if the queue was full, the channel's irq is raised in the other
/// end's VM. MV_OK; MV_BAD_HANDLE; MV_WOULD_BLOCK if no message waits, or
/// MV_NOT_CONNECTED if none waits and the other end's VM has finished;
/// MV_TOO_BIG if the message is longer than `room` (`len` is its length);
/// MV_INVALID_ADDRESS if the buffer is not writable RAM of the caller. After a
/// failure the message stays and `len` is 0 (but for MV_TOO_BIG).
i32 channel_recv(Vm& caller, u32 handle, u32 gpa, u32 room, u32& len);

/// MV_CALL_CHANNEL_STATUS from VM `caller`: `flags` gets MV_CHANNEL_RX_READY
/// (a message waits for the caller), MV_CHANNEL_TX_READY (its queue towards
/// the other end is not full) and MV_CHANNEL_CONNECTED (the other end's VM
/// has not finished); `waiting` the messages waiting for the caller; `free`
/// the messages it may send before its queue is full. MV_OK, or MV_BAD_HANDLE
/// with all three 0.
i32 channel_status(const Vm& caller, u32 handle, u32& flags, u32& waiting, u32& free);

/// Every queue is empty (boot has them so; host tests start from it).
void channels_reset();

}  // namespace mv
