// SPDX-License-Identifier: MIT
// The guest's side of Lab 5's channels: the three hypercalls (mv/abi.h's
// MV_CALL_CHANNEL_*), waiting for a channel's notification interrupt instead
// of spinning, a reliable byte stream with framing and flow control, and a
// request/response helper on top of it.
//
// A channel's notification is a virtual SPI (the `irq` of its `[[channel]]`
// in the system description, 80 + handle by default) raised in a VM when its
// receive queue goes from empty to non-empty and when its send queue stops
// being full. Waiting is race-free without a lock: IRQs are masked at the CPU
// (CPSR.I) while the guest tries the call and executes WFI, so a notification
// that arrives in between stays pending and ends the WFI at once; they are
// unmasked after it so that the GIC driver (gic.hpp) takes and ends it.
#pragma once

#include "guest.hpp"

namespace guest::channel {

/// What MV_CALL_CHANNEL_STATUS says: `status` (MV_OK or MV_BAD_HANDLE), the
/// MV_CHANNEL_* flags, the messages waiting to be received and the free
/// slots of the send queue.
struct Status {
    i32 status;
    u32 flags, waiting, free;
};

/// MV_CALL_CHANNEL_SEND: `len` bytes at `buf` as one message. MV_OK or an error (abi.h).
inline i32 send(u32 handle, const void* buf, u32 len) {
    return static_cast<i32>(hvc(MV_CALL_CHANNEL_SEND, handle, reinterpret_cast<u32>(buf), len).r0);
}

/// MV_CALL_CHANNEL_RECV into `buf` (room for `room` bytes): MV_OK and the
/// message's length in `len`, or an error (`len` then as abi.h says: the
/// message's length after MV_TOO_BIG, else 0).
inline i32 recv(u32 handle, void* buf, u32 room, u32& len) {
    HvcResult r = hvc(MV_CALL_CHANNEL_RECV, handle, reinterpret_cast<u32>(buf), room);
    len = r.r1;
    return static_cast<i32>(r.r0);
}

/// MV_CALL_CHANNEL_STATUS.
inline Status status(u32 handle) {
    HvcResult r = hvc(MV_CALL_CHANNEL_STATUS, handle);
    return {static_cast<i32>(r.r0), r.r1, r.r2, r.r3};
}

/// The library's own status, beside abi.h's: a deadline passed while waiting.
inline constexpr i32 TIMED_OUT = -100;
/// A frame of the byte stream or of a request/response broke its format
/// (a sequence number out of order, a length that does not fit).
inline constexpr i32 BAD_FRAME = -101;

/// Enable the notification SPI `irq` of a channel in this vCPU's GIC (after
/// gic::init_distributor() and gic::init_cpu()), and the virtual timer's PPI
/// for the deadlines of wait(); the library owns the virtual timer while it waits.
void attach(u32 irq);

/// Notifications of SPI `irq` taken on this vCPU so far.
u32 notifications(u32 irq);

/// Sleep in WFI until an interrupt arrives or `deadline_us` of virtual time
/// passes (0: no deadline). Call it with IRQs masked (gic::irq_off()) right
/// after a call that said MV_WOULD_BLOCK: IRQs are unmasked briefly after the
/// WFI, to take what woke it, and masked again.
void wait(u64 deadline_us);

/// Send, waiting in WFI while the queue is full (woken by the notification,
/// and every 10 ms to notice a peer that ended, which notifies nothing).
/// MV_OK, TIMED_OUT once
/// `deadline_us` passes (0: none), or the send's error (MV_NOT_CONNECTED...).
i32 send_wait(u32 handle, const void* buf, u32 len, u64 deadline_us = 0);
/// Receive, waiting in WFI while no message waits. As recv(), or TIMED_OUT.
i32 recv_wait(u32 handle, void* buf, u32 room, u32& len, u64 deadline_us = 0);

/// A reliable byte stream over one channel, each direction independent.
///
/// write() gathers bytes into messages of at most the channel's message size
/// (a frame: a 4-byte header, the sequence number of the message in its
/// direction, then the bytes) and sends each full one; flush() sends what is
/// gathered. read() reassembles: it checks each frame's sequence number (none
/// lost, duplicated or reordered) and hands out bytes as written, across
/// frame boundaries. Flow control is the channel's: a writer whose queue is
/// full waits in WFI until the reader makes room.
class Stream {
public:
    static constexpr u32 HEADER = 4;

    /// `tx` and `rx` are buffers of `message_size` bytes each (the channel's
    /// message size, or less: frames never exceed it). attach() its
    /// notification SPI first.
    Stream(u32 handle, u32 message_size, u8* tx, u8* rx);

    /// Queue `n` bytes; full frames go out as they fill. MV_OK or an error.
    i32 write(const void* buf, u32 n);
    /// Send the partial frame, if any.
    i32 flush();
    /// Exactly `n` bytes into `buf`, waiting for them. MV_OK; BAD_FRAME,
    /// MV_NOT_CONNECTED (the writer ended before sending them) or TIMED_OUT.
    i32 read(void* buf, u32 n);

    /// Give up waiting once virtual time passes `us` (0: never).
    void set_deadline(u64 us) { deadline_ = us; }
    u32 frames_sent() const { return tx_seq_; }
    u32 frames_received() const { return rx_seq_; }
    /// Times write() or flush() found the queue full and waited.
    u32 blocked() const { return blocked_; }

private:
    i32 send_frame();

    u32 handle_, size_;
    u8 *tx_, *rx_;
    u32 tx_len_ = HEADER, rx_len_ = 0, rx_pos_ = 0;
    u32 tx_seq_ = 0, rx_seq_ = 0, blocked_ = 0;
    u64 deadline_ = 0;
};

/// Request/response over a Stream: a frame is a header {id, length} and the
/// body. call() sends a request and waits for the response with its id;
/// serve() answers one request with a handler.
class Rpc {
public:
    /// The handler of a server: the request's `len` bytes at `req`; writes up
    /// to `room` bytes of response at `resp` and returns their count.
    using Handler = u32 (*)(const u8* req, u32 len, u8* resp, u32 room);

    explicit Rpc(Stream& stream) : stream_(stream) {}

    /// Send `req` and wait for its response into `resp` (room `room`):
    /// MV_OK and its length in `resp_len`; BAD_FRAME if it answers another
    /// id or is longer than `room` (then it is read and dropped); a stream error.
    i32 call(const void* req, u32 len, void* resp, u32 room, u32& resp_len);
    /// Read one request into `scratch` (room `room`), answer it with
    /// `handler` into `out` (room `out_room`). MV_OK; BAD_FRAME if the
    /// request is longer than `room`; a stream error.
    i32 serve(Handler handler, u8* scratch, u32 room, u8* out, u32 out_room);

private:
    i32 skip(u32 n);

    Stream& stream_;
    u32 next_id_ = 1;
};

}  // namespace guest::channel
