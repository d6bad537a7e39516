// SPDX-License-Identifier: MIT
// Lab 5 test guest: channels between VMs (guests/runtime/channel.*). Every VM
// of systems/lab5-*.toml runs this image at guest-physical 0x4000_0000; its
// VM id gives its role and the harness's selector the scenario. Each VM
// reports its own PASS/FAIL and VALUE lines.
//
// lab5-pair: vm0 and vm1 joined by channel 0 (32 messages of 2,048 bytes
// each way); channel 1 joins vm1 and vm2 (vm0 is not an end of it). vm0 has a
// read-only page at 0x4080_0000.
// lab5-deaf: vm0 joined to vm1 (channel 0), which never reads, and to vm2
// (channel 1); vm3 only counts.
#include "channel.hpp"
#include "gic.hpp"
#include "guest.hpp"
#include "lib/format.hpp"

using namespace guest;
namespace ch = guest::channel;

namespace {

constexpr u32 MSG = 2048;              // the channels' message_size (the default)
constexpr u32 DEPTH = 32;              // and depth
constexpr u32 IRQ0 = 80, IRQ1 = 81;    // their notification SPIs (80 + handle)
constexpr u32 RAM_END = 0x40400000;    // the first region's end: the parameter page lies below it
constexpr u32 READ_ONLY = 0x40800000;  // lab5-pair's vm0: a 4 KiB read-only page
constexpr u32 UNMAPPED = 0x30000000;   // no region of any VM
constexpr u32 DEVICE = gic::GICC;      // the hardware GICV, mapped as device memory
constexpr u64 SECOND = 1000000;

u32 vm_id() { return hvc(MV_CALL_VM_INFO).r1; }

/// A deadline `us` of virtual time from now.
u64 in_us(u64 us) { return now_us() + us; }

void init(u32 irq_a, u32 irq_b = 0) {
    gic::init_distributor();
    gic::init_cpu();
    ch::attach(irq_a);
    if (irq_b != 0) ch::attach(irq_b);
}

/// Byte `k` of message `seq` (the first 4 bytes of a message are its seq).
u8 pattern(u32 seq, u32 k) { return static_cast<u8>(seq * 131 + k * 7 + (k >> 8)); }

/// Fill `buf` with message `seq` of `len` bytes (len >= 4 carries seq first).
void make(u8* buf, u32 seq, u32 len) {
    for (u32 k = 0; k < len; ++k) buf[k] = pattern(seq, k);
    if (len >= 4) __builtin_memcpy(buf, &seq, 4);
}

/// The first byte of `buf` that is not message `seq`'s, or `len` if all are.
u32 first_wrong(const u8* buf, u32 seq, u32 len) {
    u32 head = 0;
    if (len >= 4) __builtin_memcpy(&head, buf, 4);
    if (len >= 4 && head != seq) return 0;
    for (u32 k = 4; k < len; ++k)
        if (buf[k] != pattern(seq, k)) return k;
    return len;
}

/// FNV-1a, running over everything a side sent or received.
u32 fnv(u32 h, const u8* p, u32 n) {
    for (u32 i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
    return h;
}
constexpr u32 FNV_INIT = 2166136261u;

const char* name(i32 status) {
    switch (status) {
    case MV_OK: return "MV_OK";
    case MV_NOT_SUPPORTED: return "MV_NOT_SUPPORTED";
    case MV_INVALID_PARAMETERS: return "MV_INVALID_PARAMETERS";
    case MV_DENIED: return "MV_DENIED";
    case MV_INVALID_ADDRESS: return "MV_INVALID_ADDRESS";
    case MV_WOULD_BLOCK: return "MV_WOULD_BLOCK";
    case MV_TOO_BIG: return "MV_TOO_BIG";
    case MV_BAD_HANDLE: return "MV_BAD_HANDLE";
    case MV_NOT_CONNECTED: return "MV_NOT_CONNECTED";
    case ch::TIMED_OUT: return "TIMED_OUT (the library's deadline)";
    case ch::BAD_FRAME: return "BAD_FRAME (the library's)";
    default: return "an unknown status";
    }
}

/// The scenario this VM plays, the name of its PASS line (main() sets it):
/// every failed check is a FAIL line of that name, so one failure fails it.
const char* scenario = "selector";

void fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(const char* fmt, ...) {
    char line[256];
    struct Sink {
        char* at;
        char* end;
    } sink{line, line + sizeof line - 1};
    va_list ap;
    va_start(ap, fmt);
    mv::vformat(
        [](void* ctx, char c) {
            Sink& k = *static_cast<Sink*>(ctx);
            if (k.at < k.end) *k.at++ = c;
        },
        &sink, fmt, ap);
    va_end(ap);
    *sink.at = 0;
    mvt::fail(scenario, "%s", line);
}

/// `ok`, else a FAIL line of this VM's scenario saying what went wrong.
#define CHECK(ok, ...) ((ok) ? true : (fail(__VA_ARGS__), false))

/// Status `got` is `want`, else one FAIL line naming both.
bool expect_status(i32 got, i32 want, const char* what) {
    return CHECK(got == want, "%s returned %d (%s), expected %d (%s)", what, got, name(got), want, name(want));
}

/// Wait (WFI, woken by the channel's notification or the deadline) until
/// channel `handle` satisfies `done`, or `deadline_us` passes.
template <typename F>
ch::Status wait_status(u32 handle, u64 deadline_us, F done) {
    gic::irq_off();
    ch::Status s = ch::status(handle);
    while (!done(s) && now_us() < deadline_us) {
        ch::wait(now_us() + 1000 < deadline_us ? now_us() + 1000 : deadline_us);  // and look again each ms
        s = ch::status(handle);
    }
    return s;
}

/// The other end's VM powers off: wait until the status says so (a bounded wait).
bool wait_disconnected(u32 handle) {
    ch::Status s =
        wait_status(handle, in_us(SECOND), [](const ch::Status& st) { return (st.flags & MV_CHANNEL_CONNECTED) == 0; });
    return CHECK((s.flags & MV_CHANNEL_CONNECTED) == 0,
                 "channel %u still says CONNECTED (flags %#x) 1 s after its other end's VM powered off", handle,
                 s.flags);
}

u8 buf[MSG + 64] __attribute__((aligned(8)));
u8 buf2[MSG + 64] __attribute__((aligned(8)));

// ---------------------------------------------------------------------------
// 1: FIFO order, the queue's bound and its notifications, and "not connected".
// vm0 sends 40 messages of different lengths; vm1 reads only once 32 (the
// depth) wait, so the 33rd waits for room.

constexpr u32 FIFO_N = 40;
u32 fifo_len(u32 i) { return 4 + i * 51 % (MSG - 3); }

void fifo_sender() {
    init(IRQ0);
    ch::Status s = ch::status(0);
    bool ok = CHECK(s.status == MV_OK && s.flags == (MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED) && s.waiting == 0 &&
                        s.free == DEPTH,
                    "a fresh channel's status: %d, flags %#x, %u waiting, %u free; expected MV_OK, flags %#x "
                    "(TX_READY | CONNECTED), 0 waiting, %u free",
                    s.status, s.flags, s.waiting, s.free, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, DEPTH);
    // The first message alone, then time for vm1 to take its notification:
    // the next 31 go into a non-empty queue and must raise nothing more.
    make(buf, 0, fifo_len(0));
    ok &= expect_status(ch::send(0, buf, fifo_len(0)), MV_OK, "the first send");
    sleep_us(3000);
    for (u32 i = 1; i < DEPTH; ++i) {
        make(buf, i, fifo_len(i));
        i32 rc = ch::send(0, buf, fifo_len(i));
        if (rc != MV_OK) {
            ok = false;
            fail("send %u of %u bytes into a queue of %u with %u in it returned %d (%s), expected MV_OK", i,
                 fifo_len(i), DEPTH, i, rc, name(rc));
            break;
        }
    }
    make(buf, DEPTH, fifo_len(DEPTH));
    ok &= expect_status(ch::send(0, buf, fifo_len(DEPTH)), MV_WOULD_BLOCK, "a send into a full queue");
    s = ch::status(0);
    ok &= CHECK(s.flags == MV_CHANNEL_CONNECTED && s.free == 0,
                "a full queue's status: flags %#x, %u free; expected %#x (CONNECTED, not TX_READY), 0 free", s.flags,
                s.free, MV_CHANNEL_CONNECTED);
    // vm1 reads one: the queue stops being full and this VM is notified.
    u32 before = ch::notifications(IRQ0);
    for (u32 i = DEPTH; i < FIFO_N && ok; ++i) {
        make(buf, i, fifo_len(i));
        ok &= expect_status(ch::send_wait(0, buf, fifo_len(i), in_us(SECOND)), MV_OK, "a send waiting for room (1 s)");
    }
    u32 woken = ch::notifications(IRQ0) - before;
    mvt::value("fifo_tx_notified", woken);
    ok &= CHECK(woken >= 1,
                "the full queue stopped being full (vm1 received) but its notification SPI %u was not taken", IRQ0);
    // vm1 checks the empty queue while this VM still runs, then says so.
    u32 len = 0;
    ok &= expect_status(ch::recv_wait(0, buf, sizeof buf, len, in_us(SECOND)), MV_OK,
                        "the wait for vm1's acknowledgement (1 s)");
    if (ok) mvt::pass(scenario);
}

void fifo_receiver() {
    init(IRQ0);
    gic::irq_on();  // take notifications as they come, also while sleeping
    ch::Status s = wait_status(0, in_us(SECOND), [](const ch::Status& st) { return st.waiting >= DEPTH; });
    bool ok = CHECK(s.status == MV_OK && s.waiting == DEPTH && s.free == DEPTH &&
                        s.flags == (MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED),
                    "with the queue towards it full: %d, flags %#x, %u waiting, %u free; expected MV_OK, flags "
                    "%#x, %u waiting, %u free",
                    s.status, s.flags, s.waiting, s.free,
                    MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, DEPTH, DEPTH);
    gic::irq_on();
    asm volatile("isb");
    u32 notified = ch::notifications(IRQ0);
    mvt::value("fifo_rx_notified", notified);
    ok &= CHECK(notified == 1,
                "SPI %u taken %u times for 32 messages into its empty queue, taken between the first and the "
                "rest: expected once (only empty -> non-empty notifies)",
                IRQ0, notified);
    gic::irq_off();
    u32 len = 0xdead;
    i32 rc = ch::recv(0, buf, 3, len);
    ok &= expect_status(rc, MV_TOO_BIG, "a receive into 3 bytes of room");
    ok &= CHECK(len == fifo_len(0), "after MV_TOO_BIG r1 is %#x, expected the message's length %#x", len, fifo_len(0));
    ok &= CHECK(ch::status(0).waiting == DEPTH, "after MV_TOO_BIG %u messages wait, expected %u: the message stays",
                ch::status(0).waiting, DEPTH);
    for (u32 i = 0; i < FIFO_N && ok; ++i) {
        rc = ch::recv_wait(0, buf, sizeof buf, len, in_us(SECOND));
        if (rc != MV_OK) {
            ok = false;
            fail("receive %u returned %d (%s), expected MV_OK", i, rc, name(rc));
            break;
        }
        u32 head = 0;
        __builtin_memcpy(&head, buf, 4);
        u32 bad = first_wrong(buf, i, len);
        if (len != fifo_len(i) || bad != len) {
            ok = false;
            fail("message %u: %u bytes starting with seq %u (first wrong byte %u); expected message %u of %u bytes", i,
                 len, head, bad, i, fifo_len(i));
        }
    }
    len = 0xdead;
    ok &= expect_status(ch::recv(0, buf, sizeof buf, len), MV_WOULD_BLOCK, "a receive from the empty queue");
    ok &= CHECK(len == 0, "after MV_WOULD_BLOCK r1 is %#x, expected 0", len);
    ok &= expect_status(ch::send(0, buf, 4), MV_OK, "the acknowledgement to vm0");
    // vm0 powers off then: its end is not connected.
    if (wait_disconnected(0)) {
        ok &= expect_status(ch::recv(0, buf, sizeof buf, len), MV_NOT_CONNECTED,
                            "a receive from the empty queue of a powered-off sender");
        ok &= expect_status(ch::send(0, buf, 8), MV_NOT_CONNECTED, "a send to a powered-off VM");
    } else {
        ok = false;
    }
    if (ok) mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 2: 100,000 messages from a fast producer to a slow consumer (which works on
// each message): none lost, duplicated, reordered or changed.

constexpr u32 FLOOD_N = 100000;
u32 flood_len(u32 seq) { return 8 + seq * 7 % 57; }

void flood_producer() {
    init(IRQ0);
    gic::irq_off();
    u32 blocked = 0, sum = FNV_INIT;
    i32 rc = MV_OK;
    u64 deadline = in_us(30 * SECOND);
    u32 seq = 0;
    for (; seq < FLOOD_N; ++seq) {
        u32 len = flood_len(seq);
        make(buf, seq, len);
        while ((rc = ch::send(0, buf, len)) == MV_WOULD_BLOCK && now_us() < deadline) {
            ++blocked;
            ch::wait(deadline);
        }
        if (rc != MV_OK) break;
        sum = fnv(sum, buf, len);
    }
    mvt::value("flood_sent", seq);
    mvt::value("flood_blocked", blocked);
    mvt::value("flood_sum_sent", sum);
    if (CHECK(rc == MV_OK, "send %u returned %d (%s) (a wait is bounded by 30 s)", seq, rc, name(rc)))
        mvt::pass(scenario);
}

void flood_consumer() {
    init(IRQ0);
    u32 sum = FNV_INIT, in_order = 0, lost = 0, duplicated = 0, corrupt = 0, work = 0;
    u32 expect = 0, len = 0;
    i32 rc = MV_OK;
    u64 deadline = in_us(30 * SECOND);
    while (expect < FLOOD_N) {
        rc = ch::recv_wait(0, buf, sizeof buf, len, deadline);
        if (rc != MV_OK) break;
        u32 seq = 0;
        if (len >= 4) __builtin_memcpy(&seq, buf, 4);
        if (seq < expect) {
            if (duplicated++ == 0) fail("message %u arrived again after %u", seq, expect - 1);
            continue;
        }
        if (seq > expect) {
            if (lost == 0) fail("message %u arrived when %u was next", seq, expect);
            lost += seq - expect;
            expect = seq;
        }
        if (len != flood_len(seq) || first_wrong(buf, seq, len) != len) {
            if (corrupt++ == 0)
                fail("message %u: %u bytes (expected %u), first wrong byte %u", seq, len, flood_len(seq),
                     first_wrong(buf, seq, len));
        } else {
            ++in_order;
        }
        sum = fnv(sum, buf, len);
        for (u32 r = 0; r < 4; ++r) work = fnv(work, buf, len);  // the consumer is slow
        ++expect;
    }
    mvt::value("flood_received", in_order);
    mvt::value("flood_lost", lost);
    mvt::value("flood_duplicated", duplicated);
    mvt::value("flood_corrupt", corrupt);
    mvt::value("flood_sum_received", sum);
    bool ok = CHECK(rc == MV_OK, "receive of message %u returned %d (%s)", expect, rc, name(rc));
    // Nothing more may arrive once the producer is done.
    if (wait_disconnected(0)) {
        ok &=
            expect_status(ch::recv(0, buf, sizeof buf, len), MV_NOT_CONNECTED, "a receive after the 100,000th message");
    }
    if (ok && in_order == FLOOD_N && lost == 0 && duplicated == 0 && corrupt == 0 && work != 0) mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 3: messages of the maximum size, both directions at once: each of vm0 and
// vm1 sends 300 while it receives the other's 300.

constexpr u32 BOTH_N = 300;

void both_ways(u32 me) {
    init(IRQ0);
    gic::irq_off();
    u32 sent = 0, received = 0, overlapped = 0, bad = 0, len = 0;
    i32 rc = MV_OK;
    u64 deadline = in_us(10 * SECOND);
    while ((sent < BOTH_N || received < BOTH_N) && now_us() < deadline) {
        bool progress = false;
        if (sent < BOTH_N) {
            make(buf, sent | me << 16, MSG);  // the sender in the seq's high half
            rc = ch::send(0, buf, MSG);
            if (rc == MV_OK) {
                ++sent;
                progress = true;
            } else if (rc != MV_WOULD_BLOCK) {
                break;
            }
        }
        if (received < BOTH_N) {
            rc = ch::recv(0, buf2, MSG, len);
            if (rc == MV_OK) {
                u32 wrong = first_wrong(buf2, received | (1 - me) << 16, len);
                if ((len != MSG || wrong != len) && bad++ == 0)
                    fail("message %u from vm%u: %u bytes (expected %u), first wrong byte %u", received, 1 - me, len,
                         MSG, wrong);
                if (sent < BOTH_N) ++overlapped;
                ++received;
                progress = true;
            } else if (rc != MV_WOULD_BLOCK) {
                break;
            }
        }
        rc = MV_OK;
        if (!progress) ch::wait(deadline);
    }
    mvt::value(me == 0 ? "both_received.vm0" : "both_received.vm1", received);
    mvt::value(me == 0 ? "both_overlap.vm0" : "both_overlap.vm1", overlapped);
    bool ok = CHECK(rc == MV_OK, "a call returned %d (%s) after %u sent, %u received", rc, name(rc), sent, received);
    ok &= CHECK(sent == BOTH_N && received == BOTH_N, "%u of %u sent and %u of %u received in 10 s", sent, BOTH_N,
                received, BOTH_N);
    ok &= CHECK(overlapped > 0,
                "no message arrived while this VM still had messages to send: the directions did not overlap");
    if (ok && bad == 0) mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 4: what the microvisor refuses, from vm0; each failure changes nothing.
// vm1 sends one message of 100 bytes first, then receives what vm0 sends.

constexpr u32 REFUSE_LEN = 100;
u8 page[4096] __attribute__((aligned(4096)));

/// A raw call returning all four registers, to check what r1-r3 hold after.
bool refused(u32 fid, u32 h, u32 a2, u32 a3, i32 want, u32 w1, u32 w2, u32 w3, const char* what) {
    HvcResult r = hvc(fid, h, a2, a3);
    return CHECK(static_cast<i32>(r.r0) == want && r.r1 == w1 && r.r2 == w2 && r.r3 == w3,
                 "%s: r0-r3 = %d (%s), %#x, %#x, %#x; expected %d (%s), %#x, %#x, %#x", what, static_cast<i32>(r.r0),
                 name(static_cast<i32>(r.r0)), r.r1, r.r2, r.r3, want, name(want), w1, w2, w3);
}

void refuse_sender() {
    init(IRQ0);
    u32 b = reinterpret_cast<u32>(buf);
    bool ok = true;
    // Handles: 1 joins vm1 and vm2, 2 and 16 and ~0 are no channel.
    static const u32 bad_handles[] = {1, 2, 16, 0xffffffff};
    for (u32 h : bad_handles) {
        ok &= refused(MV_CALL_CHANNEL_SEND, h, b, 8, MV_BAD_HANDLE, h, b, 8, "send on a channel not of this VM");
        ok &= refused(MV_CALL_CHANNEL_RECV, h, b, 8, MV_BAD_HANDLE, 0, b, 8, "receive on a channel not of this VM");
        ok &= refused(MV_CALL_CHANNEL_STATUS, h, b, 8, MV_BAD_HANDLE, 0, 0, 0, "status of a channel not of this VM");
    }
    // Sends: too long, from nowhere, across the end of RAM, from device
    // memory, from a page unmapped a moment ago.
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, b, MSG + 1, MV_TOO_BIG, 0, b, MSG + 1, "send of message_size + 1 bytes");
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, UNMAPPED, 16, MV_INVALID_ADDRESS, 0, UNMAPPED, 16,
                  "send from unmapped memory");
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, RAM_END - 8, 16, MV_INVALID_ADDRESS, 0, RAM_END - 8, 16,
                  "send from a buffer across the end of RAM");
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, DEVICE, 16, MV_INVALID_ADDRESS, 0, DEVICE, 16,
                  "send from device memory (the GICC)");
    u32 p = reinterpret_cast<u32>(page);
    page[0] = 1;
    ok &= expect_status(static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, p, 4096).r0), MV_OK, "MV_CALL_MEM_UNMAP");
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, p, 16, MV_INVALID_ADDRESS, 0, p, 16, "send from a page it unmapped");
    ok &= refused(MV_CALL_CHANNEL_SEND, 0, p - 8, 16, MV_INVALID_ADDRESS, 0, p - 8, 16,
                  "send from a buffer running into a page it unmapped");
    ch::Status s = ch::status(0);
    ok &= CHECK(s.free == DEPTH,
                "after the failed sends %u slots are free, expected "
                "all %u: a failed send changes nothing",
                s.free, DEPTH);
    // Receives: vm1's message waits; every failure leaves it there.
    s = wait_status(0, in_us(SECOND), [](const ch::Status& st) { return st.waiting == 1; });
    ok &= CHECK(s.waiting == 1, "vm1's message did not arrive in 1 s (%u waiting)", s.waiting);
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, READ_ONLY, MSG, MV_INVALID_ADDRESS, 0, READ_ONLY, MSG,
                  "receive into a read-only page");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, UNMAPPED, MSG, MV_INVALID_ADDRESS, 0, UNMAPPED, MSG,
                  "receive into unmapped memory");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, RAM_END - 16, MSG, MV_INVALID_ADDRESS, 0, RAM_END - 16, MSG,
                  "receive into a buffer across the end of RAM");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, DEVICE, MSG, MV_INVALID_ADDRESS, 0, DEVICE, MSG,
                  "receive into device memory (the GICC)");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, p, MSG, MV_INVALID_ADDRESS, 0, p, MSG, "receive into a page it unmapped");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, p - 16, MSG, MV_INVALID_ADDRESS, 0, p - 16, MSG,
                  "receive into a buffer running into a page it unmapped");
    ok &= refused(MV_CALL_CHANNEL_RECV, 0, b, REFUSE_LEN - 1, MV_TOO_BIG, REFUSE_LEN, b, REFUSE_LEN - 1,
                  "receive of 100 bytes into 99");
    ok &= expect_status(static_cast<i32>(hvc(MV_CALL_MEM_MAP, p, 4096).r0), MV_OK, "MV_CALL_MEM_MAP");
    ok &= CHECK(page[0] == 1, "the unmapped page came back with %u in its first byte, wrote 1", page[0]);
    s = ch::status(0);
    ok &= CHECK(s.waiting == 1,
                "after the failed receives %u messages wait, "
                "expected 1: a failed receive leaves the message",
                s.waiting);
    u32 len = 0;
    ok &= expect_status(ch::recv(0, buf, MSG, len), MV_OK, "the receive after the failed ones");
    ok &= CHECK(len == REFUSE_LEN && first_wrong(buf, 7, len) == len,
                "vm1's message: %u bytes, first wrong byte %u; expected %u bytes as sent", len,
                first_wrong(buf, 7, len), REFUSE_LEN);
    // What vm1 gets: an empty message, 16 bytes from the read-only page (a
    // send only reads) and their sum.
    ok &= expect_status(ch::send(0, buf, 0), MV_OK, "a send of 0 bytes");
    ok &= expect_status(ch::send(0, reinterpret_cast<const void*>(READ_ONLY), 16), MV_OK,
                        "a send from the read-only page");
    u32 sum[2] = {0x00657962, fnv(FNV_INIT, reinterpret_cast<const u8*>(READ_ONLY), 16)};  // "bye"
    ok &= expect_status(ch::send(0, sum, 8), MV_OK, "a send of 8 bytes");
    if (ok) mvt::pass(scenario);
}

void refuse_receiver() {
    init(IRQ0);
    make(buf, 7, REFUSE_LEN);
    bool ok = expect_status(ch::send(0, buf, REFUSE_LEN), MV_OK, "vm1's send of 100 bytes");
    u32 len[3] = {};
    u8 got[3][32];
    for (u32 i = 0; i < 3 && ok; ++i)
        ok &= expect_status(ch::recv_wait(0, got[i], sizeof got[i], len[i], in_us(SECOND)), MV_OK, "a receive (1 s)");
    u32 sum[2] = {};
    if (ok) __builtin_memcpy(sum, got[2], 8);
    ok = ok && CHECK(len[0] == 0 && len[1] == 16 && len[2] == 8 && sum[0] == 0x00657962 &&
                         sum[1] == fnv(FNV_INIT, got[1], 16),
                     "received %u, %u and %u bytes (tag %#x, sum %#x of the 16: %#x); expected exactly vm0's "
                     "valid sends: 0, 16 and 8 bytes (tag 0x657962, the sum of the 16): a refused call must "
                     "queue nothing",
                     len[0], len[1], len[2], sum[0], sum[1], fnv(FNV_INIT, got[1], 16));
    if (ok) mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 5 (lab5-deaf): vm1 never reads. vm0 fills channel 0 and keeps trying it;
// its channel 1 to vm2 still flows, vm3 keeps its share of the CPU, and once
// vm1 powers off channel 0 says "not connected".

constexpr u64 HAMMER_END_US = 60000, COUNT_FROM_US = 15000, COUNT_TO_US = 55000, DEAF_OFF_US = 150000;
constexpr u32 OTHER_N = 2000;

void deaf_sender() {
    init(IRQ0, IRQ1);
    gic::irq_off();
    bool ok = true;
    u32 filled = 0;
    make(buf, 0, 64);
    while (filled <= DEPTH && ch::send(0, buf, 64) == MV_OK) ++filled;
    ok &= CHECK(filled == DEPTH,
                "%u sends to the VM that never reads succeeded, expected %u "
                "(the depth) and then MV_WOULD_BLOCK",
                filled, DEPTH);
    u32 attempts = 0, wrong = 0;
    while (now_us() < HAMMER_END_US) {
        i32 rc = ch::send(0, buf, 64);
        ++attempts;
        if (rc != MV_WOULD_BLOCK && wrong++ == 0)
            fail("send %u to the full queue returned %d (%s), expected MV_WOULD_BLOCK", attempts, rc, name(rc));
    }
    mvt::value("deaf_attempts", attempts);
    ok &= wrong == 0;
    u64 start = now_us();
    i32 rc = MV_OK;
    for (u32 i = 0; i < OTHER_N && rc == MV_OK; ++i) {
        make(buf, i, 4 + i % 200);
        rc = ch::send_wait(1, buf, 4 + i % 200, in_us(SECOND));
        if (i % 100 == 0) {
            i32 deaf = ch::send(0, buf, 64);
            if (deaf != MV_WOULD_BLOCK && wrong++ == 0)
                fail("a send to the full queue returned %d (%s), expected MV_WOULD_BLOCK", deaf, name(deaf));
        }
    }
    mvt::value("other_channel_us", static_cast<long long>(now_us() - start));
    ok &= expect_status(rc, MV_OK, "a send on the other channel (waiting at most 1 s)");
    ok &= wait_disconnected(0);
    ch::Status s = ch::status(0);
    ok &= CHECK(s.free == 0 && s.flags == 0,
                "the deaf VM off: flags %#x, %u free; expected 0 (not connected, not TX_READY), 0 free (its "
                "unread messages stay)",
                s.flags, s.free);
    ok &= expect_status(ch::send(0, buf, 64), MV_NOT_CONNECTED, "a send to the powered-off VM");
    if (ok && wrong == 0) mvt::pass(scenario);
}

void deaf() {
    init(IRQ0);
    gic::irq_on();  // its notification comes once; it reads nothing
    while (now_us() < DEAF_OFF_US) sleep_us(DEAF_OFF_US - now_us());
    mvt::value("deaf_notified", ch::notifications(IRQ0));
}

void other_reader() {
    init(IRQ1);
    u32 len = 0, good = 0;
    i32 rc = MV_OK;
    for (u32 i = 0; i < OTHER_N; ++i) {
        rc = ch::recv_wait(1, buf, sizeof buf, len, in_us(2 * SECOND));
        if (rc != MV_OK) break;
        if (len == 4 + i % 200 && first_wrong(buf, i, len) == len) ++good;
    }
    mvt::value("other_received", good);
    if (expect_status(rc, MV_OK, "a receive on the other channel (2 s)") &&
        CHECK(good == OTHER_N, "%u of %u messages arrived as sent", good, OTHER_N))
        mvt::pass(scenario);
}

/// vm3: the share of the CPU it gets while vm0 hammers the full queue (vm0
/// and vm3 alone want the CPU then: a fair share is half), and the longest
/// time it was away.
void bystander() {
    constexpr u32 CHUNK = 256;
    while (now_us() < COUNT_FROM_US) asm volatile("nop");
    u64 chunks = 0, fastest = ~0ull, max_gap = 0, start = cntvct(), last = start;
    u64 to = COUNT_TO_US * cntfrq() / 1000000;
    while (last < to) {
        u64 begin = last, t = last;
        for (u32 i = 0; i < CHUNK; ++i) {
            u64 now = cntvct();
            if (now - t > max_gap) max_gap = now - t;
            t = now;
        }
        if (t - begin < fastest) fastest = t - begin;
        last = t;
        ++chunks;
    }
    u64 elapsed = last - start;
    // chunks * fastest: the time the work took when it ran; the rest it waited.
    mvt::value("bystander_share_permille", static_cast<long long>(chunks * fastest * 1000 / elapsed));
    mvt::value("bystander_max_gap_us", static_cast<long long>(max_gap * 1000000 / cntfrq()));
    mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 6: 1 MiB through the byte stream, written and read in pieces of sizes
// unrelated to each other and to the frames.

constexpr u32 STREAM_BYTES = 1 << 20;
u32 xorshift(u32& s) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

void stream_writer() {
    init(IRQ0);
    ch::Stream stream(0, MSG, buf, buf2);
    stream.set_deadline(in_us(20 * SECOND));
    u32 data = 12345, sizes = 777, done = 0, sum = FNV_INIT;
    static u8 piece[5000];
    i32 rc = MV_OK;
    while (done < STREAM_BYTES && rc == MV_OK) {
        u32 n = 1 + xorshift(sizes) % 3000;
        if (n > STREAM_BYTES - done) n = STREAM_BYTES - done;
        for (u32 k = 0; k < n; ++k) piece[k] = static_cast<u8>(xorshift(data));
        sum = fnv(sum, piece, n);
        rc = stream.write(piece, n);
        done += rc == MV_OK ? n : 0;
    }
    if (rc == MV_OK) rc = stream.flush();
    mvt::value("stream_sum_sent", sum);
    mvt::value("stream_frames", stream.frames_sent());
    mvt::value("stream_writer_blocked", stream.blocked());
    if (expect_status(rc, MV_OK, "the stream's write")) mvt::pass(scenario);
}

void stream_reader() {
    init(IRQ0);
    static u8 tx[MSG], rx[MSG];
    ch::Stream stream(0, MSG, tx, rx);
    stream.set_deadline(in_us(20 * SECOND));
    u32 data = 12345, sizes = 4242, done = 0, sum = FNV_INIT, wrong = STREAM_BYTES;
    static u8 piece[5000];
    i32 rc = MV_OK;
    while (done < STREAM_BYTES) {
        u32 n = 1 + xorshift(sizes) % 5000;
        if (n > STREAM_BYTES - done) n = STREAM_BYTES - done;
        rc = stream.read(piece, n);
        if (rc != MV_OK) break;
        for (u32 k = 0; k < n; ++k)
            if (piece[k] != static_cast<u8>(xorshift(data)) && wrong == STREAM_BYTES) wrong = done + k;
        sum = fnv(sum, piece, n);
        done += n;
    }
    mvt::value("stream_bytes", done);
    mvt::value("stream_sum_received", sum);
    bool ok = expect_status(rc, MV_OK, "the stream's read");
    ok &= CHECK(wrong == STREAM_BYTES, "byte %#x of the stream differs from what was written", wrong);
    // The writer powers off: the end of the stream.
    u8 more = 0;
    if (rc == MV_OK)
        ok &= expect_status(stream.read(&more, 1), MV_NOT_CONNECTED,
                            "a read past the last byte once the writer powered off");
    if (ok) mvt::pass(scenario);
}

// ---------------------------------------------------------------------------
// 7: request/response: calls of 1 to 4,096 bytes carrying 1 MiB in all; the
// server answers each with the request's sum and its bytes inverted.

constexpr u32 RPC_BYTES = 1 << 20, RPC_MAX = 4096;

u32 rpc_handler(const u8* req, u32 len, u8* resp, u32 room) {
    if (len + 4 > room) return 0;
    u32 s = fnv(FNV_INIT, req, len);
    __builtin_memcpy(resp, &s, 4);
    for (u32 i = 0; i < len; ++i) resp[4 + i] = static_cast<u8>(~req[i]);
    return len + 4;
}

void rpc_client() {
    init(IRQ0);
    ch::Stream stream(0, MSG, buf, buf2);
    stream.set_deadline(in_us(20 * SECOND));
    ch::Rpc rpc(stream);
    static u8 req[RPC_MAX], resp[RPC_MAX + 4];
    u32 data = 99, total = 0, calls = 0, good = 0;
    i32 rc = MV_OK;
    while (total < RPC_BYTES) {
        u32 len = calls == 0 ? 1 : 1 + xorshift(data) % RPC_MAX;  // about 2 KiB on average
        if (len > RPC_BYTES - total) len = RPC_BYTES - total;
        for (u32 k = 0; k < len; ++k) req[k] = static_cast<u8>(xorshift(data));
        u32 got = 0;
        rc = rpc.call(req, len, resp, sizeof resp, got);
        if (rc != MV_OK) break;
        total += len;
        u32 s = 0;
        __builtin_memcpy(&s, resp, 4);
        bool same = got == len + 4 && s == fnv(FNV_INIT, req, len);
        for (u32 k = 0; same && k < len; ++k) same = resp[4 + k] == static_cast<u8>(~req[k]);
        if (same)
            ++good;
        else if (good == calls)
            fail("call %u (%u bytes): a response of %u bytes that does not answer it (expected %u)", calls, len, got,
                 len + 4);
        ++calls;
    }
    u32 got = 0;
    i32 quit = rc == MV_OK ? rpc.call(req, 0, resp, sizeof resp, got) : rc;  // an empty request ends the server
    mvt::value("rpc_calls", calls);
    mvt::value("rpc_answered", good);
    mvt::value("rpc_bytes", total);
    bool ok = expect_status(rc, MV_OK, "a call");
    ok &= expect_status(quit, MV_OK, "the last (empty) call");
    if (ok && good == calls) mvt::pass(scenario);
}

u32 served_bytes;
u32 counting_handler(const u8* req, u32 len, u8* resp, u32 room) {
    served_bytes += len;
    return rpc_handler(req, len, resp, room);
}

void rpc_server() {
    init(IRQ0);
    static u8 tx[MSG], rx[MSG], scratch[RPC_MAX], out[RPC_MAX + 4];
    ch::Stream stream(0, MSG, tx, rx);
    stream.set_deadline(in_us(20 * SECOND));
    ch::Rpc rpc(stream);
    u32 served = 0;
    i32 rc = MV_OK;
    for (;;) {
        u32 before = served_bytes;
        rc = rpc.serve(counting_handler, scratch, sizeof scratch, out, sizeof out);
        if (rc != MV_OK) break;
        ++served;
        if (served_bytes == before) break;  // the empty request: the client is done
    }
    mvt::value("rpc_served", served);
    mvt::value("rpc_served_bytes", served_bytes);
    if (expect_status(rc, MV_OK, "serving a request") &&
        CHECK(served_bytes == RPC_BYTES, "requests of %#x bytes in all served, expected %#x", served_bytes, RPC_BYTES))
        mvt::pass(scenario);
}

struct Role {
    u32 selector, vm;
    const char* name;  ///< its PASS line
    void (*run)();
};

const Role roles[] = {
    {1, 0, "fifo_send", fifo_sender},          {1, 1, "fifo_order", fifo_receiver},
    {2, 0, "flood_producer", flood_producer},  {2, 1, "flood_consumer", flood_consumer},
    {3, 0, "both_ways", [] { both_ways(0); }}, {3, 1, "both_ways", [] { both_ways(1); }},
    {4, 0, "refused", refuse_sender},          {4, 1, "refused_peer", refuse_receiver},
    {5, 0, "deaf_sender", deaf_sender},        {5, 1, "deaf", deaf},
    {5, 2, "other_reader", other_reader},      {5, 3, "bystander", bystander},
    {6, 0, "stream_writer", stream_writer},    {6, 1, "stream_reader", stream_reader},
    {7, 0, "rpc_client", rpc_client},          {7, 1, "rpc_server", rpc_server},
};

}  // namespace

int main() {
    u32 id = vm_id(), sel = param_selector();
    if (sel < 1 || sel > 7) mvt::fail("selector", "no scenario %u: try SELECTOR=1", sel);
    for (const Role& r : roles) {
        if (r.selector == sel && r.vm == id) {
            scenario = r.name;
            r.run();
        }
    }
    mvt::done();  // a VM the scenario does not use powers off at once
    return 0;
}
