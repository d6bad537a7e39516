// SPDX-License-Identifier: MIT
// Lab 6's bare-metal "server": the other end of a Linux VM's character
// device (guests/linux/mvchan, /dev/mvchan0). It answers every message on
// channel 0 with the same bytes upper-cased, and powers off once the Linux VM
// has ended (the receive says MV_NOT_CONNECTED), so that the system ends with
// status 0 when Linux powers off.
#include "channel.hpp"
#include "gic.hpp"
#include "guest.hpp"

using namespace guest;
namespace ch = guest::channel;

namespace {

constexpr u32 CHANNEL = 0, IRQ = 80;  // systems/lab6-linux.toml and linux.toml: channel 0, SPI 80 + 0
constexpr u32 ROOM = 2048;            // at least the channel's message size
u8 buf[ROOM];

u8 upper(u8 c) {
    return c >= 'a' && c <= 'z' ? static_cast<u8>(c - 'a' + 'A') : c;
}

}  // namespace

int main() {
    gic::init_distributor();
    gic::init_cpu();
    ch::attach(IRQ);
    printf("server: answering channel %u upper-cased\n", CHANNEL);
    u32 answered = 0;
    for (;;) {
        u32 len = 0;
        i32 rc = ch::recv_wait(CHANNEL, buf, ROOM, len);
        if (rc == MV_NOT_CONNECTED) break;
        if (rc != MV_OK) {
            printf("server: receive failed: %d\n", rc);
            return 1;
        }
        for (u32 i = 0; i < len; ++i) buf[i] = upper(buf[i]);
        rc = ch::send_wait(CHANNEL, buf, len);
        if (rc == MV_NOT_CONNECTED) break;
        if (rc != MV_OK) {
            printf("server: send failed: %d\n", rc);
            return 1;
        }
        ++answered;
    }
    printf("server: the other end has ended after %u answers\n", answered);
    return 0;
}
