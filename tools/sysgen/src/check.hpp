// SPDX-License-Identifier: MIT
// Checks across a whole description: counts, overlaps, guest images, channels.
#pragma once

#include "description.hpp"

#include <optional>
#include <vector>

namespace sysgen {

struct CheckOptions {
    std::filesystem::path guest_dir;
    std::filesystem::path linux_dir;  ///< Lab 6: zImage and the initramfs images (<name>.cpio.gz)
    u64 reserved_base = 0x4000'0000;  ///< the microvisor's own memory
    u64 reserved_size = 0x0100'0000;
    /// Lab 6: each Linux VM's /chosen/rng-seed. Unset: 64 fresh bytes per VM
    /// from std::random_device; empty: no seed.
    std::optional<std::vector<std::uint8_t>> rng_seed;
};

/// Checks what read_description() cannot see value by value, and reads each
/// VM's guest ELF into the model (Vm::elf, elf_path, bin_path).
void check_system(System& sys, const CheckOptions& options, Diagnostics& diag);

}  // namespace sysgen
