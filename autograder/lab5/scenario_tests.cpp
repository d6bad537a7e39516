// SPDX-License-Identifier: MIT
// Lab 5 scenario tests: VMs talk over channels (guests/lab5/channels.cpp with
// the guest library guests/runtime/channel.*; systems/lab5-pair.toml and
// systems/lab5-deaf.toml). Each VM reports for itself. Time is virtual (QEMU
// -icount): the counts and rates repeat from run to run.
#include "mvtest.hpp"

using namespace mvtest;

namespace {

constexpr char PAIR[] = "lab5-pair";
constexpr char DEAF[] = "lab5-deaf";
constexpr long long SLICE_US = 1000;

/// A transfer arrived whole: VALUE `<what>_<count>` is `n`, and the receiver's
/// checksum over what it got (`<what>_sum_received`) is the sender's over what
/// it sent (`<what>_sum_sent`).
::testing::AssertionResult ArrivedWhole(const Run& run, const std::string& what, const std::string& count,
                                        long long n) {
    auto counted = ValueIn(run, what + "_" + count, n, n);
    if (!counted) return counted;
    auto sent = ValueIn(run, what + "_sum_sent", 0, 0xffffffffll);
    if (!sent) return sent;
    long long sum = run.values.at(what + "_sum_sent");
    return ValueIn(run, what + "_sum_received", sum, sum)
           << " (the checksum over every byte received must equal the sender's over every byte sent)";
}

TEST(Channel, FifoOrderTheBoundAndItsNotifications) {
    auto run = boot(PAIR, 1, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "fifo_send"))
        << "vm0: a fresh channel's status, 32 sends fill the queue, the 33rd is MV_WOULD_BLOCK, a receive at the "
           "other end notifies it";
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "fifo_order"))
        << "vm1: 40 messages arrive in the order sent, unchanged; MV_TOO_BIG leaves a message queued; an empty "
           "queue is MV_WOULD_BLOCK, then MV_NOT_CONNECTED once the sender powered off";
    EXPECT_TRUE(ValueIn(run, "fifo_rx_notified", 1, 1))
        << "the receiver took its notification for the first message; the 31 after it went into a non-empty queue "
           "and must raise nothing";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Channel, HundredThousandMessagesToASlowConsumer) {
    auto run = boot(PAIR, 2, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "flood_consumer"));
    EXPECT_TRUE(ArrivedWhole(run, "flood", "received", 100000)) << "every message, in order, as sent";
    EXPECT_TRUE(ValueIn(run, "flood_lost", 0, 0));
    EXPECT_TRUE(ValueIn(run, "flood_duplicated", 0, 0));
    EXPECT_TRUE(ValueIn(run, "flood_corrupt", 0, 0));
    EXPECT_TRUE(ValueIn(run, "flood_blocked", 1, 100000))
        << "the producer is faster: it must have found the queue full and waited for its notification";
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "flood_producer"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Channel, MaximumSizeMessagesBothWaysAtOnce) {
    auto run = boot(PAIR, 3, 30);
    EXPECT_TRUE(PassedTimes(run, "both_ways", 2))
        << "vm0 and vm1 each send 300 messages of 2,048 bytes (the message size) while receiving the other's 300";
    EXPECT_TRUE(ValueIn(run, "both_received.vm0", 300, 300));
    EXPECT_TRUE(ValueIn(run, "both_received.vm1", 300, 300));
    EXPECT_TRUE(ValueIn(run, "both_overlap.vm0", 1, 300)) << "messages arrived while vm0 still sent: both ways at once";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Channel, BadHandlesAndBuffersAreRefused) {
    auto run = boot(PAIR, 4, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "refused"))
        << "MV_BAD_HANDLE for a channel of other VMs and for none; MV_TOO_BIG for message_size + 1 bytes; "
           "MV_INVALID_ADDRESS for unmapped memory, a buffer across the end of RAM or into a page the guest "
           "unmapped, device memory, and a receive into a read-only page; r1-r3 as abi.h says; the message stays";
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "refused_peer"))
        << "the other end receives exactly vm0's valid sends: a refused send queues nothing";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Channel, NeverReadingVmBlocksNotTheSendersOtherChannel) {
    auto run = boot(DEAF, 5, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "deaf_sender"))
        << "vm0 fills its channel to vm1, which never reads, keeps finding it full, and when vm1 powers off it "
           "is MV_NOT_CONNECTED";
    EXPECT_TRUE(GuestPassedIn(run, "vm2", "other_reader"));
    EXPECT_TRUE(ValueIn(run, "other_received", 2000, 2000))
        << "vm0's other channel carries 2,000 messages to vm2 meanwhile";
    EXPECT_TRUE(ValueIn(run, "deaf_notified", 1, 1))
        << "vm1 is notified once, for its first message: a send into a non-empty (or full) queue raises nothing";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(Channel, NeverReadingVmBlocksNotTheMicrovisor) {
    auto run = boot(DEAF, 5, 30);
    EXPECT_TRUE(ValueIn(run, "deaf_attempts", 1000, 1ll << 40))
        << "vm0 sends to the full queue again and again for 45 ms";
    EXPECT_TRUE(ValueIn(run, "bystander_share_permille", 450, 1000))
        << "meanwhile vm3, the other VM that wants the CPU, gets its half within 10%";
    EXPECT_TRUE(ValueIn(run, "bystander_max_gap_us", 0, 2 * SLICE_US)) << "and is never away for long";
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(GuestLibrary, ByteStreamCarriesOneMiB) {
    auto run = boot(PAIR, 6, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "stream_reader"))
        << "1 MiB written and read in pieces of unrelated sizes arrives as written; a read past its end is "
           "MV_NOT_CONNECTED once the writer powered off";
    EXPECT_TRUE(ArrivedWhole(run, "stream", "bytes", 1 << 20));
    EXPECT_TRUE(ValueIn(run, "stream_frames", 514, 514))
        << "full frames: 1 MiB in frames of 2,044 bytes (2,048 less a 4-byte header)";
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "stream_writer"));
    EXPECT_TRUE(ExitedWith(run, 0));
}

TEST(GuestLibrary, RequestResponseCarriesOneMiB) {
    auto run = boot(PAIR, 7, 30);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "rpc_client")) << "every call got its own answer";
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "rpc_server"));
    EXPECT_TRUE(ValueIn(run, "rpc_bytes", 1 << 20, 1 << 20));
    EXPECT_TRUE(ValueIn(run, "rpc_served_bytes", 1 << 20, 1 << 20));
    ASSERT_TRUE(ValueIn(run, "rpc_calls", 256, 1 << 20));
    EXPECT_TRUE(ValueIn(run, "rpc_served", run.values["rpc_calls"] + 1, run.values["rpc_calls"] + 1))
        << "the server answered each call and the closing empty one";
    EXPECT_TRUE(ExitedWith(run, 0));
}

}  // namespace
