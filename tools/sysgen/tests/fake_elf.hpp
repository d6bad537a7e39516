// SPDX-License-Identifier: MIT
// Tiny fake guest images for the tests: ELF32 ARM files and their flat binaries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sysgen::test {

struct FakeSegment {
    std::uint32_t vaddr;
    std::uint32_t filesz;
    std::uint32_t memsz;
};

/// What the ELF header says; the defaults make a valid ARM executable.
struct FakeElf {
    std::vector<FakeSegment> loads;
    std::uint32_t entry = 0;     ///< 0: the first segment's vaddr
    std::uint8_t elf_class = 1;  // ELFCLASS32
    std::uint8_t data = 1;       // ELFDATA2LSB
    std::uint16_t type = 2;      // ET_EXEC
    std::uint16_t machine = 40;  // EM_ARM
};

/// The bytes of an ELF file: header, program headers, segment contents.
std::vector<std::uint8_t> make_elf(const FakeElf& elf);

/// The flat binary `objcopy -O binary` makes of it: from the lowest vaddr to
/// the end of the highest file-backed byte.
std::vector<std::uint8_t> make_bin(const FakeElf& elf);

void write_bytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes);

/// Writes every guest the fixtures name into `dir` (<name>.elf and <name>.bin).
void write_fake_guests(const std::filesystem::path& dir);

}  // namespace sysgen::test
