// SPDX-License-Identifier: MIT
// The memory functions a freestanding compiler may call on its own.
#include "lib/types.hpp"

extern "C" {

void* memcpy(void* dst, const void* src, mv::usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    while (n-- > 0) *d++ = *s++;
    return dst;
}

void* memmove(void* dst, const void* src, mv::usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        while (n-- > 0) *d++ = *s++;
    } else {
        while (n-- > 0) d[n] = s[n];
    }
    return dst;
}

void* memset(void* dst, int c, mv::usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    while (n-- > 0) *d++ = static_cast<unsigned char>(c);
    return dst;
}

int memcmp(const void* a, const void* b, mv::usize n) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (; n > 0; --n, ++x, ++y)
        if (*x != *y) return *x - *y;
    return 0;
}

}  // extern "C"
