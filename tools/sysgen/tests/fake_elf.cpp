// SPDX-License-Identifier: MIT
// Tiny fake guest images for the tests: ELF32 ARM files and their flat binaries.
#include "fake_elf.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

namespace sysgen::test {
namespace {

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    put16(b, at, v & 0xffff);
    put16(b, at + 2, v >> 16);
}

/// Segment contents: a pattern that differs from segment to segment.
std::uint8_t pattern(std::size_t segment, std::size_t offset) {
    return static_cast<std::uint8_t>(segment * 16 + offset * 7 + 1);
}

}  // namespace

std::vector<std::uint8_t> make_elf(const FakeElf& elf) {
    constexpr std::size_t ehdr = 52, phdr = 32;
    std::vector<std::uint8_t> b(ehdr + phdr * elf.loads.size());
    const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', elf.elf_class, elf.data, 1 /* EI_VERSION */};
    std::copy(std::begin(ident), std::end(ident), b.begin());
    put16(b, 16, elf.type);
    put16(b, 18, elf.machine);
    put32(b, 20, 1);  // e_version
    put32(b, 24, elf.entry != 0 || elf.loads.empty() ? elf.entry : elf.loads[0].vaddr);
    put32(b, 28, ehdr);  // e_phoff
    put16(b, 40, ehdr);  // e_ehsize
    put16(b, 42, phdr);  // e_phentsize
    put16(b, 44, static_cast<std::uint32_t>(elf.loads.size()));
    for (std::size_t i = 0; i < elf.loads.size(); ++i) {
        const FakeSegment& s = elf.loads[i];
        const std::size_t ph = ehdr + i * phdr;
        put32(b, ph + 0, 1);  // PT_LOAD
        put32(b, ph + 4, static_cast<std::uint32_t>(b.size()));
        put32(b, ph + 8, s.vaddr);
        put32(b, ph + 12, s.vaddr);  // p_paddr
        put32(b, ph + 16, s.filesz);
        put32(b, ph + 20, s.memsz);
        put32(b, ph + 24, 7);  // RWX
        put32(b, ph + 28, 4);
        for (std::size_t k = 0; k < s.filesz; ++k) b.push_back(pattern(i, k));
    }
    return b;
}

std::vector<std::uint8_t> make_bin(const FakeElf& elf) {
    std::uint32_t low = UINT32_MAX, high = 0;
    for (const auto& s : elf.loads) {
        low = std::min(low, s.vaddr);
        if (s.filesz != 0) high = std::max(high, s.vaddr + s.filesz);
    }
    std::vector<std::uint8_t> b(high > low ? high - low : 0);
    for (std::size_t i = 0; i < elf.loads.size(); ++i)
        for (std::size_t k = 0; k < elf.loads[i].filesz; ++k) b[elf.loads[i].vaddr - low + k] = pattern(i, k);
    return b;
}

void write_bytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_fake_guests(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    auto guest = [&](std::string_view name, const FakeElf& elf) {
        write_bytes(dir / (std::string(name) + ".elf"), make_elf(elf));
        write_bytes(dir / (std::string(name) + ".bin"), make_bin(elf));
    };
    auto small = [](std::uint32_t base) { return FakeElf{{{base, 0x800, 0x1000}}}; };

    // Images that fit: a small one at each base the fixtures use.
    guest("lab1-traps", small(0x4800'0000));
    guest("guest-40", small(0x4000'0000));
    guest("guest-48", small(0x4800'0000));
    guest("guest-4a", small(0x4a00'0000));
    guest("guest-4c", small(0x4c00'0000));
    guest("guest-50", small(0x5000'0000));
    // Two segments, text and bss, linked 32 KiB above the RAM base (like zImage).
    guest("two-seg", FakeElf{{{0x4000'8000, 0x1000, 0x1000}, {0x4001'0000, 0x100, 0x2000}}, 0x4000'8040});
    // Ends exactly where the parameter page of a 16 MiB region at 0x48000000 begins.
    guest("edge-48", FakeElf{{{0x4800'0000, 0x100, 0x00ff'f000}}});

    // Images that are wrong.
    guest("edge-48-over", FakeElf{{{0x4800'0000, 0x100, 0x00ff'f001}}});
    guest("big-48", FakeElf{{{0x4800'0000, 0x100, 0x0100'0000}}});
    guest("below-48", FakeElf{{{0x47ff'f000, 0x100, 0x2000}}});
    guest("bad-entry", FakeElf{{{0x4800'0000, 0x800, 0x1000}}, 0x4810'0000});
    guest("elf64", FakeElf{{{0x4800'0000, 0x800, 0x1000}}, 0, 2});
    guest("big-endian", FakeElf{{{0x4800'0000, 0x800, 0x1000}}, 0, 1, 2});
    guest("not-exec", FakeElf{{{0x4800'0000, 0x800, 0x1000}}, 0, 1, 1, 3});
    guest("not-arm", FakeElf{{{0x4800'0000, 0x800, 0x1000}}, 0, 1, 1, 2, 3});
    guest("no-load", FakeElf{});
    write_bytes(dir / "no-bin.elf", make_elf(small(0x4800'0000)));
    write_bytes(dir / "not-elf.elf", {'h', 'e', 'l', 'l', 'o', '\n'});
    write_bytes(dir / "not-elf.bin", {'h', 'e', 'l', 'l', 'o', '\n'});
    write_bytes(dir / "stale-bin.elf", make_elf(small(0x4800'0000)));
    write_bytes(dir / "stale-bin.bin", std::vector<std::uint8_t>(0x2000));
}

}  // namespace sysgen::test
