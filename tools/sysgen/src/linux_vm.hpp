// SPDX-License-Identifier: MIT
// Lab 6: a Linux VM's guest-physical machine. Where the zImage, the initramfs
// and the device tree go in its RAM (as QEMU's own loader places them for
// native Linux, so that both boot the same way), and the device tree itself.
#pragma once

#include "description.hpp"

#include <filesystem>

namespace sysgen {

inline constexpr u64 linux_min_ram = 64 * MiB;     ///< the zImage, its decompressed kernel and an initramfs
inline constexpr u64 zimage_offset = 0x10000;       ///< from RAM's start, as QEMU's hw/arm/boot.c loads it
inline constexpr u32 zimage_magic = 0x016f2818;     ///< at offset 0x24 of every ARM zImage
inline constexpr u32 pl011_clock_hz = 24'000'000;   ///< the virt board's apb-pclk

/// Reads <linux_dir>/zImage and <linux_dir>/<initrd>.cpio.gz, places them and
/// the device tree in `vm`'s first ram region (blobs, entry, dtb_gpa, dtb).
void place_linux(const System& sys, Vm& vm, const std::filesystem::path& linux_dir, Diagnostics& diag);

/// 64 bytes from std::random_device, for a Linux VM's /chosen/rng-seed.
std::vector<std::uint8_t> fresh_rng_seed();

/// The device tree of Linux VM `vm` (its position in sys.vms is its id).
std::vector<std::uint8_t> linux_device_tree(const System& sys, const Vm& vm);

}  // namespace sysgen
