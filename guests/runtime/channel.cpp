// SPDX-License-Identifier: MIT
// The guest's side of Lab 5's channels: see channel.hpp.
#include "channel.hpp"

#include "gic.hpp"

namespace guest::channel {
namespace {

void on_notification(u32, ExcFrame&) {}  // waking the WFI is all it is for
void on_deadline(u32, ExcFrame&) { timer_off(); }

bool irqs_masked() { return (cpsr() & 0x80) != 0; }

void put32(u8* p, u32 v) { __builtin_memcpy(p, &v, 4); }
u32 get32(const u8* p) {
    u32 v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

/// A peer that ends (powers off, crashes) raises no notification: a waiter
/// looks again this often, to see MV_NOT_CONNECTED.
constexpr u64 POLL_US = 10000;

/// `attempt` until it says other than MV_WOULD_BLOCK, waiting in between;
/// `blocked` counts the waits.
template <typename F>
i32 retry(F attempt, u64 deadline_us, u32* blocked) {
    bool masked = irqs_masked();
    gic::irq_off();
    i32 rc;
    while ((rc = attempt()) == MV_WOULD_BLOCK) {
        if (deadline_us != 0 && now_us() >= deadline_us) {
            rc = TIMED_OUT;
            break;
        }
        if (blocked != nullptr) ++*blocked;
        u64 poll = now_us() + POLL_US;
        wait(deadline_us != 0 && deadline_us < poll ? deadline_us : poll);
    }
    if (!masked) gic::irq_on();
    return rc;
}

}  // namespace

void attach(u32 irq) {
    gic::enable(irq, 0x80, on_notification);
    gic::enable(gic::PPI_VIRT_TIMER, 0x80, on_deadline);
}

u32 notifications(u32 irq) { return gic::taken(irq); }

void wait(u64 deadline_us) {
    if (deadline_us != 0) gic::timer_irq_at_us(deadline_us);
    asm volatile("dsb\n wfi" ::: "memory");  // with CPSR.I set, a pending interrupt still ends it
    if (deadline_us != 0) timer_off();
    gic::irq_on();  // take what woke it (the GIC driver acknowledges and ends it)
    asm volatile("isb" ::: "memory");
    gic::irq_off();
}

i32 send_wait(u32 handle, const void* buf, u32 len, u64 deadline_us) {
    return retry([&] { return send(handle, buf, len); }, deadline_us, nullptr);
}

i32 recv_wait(u32 handle, void* buf, u32 room, u32& len, u64 deadline_us) {
    return retry([&] { return recv(handle, buf, room, len); }, deadline_us, nullptr);
}

Stream::Stream(u32 handle, u32 message_size, u8* tx, u8* rx) : handle_(handle), size_(message_size), tx_(tx), rx_(rx) {}

i32 Stream::send_frame() {
    put32(tx_, tx_seq_);
    i32 rc = retry([&] { return send(handle_, tx_, tx_len_); }, deadline_, &blocked_);
    if (rc == MV_OK) {
        ++tx_seq_;
        tx_len_ = HEADER;
    }
    return rc;
}

i32 Stream::write(const void* buf, u32 n) {
    const u8* p = static_cast<const u8*>(buf);
    while (n > 0) {
        u32 k = size_ - tx_len_ < n ? size_ - tx_len_ : n;
        __builtin_memcpy(tx_ + tx_len_, p, k);
        tx_len_ += k;
        p += k;
        n -= k;
        if (tx_len_ == size_) {
            i32 rc = send_frame();
            if (rc != MV_OK) return rc;
        }
    }
    return MV_OK;
}

i32 Stream::flush() { return tx_len_ > HEADER ? send_frame() : MV_OK; }

i32 Stream::read(void* buf, u32 n) {
    u8* p = static_cast<u8*>(buf);
    while (n > 0) {
        if (rx_pos_ == rx_len_) {
            u32 len = 0;
            i32 rc = retry([&] { return recv(handle_, rx_, size_, len); }, deadline_, nullptr);
            if (rc != MV_OK) return rc;
            if (len <= HEADER || get32(rx_) != rx_seq_) return BAD_FRAME;  // writers send no empty frame
            ++rx_seq_;
            rx_pos_ = HEADER;
            rx_len_ = len;
        }
        u32 k = rx_len_ - rx_pos_ < n ? rx_len_ - rx_pos_ : n;
        __builtin_memcpy(p, rx_ + rx_pos_, k);
        rx_pos_ += k;
        p += k;
        n -= k;
    }
    return MV_OK;
}

i32 Rpc::skip(u32 n) {
    u8 sink[64];
    while (n > 0) {
        u32 k = n < sizeof sink ? n : sizeof sink;
        i32 rc = stream_.read(sink, k);
        if (rc != MV_OK) return rc;
        n -= k;
    }
    return MV_OK;
}

i32 Rpc::call(const void* req, u32 len, void* resp, u32 room, u32& resp_len) {
    resp_len = 0;
    u32 id = next_id_++;
    u32 head[2] = {id, len};
    i32 rc = stream_.write(head, sizeof head);
    if (rc == MV_OK) rc = stream_.write(req, len);
    if (rc == MV_OK) rc = stream_.flush();
    if (rc == MV_OK) rc = stream_.read(head, sizeof head);
    if (rc != MV_OK) return rc;
    if (head[0] != id || head[1] > room) {
        rc = skip(head[1]);
        return rc == MV_OK ? BAD_FRAME : rc;
    }
    rc = stream_.read(resp, head[1]);
    if (rc == MV_OK) resp_len = head[1];
    return rc;
}

i32 Rpc::serve(Handler handler, u8* scratch, u32 room, u8* out, u32 out_room) {
    u32 head[2];
    i32 rc = stream_.read(head, sizeof head);
    if (rc != MV_OK) return rc;
    if (head[1] > room) {
        rc = skip(head[1]);
        return rc == MV_OK ? BAD_FRAME : rc;
    }
    rc = stream_.read(scratch, head[1]);
    if (rc != MV_OK) return rc;
    head[1] = handler(scratch, head[1], out, out_room);
    if (head[1] > out_room) head[1] = out_room;
    rc = stream_.write(head, sizeof head);
    if (rc == MV_OK) rc = stream_.write(out, head[1]);
    if (rc == MV_OK) rc = stream_.flush();
    return rc;
}

}  // namespace guest::channel
