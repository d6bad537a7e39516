// SPDX-License-Identifier: MIT
// Lab 6: the Linux boot protocol (Linux's Documentation/arm/booting.rst).
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;
class Vcpu;

inline constexpr u32 ZIMAGE_MAGIC = 0x016f2818;        ///< the little-endian word at offset 0x24 of a zImage
inline constexpr u32 ZIMAGE_MAGIC_OFFSET = 0x24;
inline constexpr u32 FDT_MAGIC = 0xd00dfeed;           ///< a device tree's first word, big-endian
inline constexpr u32 LINUX_NO_MACHINE = 0xffffffff;    ///< r1: no machine type, the device tree says it all

/// Set up vCPU 0 of a Linux VM to enter its zImage (kernel/linux_boot.cpp). (Lab 6)
bool linux_boot(Vm& vm, Vcpu& boot);

}  // namespace mv
