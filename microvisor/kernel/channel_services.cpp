// SPDX-License-Identifier: MIT
// What Lab 5's channels offer guests: MV_CALL_CHANNEL_SEND, _RECV and _STATUS
// (mv/abi.h), over kernel/channel.hpp. The guest's registers in, the results
// out, nothing else: r1-r3 as abi.h says.
#include "kernel/channel.hpp"
#include "kernel/registry.hpp"
#include "kernel/trace.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {
namespace {

// r1 handle, r2 buffer, r3 length; r1-r3 are left as they were.
void hc_channel_send(Vcpu& vcpu) {
    vcpu.r(0) = static_cast<u32>(channel_send(*vcpu.vm, vcpu.r(1), vcpu.r(2), vcpu.r(3)));
    trace::record(trace::Kind::channel_send, trace::index(&vcpu), vcpu.r(1), vcpu.r(0) == MV_OK ? vcpu.r(3) : vcpu.r(0));
}

// r1 handle, r2 buffer, r3 room; r1 out: the message's length (MV_OK, MV_TOO_BIG), else 0.
void hc_channel_recv(Vcpu& vcpu) {
    u32 len = 0;
    [[maybe_unused]] const u32 handle = vcpu.r(1);
    vcpu.r(0) = static_cast<u32>(channel_recv(*vcpu.vm, handle, vcpu.r(2), vcpu.r(3), len));
    vcpu.r(1) = len;
    trace::record(trace::Kind::channel_recv, trace::index(&vcpu), handle, vcpu.r(0) == MV_OK ? len : vcpu.r(0));
}

// r1 handle; r1 out flags, r2 messages waiting, r3 free slots (all 0 for a bad handle).
void hc_channel_status(Vcpu& vcpu) {
    u32 flags = 0, waiting = 0, free = 0;
    vcpu.r(0) = static_cast<u32>(channel_status(*vcpu.vm, vcpu.r(1), flags, waiting, free));
    vcpu.r(1) = flags;
    vcpu.r(2) = waiting;
    vcpu.r(3) = free;
}

}  // namespace

MV_VENDOR_CALL(MV_CALL_CHANNEL_SEND, hc_channel_send);
MV_VENDOR_CALL(MV_CALL_CHANNEL_RECV, hc_channel_recv);
MV_VENDOR_CALL(MV_CALL_CHANNEL_STATUS, hc_channel_status);

}  // namespace mv
