// SPDX-License-Identifier: MIT
// Lab 5's benchmark guest (chan.cpp, shm.cpp; systems/bench-chan*.toml): two
// VMs, "measure" (VM 0) and "partner" (VM 1), of one priority, on one CPU.
// Everything is timed in VM 0 with CNTVCT, which counts the virtual time of
// both VMs and of the microvisor: under -icount shift=0 one instruction is
// one virtual ns, a tick 16 of them, so each figure is taken over enough
// work that a tick is lost in it.
#pragma once

#include "guest.hpp"

namespace chan {

using guest::u32;
using guest::u64;
using guest::u8;

/// `@@BENCH <name> <value> <unit>`, a line tools/bench.py reads.
void report(const char* name, u32 value, const char* unit);

/// Instructions (virtual ns) in `ticks` of CNTVCT.
u64 instructions(u64 ticks);

/// Bytes per 1,000 instructions (= MB/s at one instruction per ns), rounded to nearest.
u32 per_kinstr(u64 bytes, u64 instr);

/// Sleep in WFI with IRQs masked at the CPU until an interrupt is pending,
/// then acknowledge and end it at the CPU interface (GICC_IAR, GICC_EOIR)
/// without taking the exception: the cheapest way a guest waits for a
/// notification. A pending interrupt ends the WFI at once.
void wait_irq();

/// The message sizes of the stream benchmarks.
inline constexpr u32 SIZES[] = {64, 1024, 2048};
inline constexpr u32 NSIZES = sizeof SIZES / sizeof SIZES[0];
/// Messages per timed stream, and the warm-up ones before it.
inline constexpr u32 MESSAGES = 2048, WARM_MESSAGES = 64;
/// Round trips timed, and the warm-up ones before them.
inline constexpr u32 ROUND_TRIPS = 1024, WARM_TRIPS = 16;
/// The ping-pong's message: a small one.
inline constexpr u32 PING_BYTES = 16;

// shm.cpp (systems/bench-chan-shm.toml): a ring of slots each way in a shared
// region and an interrupt line each way, the alternative to a channel, with
// the channel's calls' contract: MV_OK, MV_WOULD_BLOCK (then an interrupt
// comes when it may be tried again), MV_TOO_BIG.
void shm_attach();  ///< enable the incoming line's SPI (after the GIC's init)
guest::i32 shm_send(const void* buf, u32 len);
guest::i32 shm_recv(void* buf, u32 room, u32& len);

}  // namespace chan
