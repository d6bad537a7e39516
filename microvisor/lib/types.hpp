// SPDX-License-Identifier: MIT
// Fixed-width integer types for freestanding code.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mv {

// Plain types rather than <stdint.h>'s: newlib's uint32_t is `long`, which
// would make printf formats differ between the target and the host.
using u8 = unsigned char;
using u16 = unsigned short;
using u32 = unsigned int;
using u64 = unsigned long long;
using i32 = int;
using i64 = long long;
using usize = size_t;

static_assert(sizeof(u16) == 2 && sizeof(u32) == 4 && sizeof(u64) == 8);

}  // namespace mv
