// SPDX-License-Identifier: MIT
// A small reader for 32-bit little-endian ARM ELF executables (std only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sysgen {

/// One PT_LOAD segment: [vaddr, vaddr + memsz) in the guest's address space.
struct Segment {
    std::uint32_t vaddr = 0;
    std::uint32_t memsz = 0;
    std::uint32_t filesz = 0;
};

struct ElfImage {
    std::uint32_t entry = 0;
    std::vector<Segment> loads;  ///< PT_LOAD segments with memsz > 0, at least one

    std::uint64_t lowest() const;             ///< lowest vaddr of a loaded segment
    std::uint64_t end() const;                ///< one past the highest loaded byte
    bool contains(std::uint64_t addr) const;  ///< inside some loaded segment
};

/// Parses an ELF file already in memory. On failure, returns nothing and
/// puts into `error` what is wrong ("is big-endian", ...).
std::optional<ElfImage> parse_arm_elf(std::span<const std::uint8_t> bytes, std::string& error);

/// Reads and parses a file; the error names no path.
std::optional<ElfImage> read_arm_elf(const std::filesystem::path& file, std::string& error);

}  // namespace sysgen
