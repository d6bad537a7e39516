// SPDX-License-Identifier: MIT
// Lab 5's demo (systems/demo-chat.toml): two VMs talk over a channel.
//
// VM 0, "keyboard", has the console's input focus. It takes what is typed
// through its emulated PL011 by interrupt (virtual SPI 33, RX and RT unmasked
// in UARTIMSC), echoes it, and sends each line over channel 0 as a request
// (guest::channel::Rpc over a Stream); VM 1, "upper", answers with the line
// upper-cased and its words counted, and VM 0 prints the answer. `quit` ends
// both. With no key pressed for a while (virtual time: see IDLE_US), VM 0
// plays a short conversation of its own and quits, so that the demo ends by
// itself where nobody types (make qemu in CI).
#include "channel.hpp"
#include "gic.hpp"
#include "lib/format.hpp"

using namespace guest;

namespace {

constexpr u32 CHANNEL = 0, CHANNEL_SPI = 80;  // the description's one channel, its notification (80 + handle)
constexpr u32 FRAME = 256;                    // the channel's message_size
constexpr u32 LINE = 160;                     // the longest line, in bytes

// The emulated PL011 (ARM DDI 0183).
constexpr u32 UART = 0x09000000, UART_SPI = 33;
constexpr u32 DR = 0x00, FR = 0x18, IMSC = 0x38;
constexpr u32 FR_RXFE = 1u << 4, INT_RX = 1u << 4, INT_RT = 1u << 6;
volatile u32& uart(u32 off) { return *reinterpret_cast<volatile u32*>(UART + off); }

/// No key for this long (virtual time) and VM 0 plays its script: before the
/// first key, and after one. QEMU runs with -icount shift=0,sleep=off: a WFI
/// with nothing to do would skip virtual time ahead at once, so VM 0 waits
/// for keys spinning, one virtual ns per instruction; QEMU runs some 10^9 of
/// them a second, so 3 s of virtual time take about 3-5 s of real time.
constexpr u64 IDLE_US[2] = {3000000, 20000000};

const char* const SCRIPT[] = {
    "hello, upper",
    "this line crossed from one VM to another over a channel",
    "the quick brown fox jumps over the lazy dog",
    "quit",
};

u8 tx[FRAME], rx[FRAME];

// Keys from the UART's interrupt, for the main loop.
volatile u8 keys[64];
volatile u32 keys_in = 0;
u32 keys_out = 0;

void on_uart(u32, ExcFrame&) {
    while ((uart(FR) & FR_RXFE) == 0) {  // reading DR drains the input; the line goes low with it
        u8 c = static_cast<u8>(uart(DR));
        u32 in = keys_in;
        if (in - keys_out < sizeof keys) {
            keys[in % sizeof keys] = c;
            keys_in = in + 1;
        }
    }
}

/// Straight to the emulated UART, unbuffered (printf's runtime sends whole
/// lines): the prompt and the echo of what is typed.
void put(const char* p) {
    while (*p != '\0') uart(DR) = static_cast<u8>(*p++);
}
void put(char c) { uart(DR) = static_cast<u8>(c); }

int next_key() {
    if (keys_out == keys_in) return -1;
    return keys[keys_out++ % sizeof keys];
}

bool is_space(u8 c) { return c == ' ' || c == '\t'; }

/// VM 1's answer to a line: upper-cased, with its words counted.
bool quit_asked = false;
u32 answer(const u8* req, u32 len, u8* resp, u32 room) {
    u32 words = 0;
    for (u32 i = 0; i < len; ++i)
        if (!is_space(req[i]) && (i == 0 || is_space(req[i - 1]))) ++words;
    if (len == 4 && __builtin_memcmp(req, "quit", 4) == 0) {
        quit_asked = true;
        const char bye[] = "bye!";
        __builtin_memcpy(resp, bye, sizeof bye - 1);
        return sizeof bye - 1;
    }
    printf("request of %u bytes, %u word%s\n", len, words, words == 1 ? "" : "s");
    u32 n = 0;
    for (; n < len && n < room; ++n) resp[n] = req[n] >= 'a' && req[n] <= 'z' ? req[n] - 'a' + 'A' : req[n];
    char tail[24];
    u32 k = static_cast<u32>(mv::snformat(tail, sizeof tail, " (%u word%s)", words, words == 1 ? "" : "s"));
    for (u32 i = 0; i < k && n < room; ++i) resp[n++] = static_cast<u8>(tail[i]);
    return n;
}

/// VM 0: send one line, print the answer. False once the conversation is over.
bool say(channel::Rpc& rpc, const char* line, u32 len) {
    char resp[LINE + 32];
    u32 resp_len = 0;
    i32 rc = rpc.call(line, len, resp, sizeof resp - 1, resp_len);
    if (rc != MV_OK) {
        printf("the channel failed: %d\n", rc);
        return false;
    }
    resp[resp_len] = '\0';
    printf("upper says: %s\n", resp);
    return !(len == 4 && __builtin_memcmp(line, "quit", 4) == 0);
}

void keyboard(channel::Rpc& rpc) {
    gic::enable(UART_SPI, 0xa0, on_uart);
    uart(IMSC) = INT_RX | INT_RT;
    printf("Lab 5 demo: type a line and press Enter; VM 1 (upper) answers over a channel.\n");
    printf("'quit' ends the demo; with no key for %u s (virtual), a short scripted conversation plays.\n",
           static_cast<u32>(IDLE_US[0] / 1000000));
    put("> ");
    char line[LINE + 1];
    u32 len = 0;
    bool typed = false;
    u64 idle_at = now_us() + IDLE_US[0];
    for (;;) {
        gic::irq_on();
        int c = next_key();
        if (c < 0) {
            if (now_us() < idle_at) continue;  // spinning: see IDLE_US
            break;
        }
        typed = true;
        idle_at = now_us() + IDLE_US[1];
        if (c == '\r' || c == '\n') {
            put('\n');
            if (len > 0 && !say(rpc, line, len)) return;  // an empty line (or CR LF's LF) asks nothing
            len = 0;
            put("> ");
        } else if (c == 0x7f || c == '\b') {
            if (len > 0) --len;  // the console cannot erase what it showed
        } else if (c >= ' ' && c < 0x7f && len < LINE) {
            line[len++] = static_cast<char>(c);
            put(static_cast<char>(c));
        }
    }
    if (len > 0) put('\n');  // else after the prompt
    printf("(no key for %u s: a scripted conversation)\n", static_cast<u32>(IDLE_US[typed] / 1000000));
    for (const char* s : SCRIPT) {
        printf("> %s\n", s);
        u32 n = 0;
        while (s[n] != '\0') ++n;
        if (!say(rpc, s, n)) return;
    }
}

void upper(channel::Rpc& rpc) {
    u8 req[LINE], resp[LINE + 32];
    while (!quit_asked) {
        i32 rc = rpc.serve(answer, req, sizeof req, resp, sizeof resp);
        if (rc != MV_OK) {
            printf("the channel failed: %d\n", rc);
            return;
        }
    }
    printf("asked to quit: powering off\n");
}

}  // namespace

int main() {
    gic::init_distributor();
    gic::init_cpu();
    channel::attach(CHANNEL_SPI);
    channel::Stream stream(CHANNEL, FRAME, tx, rx);
    channel::Rpc rpc(stream);
    if (hvc(MV_CALL_VM_INFO).r1 == 0) keyboard(rpc);
    else upper(rpc);
    return 0;
}
