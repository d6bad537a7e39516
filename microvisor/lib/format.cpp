// SPDX-License-Identifier: MIT
// A small printf for freestanding code.
#include "lib/format.hpp"

namespace mv {
namespace {

struct Out {
    PutChar put;
    void* ctx;
    usize n = 0;
    void operator()(char c) {
        put(ctx, c);
        ++n;
    }
};

void number(Out& out, u64 v, unsigned base, bool upper, bool negative, unsigned width, char pad) {
    char digits[24];
    unsigned len = 0;
    const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[len++] = set[v % base];
        v /= base;
    } while (v != 0);
    unsigned total = len + (negative ? 1u : 0u);
    if (negative && pad == '0') out('-');
    for (; total < width; ++total) out(pad);
    if (negative && pad != '0') out('-');
    while (len > 0) out(digits[--len]);
}

}  // namespace

usize vformat(PutChar put, void* ctx, const char* fmt, va_list ap) {
    Out out{put, ctx};
    for (; *fmt != '\0'; ++fmt) {
        if (*fmt != '%') {
            out(*fmt);
            continue;
        }
        ++fmt;
        char pad = ' ';
        bool alt = false;  // '#': 0x before hexadecimal
        for (;; ++fmt) {
            if (*fmt == '0')
                pad = '0';
            else if (*fmt == '#')
                alt = true;
            else
                break;
        }
        unsigned width = 0;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + static_cast<unsigned>(*fmt++ - '0');
        unsigned longs = 0;
        while (*fmt == 'l') {
            ++longs;
            ++fmt;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            i64 v = longs >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
            u64 mag = v < 0 ? static_cast<u64>(-(v + 1)) + 1 : static_cast<u64>(v);
            number(out, mag, 10, false, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = longs >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            if (alt && *fmt != 'u') {
                out('0');
                out('x');
                width = width > 2 ? width - 2 : 0;  // as in C, the width counts the 0x
            }
            number(out, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, width, pad);
            break;
        }
        case 'p':
            out('0');
            out('x');
            number(out, reinterpret_cast<uintptr_t>(va_arg(ap, void*)), 16, false, false,
                   sizeof(void*) * 2, '0');
            break;
        case 'c':
            out(static_cast<char>(va_arg(ap, int)));
            break;
        case 's': {
            const char* s = va_arg(ap, const char*);
            if (s == nullptr) s = "(null)";
            usize len = 0;
            while (s[len] != '\0') ++len;
            for (; len < width; ++len) out(' ');
            while (*s != '\0') out(*s++);
            break;
        }
        case '%':
            out('%');
            break;
        case '\0':
            return out.n;
        default:
            out('%');
            out(*fmt);
            break;
        }
    }
    return out.n;
}

namespace {
struct Buffer {
    char* buf;
    usize size;
    usize used;
};
void buffer_put(void* ctx, char c) {
    auto* b = static_cast<Buffer*>(ctx);
    if (b->used + 1 < b->size) b->buf[b->used] = c;
    ++b->used;
}
}  // namespace

usize snformat(char* buf, usize size, const char* fmt, ...) {
    Buffer b{buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(buffer_put, &b, fmt, ap);
    va_end(ap);
    if (size > 0) buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

}  // namespace mv
