// SPDX-License-Identifier: MIT
// A small reader for 32-bit little-endian ARM ELF executables (std only).
#include "elf.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace sysgen {
namespace {

// The few constants of the ELF specification (System V ABI, chapter 4) we need.
constexpr std::size_t ehdr_size = 52;  // Elf32_Ehdr
constexpr std::size_t phdr_size = 32;  // Elf32_Phdr
constexpr std::uint8_t elfclass32 = 1;
constexpr std::uint8_t elfdata2lsb = 1;
constexpr std::uint16_t et_exec = 2;
constexpr std::uint16_t em_arm = 40;
constexpr std::uint32_t pt_load = 1;

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

}  // namespace

std::uint64_t ElfImage::lowest() const {
    std::uint64_t low = UINT64_MAX;
    for (const auto& s : loads) low = std::min<std::uint64_t>(low, s.vaddr);
    return loads.empty() ? 0 : low;
}

std::uint64_t ElfImage::end() const {
    std::uint64_t high = 0;
    for (const auto& s : loads) high = std::max<std::uint64_t>(high, std::uint64_t{s.vaddr} + s.memsz);
    return high;
}

bool ElfImage::contains(std::uint64_t addr) const {
    return std::any_of(loads.begin(), loads.end(), [addr](const Segment& s) {
        return addr >= s.vaddr && addr < std::uint64_t{s.vaddr} + s.memsz;
    });
}

std::optional<ElfImage> parse_arm_elf(std::span<const std::uint8_t> b, std::string& error) {
    if (b.size() < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
        error = "is not an ELF file";
        return std::nullopt;
    }
    if (b.size() < ehdr_size) {
        error = "is truncated (no complete ELF header)";
        return std::nullopt;
    }
    if (b[4] != elfclass32) {
        error = "is not a 32-bit ELF file";
        return std::nullopt;
    }
    if (b[5] != elfdata2lsb) {
        error = "is not little-endian";
        return std::nullopt;
    }
    if (le16(b, 16) != et_exec) {
        error = "is not an executable (e_type " + std::to_string(le16(b, 16)) + ", expected ET_EXEC)";
        return std::nullopt;
    }
    if (le16(b, 18) != em_arm) {
        error = "is not an ARM ELF file (e_machine " + std::to_string(le16(b, 18)) + ", expected 40)";
        return std::nullopt;
    }

    ElfImage image;
    image.entry = le32(b, 24);
    const std::uint64_t phoff = le32(b, 28);
    const std::size_t phentsize = le16(b, 42);
    const std::size_t phnum = le16(b, 44);
    if (phnum != 0 && (phentsize < phdr_size || phoff + phnum * phentsize > b.size())) {
        error = "has a truncated or malformed program header table";
        return std::nullopt;
    }
    for (std::size_t i = 0; i < phnum; ++i) {
        const std::size_t ph = phoff + i * phentsize;
        if (le32(b, ph) != pt_load) continue;
        Segment s{le32(b, ph + 8), le32(b, ph + 20), le32(b, ph + 16)};
        if (s.filesz > s.memsz || std::uint64_t{s.vaddr} + s.memsz > (std::uint64_t{1} << 32)) {
            error = "has a malformed PT_LOAD segment (number " + std::to_string(i) + ")";
            return std::nullopt;
        }
        if (s.memsz != 0) image.loads.push_back(s);
    }
    if (image.loads.empty()) {
        error = "has no PT_LOAD segment";
        return std::nullopt;
    }
    return image;
}

std::optional<ElfImage> read_arm_elf(const std::filesystem::path& file, std::string& error) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = "cannot be read";
        return std::nullopt;
    }
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
    return parse_arm_elf(bytes, error);
}

}  // namespace sysgen
