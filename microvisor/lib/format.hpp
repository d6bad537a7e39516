// SPDX-License-Identifier: MIT
// A small printf: %s %c %d %i %u %x %X %p %%, flags 0 and #, width, ll for 64 bits.
// Shared by the microvisor and the guests' runtime.
#pragma once

#include <stdarg.h>

#include "lib/types.hpp"

namespace mv {

/// Where formatted characters go.
using PutChar = void (*)(void* ctx, char c);

/// Formats `fmt` with `ap` into `out`; returns the number of characters produced.
usize vformat(PutChar out, void* ctx, const char* fmt, va_list ap);

/// Formats into `buf` (always NUL-terminated when size > 0); returns the full length.
usize snformat(char* buf, usize size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

}  // namespace mv
