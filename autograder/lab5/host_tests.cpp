// SPDX-License-Identifier: MIT
// Lab 5 host tests: the channels (kernel/channel.cpp: channel_send,
// channel_recv, channel_status, channels_reset) as mv/abi.h states
// MV_CALL_CHANNEL_SEND, _RECV and _STATUS, called as a guest calls them,
// through the registry's vendor calls (kernel/channel_services.cpp), with the
// guests' memory behind the real stage-2 maps and guest_copy_in/out. The
// system (common/test_system_lab5.cpp): VMs a, b, c, each with RAM at
// 0x4000_0000, read-only RAM at 0x4010_0000, 8 KiB of RAM at 0x4020_0000 with
// nothing after it, a device at 0x0a00_0000; channels
//   handle 0: a <-> b, SPI 80, depth 4, 62-byte messages
//   handle 1: b <-> c, SPI 48, depth 2, 16-byte messages
//   handle 2: c <-> a, SPI 95, depth 1, 2048-byte messages
// Notifications are observed in each VM's distributor (GICD_ISPENDR), cleared
// by GICD_ICPENDR between steps, as a guest would.
#include <cstring>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/channel.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/registry.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vm_memory.hpp"
#include "mv/abi.h"

using namespace mv;

namespace {

constexpr u32 A = 0, B = 1, C = 2;  // VM ids
constexpr u32 AB = 0, BC = 1, CA = 2, NCHANNELS = 3;  // handles
constexpr u32 RAM = 0x40000000, READ_ONLY = 0x40100000, EDGE = 0x40200000, EDGE_END = 0x40202000,
              DEVICE = 0x0a000000, UNMAPPED = 0x50000000;
constexpr u32 ISPENDR = 0x200, ICPENDR = 0x280;  // GICD offsets (IHI 0048B table 4-1)
constexpr u32 CTLR = 0x000, ISENABLER = 0x100, IPRIORITYR = 0x400, ITARGETSR = 0x800;
constexpr u32 KEEP2 = 0x2222aaaa, KEEP3 = 0x3333bbbb;  // markers; r4 holds call_vendor's
constexpr u8 FILL = 0xa5;  // what a receive buffer holds before the receive

struct ChannelInfo {
    u32 ends[2], irq, depth, size;
};
constexpr ChannelInfo channel[NCHANNELS] = {{{A, B}, 80, 4, 62}, {{B, C}, 48, 2, 16}, {{C, A}, 95, 1, 2048}};

std::string hex(u64 v) { return fake::hex(v); }
std::string status(i32 s) { return hex(static_cast<u32>(s)); }

std::string name(i32 s) {
    switch (s) {
    case MV_OK: return "MV_OK";
    case MV_INVALID_ADDRESS: return "MV_INVALID_ADDRESS";
    case MV_WOULD_BLOCK: return "MV_WOULD_BLOCK";
    case MV_TOO_BIG: return "MV_TOO_BIG";
    case MV_BAD_HANDLE: return "MV_BAD_HANDLE";
    case MV_NOT_CONNECTED: return "MV_NOT_CONNECTED";
    default: return "status " + status(s);
    }
}

/// The bytes of message number `n`, `len` of them: each message its own.
std::string message(u32 n, u32 len) {
    std::string m(len, '\0');
    for (u32 i = 0; i < len; ++i) m[i] = static_cast<char>((n * 37 + i * 7 + 1) & 0xff);
    return m;
}

/// Where two byte strings first differ, for a failure message.
std::string difference(const std::string& got, const std::string& want) {
    size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    if (i == got.size() && i == want.size()) return "the same";
    auto at = [](const std::string& s, size_t i) { return i < s.size() ? hex(static_cast<u8>(s[i])) : "(none)"; };
    return "byte " + hex(i) + " is " + at(got, i) + ", expected " + at(want, i);
}

class Channels : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        ASSERT_EQ(system_config.nchannels, NCHANNELS) << "the test system has 3 channels";
        for (u32 i = 0; i < system_config.nvms; ++i) {
            ASSERT_TRUE(vm_memory_build(vm(i))) << "the test system's stage-2 map of VM " << i << " (Lab 3's Stage2)";
            vm(i).vgic.reset(vm(i).config->vcpus);
        }
        // Stale bytes in every slot: a length or a message read from the wrong place shows.
        for (u32 h = 0; h <= NCHANNELS; ++h) {
            const ChannelConfig& c = system_config.channels[h];
            std::memset(c.storage, 0xee, 2 * c.depth * c.slot_size());
        }
        // Lab 1's accessor, which every copy goes through, must work (its own tests: Lab 1).
        char probe[4] = {};
        poke_vm(A, RAM, "ok!");
        ASSERT_TRUE(guest_copy_in(vm(A), probe, RAM, 3) && std::string(probe) == "ok!")
            << "guest_copy_in does not read VM a's RAM: Lab 1's tests first";
        ASSERT_FALSE(guest_copy_out(vm(A), READ_ONLY, probe, 1))
            << "guest_copy_out writes read-only memory: Lab 1's tests first";
        poke_vm(A, RAM, std::string(3, '\0'));
        forget_running();
        channels_reset();
    }

    /// The host pointer to guest-physical `gpa` of VM `id` (the test system's regions, not its stage-2 map).
    u8* at(u32 id, u32 gpa) {
        const VmConfig& c = *vm(id).config;
        for (u32 i = 0; i < c.nregions; ++i) {
            const MemRegion& r = c.regions[i];
            if (r.kind == MemKind::Ram && gpa - r.gpa < r.size) return arch::phys_to_virt(r.pa + (gpa - r.gpa));
        }
        ADD_FAILURE() << "(test) gpa " << hex(gpa) << " is no RAM of VM " << id;
        static u8 nowhere[0x1000];
        return nowhere;
    }
    void poke_vm(u32 id, u32 gpa, const std::string& bytes) { std::memcpy(at(id, gpa), bytes.data(), bytes.size()); }
    std::string peek_vm(u32 id, u32 gpa, u32 len) { return std::string(reinterpret_cast<char*>(at(id, gpa)), len); }

    using Regs = mvtest::HcRegs;

    static std::string what(u32 fid, const Vcpu& v, u32 r1, u32 r2, u32 r3) {
        std::string s = fid == MV_CALL_CHANNEL_SEND   ? "channel send (" + hex(fid) + ", channel_send)"
                        : fid == MV_CALL_CHANNEL_RECV ? "channel receive (" + hex(fid) + ", channel_recv)"
                                                      : "channel status (" + hex(fid) + ", channel_status)";
        s += " by VM " + hex(v.vm->id()) + ", r1 " + hex(r1);
        return fid == MV_CALL_CHANNEL_STATUS ? s : s + ", r2 " + hex(r2) + ", r3 " + hex(r3);
    }

    /// Call vendor function `fid` from `v` as its guest would (common/host_fixture.hpp).
    Regs call(u32 fid, Vcpu& v, u32 r1, u32 r2, u32 r3) {
        return mvtest::call_vendor(v, fid, r1, r2, r3, what(fid, v, r1, r2, r3), "kernel/channel_services.cpp");
    }

    /// Send the `len` bytes at `gpa` of VM `from` on `handle`: r0 must be `expect`, r1-r3 as they were.
    void send_at(u32 from, u32 handle, u32 gpa, u32 len, i32 expect, u32 cpu = 0) {
        Vcpu& v = vm(from).vcpus[cpu];
        std::string w = what(MV_CALL_CHANNEL_SEND, v, handle, gpa, len);
        Regs r = call(MV_CALL_CHANNEL_SEND, v, handle, gpa, len);
        EXPECT_EQ(status(static_cast<i32>(r.r[0])), status(expect))
            << w << ": r0 is " << name(static_cast<i32>(r.r[0])) << ", expected " << name(expect);
        EXPECT_EQ(hex(r.r[1]), hex(handle)) << w << ": r1 is left as it was";
        EXPECT_EQ(hex(r.r[2]), hex(gpa)) << w << ": r2 is left as it was";
        EXPECT_EQ(hex(r.r[3]), hex(len)) << w << ": r3 is left as it was";
    }

    /// Put `bytes` at RAM + `offset` of VM `from` and send them on `handle`.
    void send(u32 from, u32 handle, const std::string& bytes, i32 expect = MV_OK, u32 offset = 0x100) {
        poke_vm(from, RAM + offset, bytes);
        send_at(from, handle, RAM + offset, static_cast<u32>(bytes.size()), expect);
    }

    /// Receive on `handle` into `gpa` of VM `to`, with `room` bytes: r0 must be `expect`, r1 `len`,
    /// r2 and r3 as they were. Returns r1.
    u32 recv_at(u32 to, u32 handle, u32 gpa, u32 room, i32 expect, u32 len) {
        Vcpu& v = vm(to).vcpus[0];
        std::string w = what(MV_CALL_CHANNEL_RECV, v, handle, gpa, room);
        Regs r = call(MV_CALL_CHANNEL_RECV, v, handle, gpa, room);
        EXPECT_EQ(status(static_cast<i32>(r.r[0])), status(expect))
            << w << ": r0 is " << name(static_cast<i32>(r.r[0])) << ", expected " << name(expect);
        EXPECT_EQ(hex(r.r[1]), hex(len)) << w << ": r1 is "
                                          << (expect == MV_OK       ? "the message's length"
                                              : expect == MV_TOO_BIG ? "the length of the message that did not fit"
                                                                     : "0 after a failure");
        EXPECT_EQ(hex(r.r[2]), hex(gpa)) << w << ": r2 is left as it was";
        EXPECT_EQ(hex(r.r[3]), hex(room)) << w << ": r3 is left as it was";
        return r.r[1];
    }

    /// Receive on `handle` into RAM + 0x800 of VM `to` (room `room`, default the message size):
    /// MV_OK and exactly `want`, the bytes after it untouched.
    void expect_message(u32 to, u32 handle, const std::string& want, u32 room = 0) {
        if (room == 0) room = channel[handle].size;
        u32 gpa = RAM + 0x800;
        poke_vm(to, gpa, std::string(room + 16, static_cast<char>(FILL)));
        u32 len = static_cast<u32>(want.size());
        recv_at(to, handle, gpa, room, MV_OK, len);
        std::string got = peek_vm(to, gpa, len);
        EXPECT_TRUE(got == want) << "VM " << to << " received on channel " << handle << " a message of " << hex(len)
                                 << " bytes, not the one sent: " << difference(got, want);
        std::string rest = peek_vm(to, gpa + len, room + 16 - len);
        EXPECT_TRUE(rest == std::string(room + 16 - len, static_cast<char>(FILL)))
            << "VM " << to << " received a message of " << hex(len) << " bytes on channel " << handle
            << ": the bytes after it were written (" << difference(rest, std::string(rest.size(), static_cast<char>(FILL)))
            << "): only the message's own bytes are copied out";
    }

    /// A receive on `handle` by VM `to` that must fail with `expect` (r1 0), its buffer left alone.
    void expect_no_message(u32 to, u32 handle, i32 expect) {
        poke_vm(to, RAM + 0x800, std::string(64, static_cast<char>(FILL)));
        recv_at(to, handle, RAM + 0x800, 64, expect, 0);
        EXPECT_TRUE(peek_vm(to, RAM + 0x800, 64) == std::string(64, static_cast<char>(FILL)))
            << "a failed receive (" << name(expect) << ") by VM " << to << " on channel " << handle
            << " wrote into its buffer";
    }

    /// Status of `handle` for VM `id`: r0, r1 (flags), r2 (waiting), r3 (free) must be as given.
    void expect_status(u32 id, u32 handle, i32 expect, u32 flags, u32 waiting, u32 free, const std::string& after) {
        Vcpu& v = vm(id).vcpus[0];
        std::string w = what(MV_CALL_CHANNEL_STATUS, v, handle, 0, 0) + " after " + after;
        Regs r = call(MV_CALL_CHANNEL_STATUS, v, handle, KEEP2, KEEP3);
        EXPECT_EQ(status(static_cast<i32>(r.r[0])), status(expect))
            << w << ": r0 is " << name(static_cast<i32>(r.r[0])) << ", expected " << name(expect);
        EXPECT_EQ(hex(r.r[1]), hex(flags)) << w << ": r1, the flags (RX_READY 0x1: a message waits; TX_READY 0x2: the "
                                                   "send queue is not full; CONNECTED 0x4: the other end's VM runs)";
        EXPECT_EQ(hex(r.r[2]), hex(waiting)) << w << ": r2, the messages waiting to be received";
        EXPECT_EQ(hex(r.r[3]), hex(free)) << w << ": r3, the messages that may be sent before the queue is full";
    }

    /// Exactly SPI `irq` pending in VM `id`'s distributor, no SPI in any other VM (GICD_ISPENDR1-2);
    /// then VM `id`'s guest clears it (GICD_ICPENDR), ready for the next step. `irq` 0: none anywhere.
    void expect_notified(u32 id, u32 irq, const std::string& after) {
        for (u32 v = 0; v < system_config.nvms; ++v)
            for (u32 w = 1; w <= 2; ++w) {
                u32 want = v == id && irq / 32 == w ? 1u << (irq % 32) : 0;
                EXPECT_EQ(hex(vm(v).vgic.read(0, ISPENDR + 4 * w, 4)), hex(want))
                    << "after " << after << ": GICD_ISPENDR" << w << " of VM " << v
                    << (irq == 0 ? " (no notification is due)"
                                 : " (only the channel's SPI " + hex(irq) + ", in VM " + hex(id) + ")");
            }
        if (irq != 0) vm(id).vgic.write(0, ICPENDR + 4 * (irq / 32), 4, 1u << (irq % 32));
    }
    void expect_nothing_pending(const std::string& after) { expect_notified(0, 0, after); }
};

// --- the queues ---------------------------------------------------------------------------------

TEST_F(Channels, OneMessageArrivesFromTheSendersMemory) {
    std::string hello = "hello, b";
    poke_vm(B, RAM + 0x100, "not this");  // the same gpa in VM b: the copy must read VM a's memory
    send(A, AB, hello);
    expect_message(B, AB, hello);
    EXPECT_TRUE(peek_vm(A, RAM + 0x800, 8) == std::string(8, '\0')) << "the receive wrote into VM a's memory, not VM b's";
}

TEST_F(Channels, FifoOrderAcrossTheRingsWrapAround) {
    // Depth 4, ten messages of different lengths: the ring wraps around twice.
    u32 sent = 0, received = 0;
    auto send_next = [&] { send(A, AB, message(sent, 5 + sent * 5), MV_OK), ++sent; };
    auto recv_next = [&] {
        SCOPED_TRACE("message " + hex(received) + " (of " + hex(5 + received * 5) + " bytes) must come next");
        expect_message(B, AB, message(received, 5 + received * 5)), ++received;
    };
    for (int step : {3, -2, 3, -3, 2, -3, 2, -2}) {
        for (int i = 0; i < step; ++i) send_next();
        for (int i = 0; i < -step; ++i) recv_next();
    }
    ASSERT_EQ(sent, 10u);
    EXPECT_EQ(received, 10u);
    expect_no_message(B, AB, MV_WOULD_BLOCK);
}

TEST_F(Channels, ExactLengthsZeroAndTheMessageSize) {
    send(A, AB, "");                // an empty message is a message
    send(A, AB, message(1, 62));    // exactly message_size fits
    send(A, AB, message(2, 1));
    send(A, AB, message(3, 61));
    expect_status(B, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 4, 4,
                  "four messages of 0x0, 0x3e, 0x1, 0x3d bytes");
    expect_message(B, AB, "");
    expect_message(B, AB, message(1, 62));
    expect_message(B, AB, message(2, 1));
    expect_message(B, AB, message(3, 61), 61);  // a room of exactly the message's length
}

TEST_F(Channels, TooBigToSendQueuesNothing) {
    for (u32 len : {63u, 64u, 0x10000u, 0xffffffffu}) {
        SCOPED_TRACE("a send of " + hex(len) + " bytes on a channel of 0x3e-byte messages");
        send_at(A, AB, RAM + 0x100, len, MV_TOO_BIG);
        expect_status(B, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "a send that was too big");
        expect_status(A, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "a send that was too big");
    }
    expect_nothing_pending("sends that were too big");
    send_at(C, CA, RAM, 2049, MV_TOO_BIG);  // 2048 + 1 on the other channel
    expect_status(A, CA, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 1, "a send of 0x801 bytes by VM c");
    send(A, AB, message(7, 62));
    expect_message(B, AB, message(7, 62));
}

TEST_F(Channels, ReceiveIntoTooLittleRoomKeepsTheMessage) {
    send(A, AB, message(1, 20));
    poke_vm(B, RAM + 0x800, std::string(32, static_cast<char>(FILL)));
    recv_at(B, AB, RAM + 0x800, 19, MV_TOO_BIG, 20);
    recv_at(B, AB, RAM + 0x800, 0, MV_TOO_BIG, 20);
    EXPECT_TRUE(peek_vm(B, RAM + 0x800, 32) == std::string(32, static_cast<char>(FILL)))
        << "a receive that was too big wrote into the buffer";
    expect_status(B, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 1, 4,
                  "receives with too little room (the message stays)");
    expect_message(B, AB, message(1, 20), 20);
    expect_no_message(B, AB, MV_WOULD_BLOCK);
}

TEST_F(Channels, BothDirectionsAreIndependent) {
    send(A, AB, message(1, 10));
    send(A, AB, message(2, 11));
    send(B, AB, message(3, 12));
    send(B, AB, message(4, 13));
    send(B, AB, message(5, 14));
    expect_status(A, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 3, 2,
                  "VM a sent 2, VM b sent 3");
    expect_status(B, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 2, 1,
                  "VM a sent 2, VM b sent 3");
    expect_message(A, AB, message(3, 12));
    expect_message(B, AB, message(1, 10));
    expect_message(A, AB, message(4, 13));
    expect_message(A, AB, message(5, 14));
    expect_no_message(A, AB, MV_WOULD_BLOCK);  // VM a never receives its own messages
    expect_message(B, AB, message(2, 11));
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    // Channel 2, where VM a is ends[1]: both of its one-message queues full at once.
    send(A, CA, message(6, 2048));
    send(C, CA, message(7, 2047));
    expect_message(C, CA, message(6, 2048));
    expect_message(A, CA, message(7, 2047));
}

TEST_F(Channels, MaximumSizeMessagesAcrossPages) {
    // 2048 bytes from and to buffers that cross a 4 KiB page of the guest.
    poke_vm(C, RAM + 0x1c00, message(1, 2048));
    send_at(C, CA, RAM + 0x1c00, 2048, MV_OK);
    poke_vm(A, RAM + 0x2c00, std::string(2048, static_cast<char>(FILL)));
    recv_at(A, CA, RAM + 0x2c00, 2048, MV_OK, 2048);
    EXPECT_TRUE(peek_vm(A, RAM + 0x2c00, 2048) == message(1, 2048))
        << "a message of 0x800 bytes: " << difference(peek_vm(A, RAM + 0x2c00, 2048), message(1, 2048));
}

TEST_F(Channels, FullQueueWouldBlockAndChangesNothing) {
    for (u32 i = 0; i < 4; ++i) send(A, AB, message(i, 30 + i));
    send(A, AB, message(9, 8), MV_WOULD_BLOCK);
    expect_status(A, AB, MV_OK, MV_CHANNEL_CONNECTED, 0, 0, "four sends on a queue of four");
    expect_message(B, AB, message(0, 30));
    send(A, AB, message(4, 34));  // room again
    send(A, AB, message(9, 8), MV_WOULD_BLOCK);
    for (u32 i = 1; i < 5; ++i) expect_message(B, AB, message(i, 30 + i));
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    send(C, CA, message(5, 1));
    send(C, CA, message(6, 1), MV_WOULD_BLOCK);  // depth 1
    expect_message(A, CA, message(5, 1));
}

TEST_F(Channels, EmptyQueueWouldBlock) {
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    expect_no_message(A, AB, MV_WOULD_BLOCK);
    expect_no_message(A, CA, MV_WOULD_BLOCK);
    send(A, AB, message(1, 3));
    expect_message(B, AB, message(1, 3));
    expect_no_message(B, AB, MV_WOULD_BLOCK);  // and again once drained
}

// --- bad handles and buffers ----------------------------------------------------------------------

TEST_F(Channels, HandlesAtAndBeyondNchannelsAreBad) {
    for (u32 handle : {NCHANNELS, MAX_CHANNELS - 1, MAX_CHANNELS, 0x80000000u, 0xffffffffu}) {
        SCOPED_TRACE("handle " + hex(handle) + ", no channel (the system has " + hex(NCHANNELS) + ")");
        send(A, handle, "x", MV_BAD_HANDLE);
        expect_no_message(B, handle, MV_BAD_HANDLE);
        expect_status(A, handle, MV_BAD_HANDLE, 0, 0, 0, "nothing (r1-r3 are 0 after MV_BAD_HANDLE)");
    }
    expect_status(B, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "sends on bad handles");
    expect_nothing_pending("sends on bad handles");
}

TEST_F(Channels, AChannelOfTwoOtherVmsIsABadHandle) {
    send(B, BC, message(1, 4));
    send(A, BC, message(2, 4), MV_BAD_HANDLE);   // b <-> c: not VM a's
    expect_no_message(A, BC, MV_BAD_HANDLE);      // its message for VM c is not VM a's to take
    expect_status(A, BC, MV_BAD_HANDLE, 0, 0, 0, "nothing");
    send(B, CA, message(3, 4), MV_BAD_HANDLE);   // c <-> a: not VM b's
    expect_no_message(B, CA, MV_BAD_HANDLE);
    send(C, AB, message(4, 4), MV_BAD_HANDLE);   // a <-> b: not VM c's
    expect_no_message(C, AB, MV_BAD_HANDLE);
    expect_status(C, AB, MV_BAD_HANDLE, 0, 0, 0, "nothing");
    expect_status(C, BC, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 1, 2,
                  "refused calls by VM a on channel 1");
    expect_message(C, BC, message(1, 4));
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    expect_no_message(A, CA, MV_WOULD_BLOCK);
}

TEST_F(Channels, SendFromABadBufferIsRefusedAndQueuesNothing) {
    struct Case {
        u32 gpa, len;
        const char* what;
    } cases[] = {{UNMAPPED, 4, "unmapped"},
                 {DEVICE, 4, "device memory"},
                 {EDGE_END - 0x10, 0x20, "RAM running into an unmapped page"},
                 {EDGE - 0x10, 0x20, "starting in an unmapped page"},
                 {0xfffffff0, 0x20, "wrapping around 4 GiB"}};
    for (const Case& k : cases) {
        SCOPED_TRACE(std::string("a send from a buffer at ") + hex(k.gpa) + ", " + hex(k.len) + " bytes: " + k.what);
        send_at(A, AB, k.gpa, k.len, MV_INVALID_ADDRESS);
        expect_status(B, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "the refused send");
    }
    expect_nothing_pending("refused sends");
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    poke_vm(A, READ_ONLY + 0x10, message(1, 6));  // read-only memory may be sent from
    send_at(A, AB, READ_ONLY + 0x10, 6, MV_OK);
    poke_vm(A, EDGE_END - 8, message(2, 8));      // up to the last byte before the unmapped page
    send_at(A, AB, EDGE_END - 8, 8, MV_OK);
    expect_message(B, AB, message(1, 6));
    expect_message(B, AB, message(2, 8));
}

TEST_F(Channels, ReceiveIntoABadBufferKeepsTheMessage) {
    send(A, AB, message(1, 0x20));
    struct Case {
        u32 gpa;
        const char* what;
    } cases[] = {{UNMAPPED, "unmapped"},
                 {READ_ONLY + 0x100, "read-only RAM"},
                 {DEVICE, "device memory"},
                 {EDGE_END - 0x10, "RAM running into an unmapped page"}};
    for (const Case& k : cases) {
        SCOPED_TRACE(std::string("a receive into ") + hex(k.gpa) + ": " + k.what);
        recv_at(B, AB, k.gpa, 0x40, MV_INVALID_ADDRESS, 0);
        expect_status(B, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 1, 4,
                      "the refused receive (the message stays)");
    }
    EXPECT_TRUE(peek_vm(B, READ_ONLY + 0x100, 0x20) == std::string(0x20, '\0')) << "the read-only buffer was written";
    EXPECT_TRUE(peek_vm(B, EDGE_END - 0x10, 0x10) == std::string(0x10, '\0'))
        << "the part of the buffer before the unmapped page was written: a refused copy writes nothing";
    expect_message(B, AB, message(1, 0x20));
    expect_no_message(B, AB, MV_WOULD_BLOCK);
}

// --- not connected ----------------------------------------------------------------------------------

TEST_F(Channels, SendToAFinishedVmIsNotConnected) {
    vm(B).state = VmState::crashed;
    send(A, AB, message(1, 4), MV_NOT_CONNECTED);
    expect_status(A, AB, MV_OK, MV_CHANNEL_TX_READY, 0, 4, "VM b crashed");
    vm(A).state = VmState::powered_off;
    send(C, CA, message(2, 4), MV_NOT_CONNECTED);
    expect_status(C, CA, MV_OK, MV_CHANNEL_TX_READY, 0, 1, "VM a powered off");
    expect_status(C, BC, MV_OK, MV_CHANNEL_TX_READY, 0, 2, "VM b crashed");
    expect_nothing_pending("sends to finished VMs");
}

TEST_F(Channels, ReceiveDrainsWhatWasQueuedThenIsNotConnected) {
    send(A, AB, message(1, 5));
    send(A, AB, message(2, 6));
    vm(A).state = VmState::crashed;
    expect_status(B, AB, MV_OK, MV_CHANNEL_RX_READY | MV_CHANNEL_TX_READY, 2, 4, "VM a sent two and crashed");
    expect_message(B, AB, message(1, 5));
    expect_message(B, AB, message(2, 6));
    expect_no_message(B, AB, MV_NOT_CONNECTED);
    expect_no_message(C, BC, MV_WOULD_BLOCK);  // VM b still runs: nothing yet
}

// --- status -----------------------------------------------------------------------------------------

TEST_F(Channels, StatusFlagsAndCounts) {
    const u32 TX = MV_CHANNEL_TX_READY, RX = MV_CHANNEL_RX_READY, ON = MV_CHANNEL_CONNECTED;
    expect_status(A, AB, MV_OK, TX | ON, 0, 4, "nothing sent");
    expect_status(B, AB, MV_OK, TX | ON, 0, 4, "nothing sent");
    expect_status(A, CA, MV_OK, TX | ON, 0, 1, "nothing sent");
    send(A, AB, message(1, 1));
    expect_status(A, AB, MV_OK, TX | ON, 0, 3, "VM a sent one");
    expect_status(B, AB, MV_OK, RX | TX | ON, 1, 4, "VM a sent one");
    for (u32 i = 2; i < 5; ++i) send(A, AB, message(i, 1));
    expect_status(A, AB, MV_OK, ON, 0, 0, "VM a sent four (full)");
    expect_status(B, AB, MV_OK, RX | TX | ON, 4, 4, "VM a sent four (full)");
    send(B, AB, message(5, 1));
    expect_status(A, AB, MV_OK, RX | ON, 1, 0, "VM b sent one too");
    expect_status(B, AB, MV_OK, RX | TX | ON, 4, 3, "VM b sent one too");
    send(A, CA, message(6, 1));
    expect_status(A, CA, MV_OK, ON, 0, 0, "VM a sent one on channel 2 (depth 1)");
    expect_status(C, CA, MV_OK, RX | TX | ON, 1, 1, "VM a sent one on channel 2");
    vm(C).state = VmState::powered_off;
    expect_status(A, CA, MV_OK, 0, 0, 0, "VM c powered off");
}

TEST_F(Channels, StudentFunctionsClearTheirResultsOnFailure) {
    u32 len = 0xdead, flags = 0xdead, waiting = 0xdead, free = 0xdead;
    EXPECT_EQ(name(channel_recv(vm(A), AB, RAM, 64, len)), name(MV_WOULD_BLOCK)) << "channel_recv on an empty queue";
    EXPECT_EQ(hex(len), hex(0)) << "channel_recv: `len` is 0 after a failure";
    len = 0xdead;
    EXPECT_EQ(name(channel_recv(vm(A), BC, RAM, 64, len)), name(MV_BAD_HANDLE)) << "channel_recv by VM a on channel 1";
    EXPECT_EQ(hex(len), hex(0)) << "channel_recv: `len` is 0 after MV_BAD_HANDLE";
    EXPECT_EQ(name(channel_status(vm(A), BC, flags, waiting, free)), name(MV_BAD_HANDLE))
        << "channel_status by VM a on channel 1";
    EXPECT_EQ(hex(flags), hex(0)) << "channel_status: `flags` is 0 after MV_BAD_HANDLE";
    EXPECT_EQ(hex(waiting), hex(0)) << "channel_status: `waiting` is 0 after MV_BAD_HANDLE";
    EXPECT_EQ(hex(free), hex(0)) << "channel_status: `free` is 0 after MV_BAD_HANDLE";
    poke_vm(A, RAM, message(1, 9));
    EXPECT_EQ(name(channel_send(vm(A), AB, RAM, 9)), name(MV_OK)) << "channel_send of 0x9 bytes";
    len = 0xdead;
    EXPECT_EQ(name(channel_recv(vm(B), AB, RAM, 8, len)), name(MV_TOO_BIG)) << "channel_recv with room 0x8";
    EXPECT_EQ(hex(len), hex(9)) << "channel_recv: `len` is the message's length after MV_TOO_BIG";
    len = 0xdead;
    EXPECT_EQ(name(channel_recv(vm(B), AB, READ_ONLY, 9, len)), name(MV_INVALID_ADDRESS))
        << "channel_recv into read-only memory";
    EXPECT_EQ(hex(len), hex(0)) << "channel_recv: `len` is 0 after MV_INVALID_ADDRESS";
}

TEST_F(Channels, ResetEmptiesEveryQueue) {
    send(A, AB, message(1, 4));
    send(B, AB, message(2, 4));
    send(B, BC, message(3, 4));
    send(C, CA, message(4, 4));
    channels_reset();
    expect_status(A, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "channels_reset()");
    expect_status(B, AB, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 4, "channels_reset()");
    expect_status(C, BC, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 2, "channels_reset()");
    expect_status(C, CA, MV_OK, MV_CHANNEL_TX_READY | MV_CHANNEL_CONNECTED, 0, 1, "channels_reset()");
    expect_no_message(B, AB, MV_WOULD_BLOCK);
    send(A, AB, message(5, 4));
    expect_message(B, AB, message(5, 4));
}

// --- notifications ----------------------------------------------------------------------------------

TEST_F(Channels, TheReceiverIsNotifiedWhenItsQueueBecomesNonEmpty) {
    send(A, AB, message(1, 4));
    expect_notified(B, 80, "VM a sent on channel 0 to an empty queue (VM b, the receiver, is told; not VM a)");
    send(A, AB, message(2, 4));
    expect_nothing_pending("a second send into a queue that was not empty (no new notification)");
    expect_message(B, AB, message(1, 4));
    expect_nothing_pending("a receive from a queue that was not full");
    expect_message(B, AB, message(2, 4));
    expect_nothing_pending("a receive that emptied the queue");
    send(A, AB, message(3, 4));
    expect_notified(B, 80, "a send into the queue emptied again");
    send(C, CA, message(4, 4));
    expect_notified(A, 95, "VM c sent on channel 2 (VM a is told, not VM c)");
    send(A, AB, message(5, 4));
    expect_nothing_pending("a send into channel 0's queue with a message waiting");
}

TEST_F(Channels, TheSenderIsNotifiedWhenItsFullQueueGetsRoom) {
    for (u32 i = 0; i < 4; ++i) send(A, AB, message(i, 4));
    expect_notified(B, 80, "four sends into an empty queue (the first one notified)");
    send(A, AB, message(9, 4), MV_WOULD_BLOCK);
    expect_nothing_pending("a send refused by a full queue");
    expect_message(B, AB, message(0, 4));
    expect_notified(A, 80, "VM b received from a full queue (VM a, the sender, is told; not VM b)");
    expect_message(B, AB, message(1, 4));
    expect_nothing_pending("a receive from a queue that was no longer full");
    send(A, AB, message(4, 4));
    send(A, AB, message(5, 4));
    expect_nothing_pending("sends that filled the queue again (it was not empty)");
    expect_message(B, AB, message(2, 4));
    expect_notified(A, 80, "VM b received from the full queue again");
    recv_at(B, AB, RAM, 1, MV_TOO_BIG, 4);
    recv_at(B, AB, READ_ONLY, 4, MV_INVALID_ADDRESS, 0);
    expect_nothing_pending("failed receives from a full queue (nothing left it)");
    send(C, CA, message(6, 4));
    expect_notified(A, 95, "VM c sent on channel 2");
    expect_message(A, CA, message(6, 4));
    expect_notified(C, 95, "VM a received from channel 2's full queue (depth 1)");
}

TEST_F(Channels, ANotificationWakesAReceiverWaitingInWfi) {
    Vcpu& b = vm(B).vcpus[0];
    vm(B).vgic.write(0, CTLR, 4, 1);
    vm(B).vgic.write(0, ISENABLER + 4 * (80 / 32), 4, 1u << (80 % 32));
    vm(B).vgic.write(0, IPRIORITYR + 80, 1, 0x80);
    vm(B).vgic.write(0, ITARGETSR + 80, 1, 1);
    b.vgic.vmcr = 0xf0000001;  // GICV_PMR 0xf0, group 0 enabled: as Linux leaves it
    b.state = VcpuState::blocked;
    send(A, AB, message(1, 4));
    EXPECT_EQ(b.state, VcpuState::runnable)
        << "VM b's vCPU waits in WFI with SPI 0x50 enabled: the notification wakes it (virq_raise)";
}

TEST_F(Channels, AnyVcpuOfAnEndMayCall) {
    poke_vm(A, RAM + 0x100, message(1, 7));
    send_at(A, AB, RAM + 0x100, 7, MV_OK, 1);  // VM a's vCPU 1
    expect_message(B, AB, message(1, 7));
}

}  // namespace
