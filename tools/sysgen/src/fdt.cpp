// SPDX-License-Identifier: MIT
#include "fdt.hpp"

#include <stdexcept>

namespace sysgen {
namespace {

constexpr std::uint32_t FDT_MAGIC = 0xd00dfeed;
constexpr std::uint32_t FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;
constexpr std::uint32_t HEADER_SIZE = 40, RESERVE_MAP_SIZE = 16;  // the map: one terminating entry

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void pad4(std::vector<std::uint8_t>& out) {
    while (out.size() % 4 != 0) out.push_back(0);
}

}  // namespace

void Fdt::token(std::uint32_t t) {
    put_be32(structure_, t);
}

std::uint32_t Fdt::string_offset(std::string_view name) {
    // Reuse a name already in the block: the kernel only compares offsets' strings.
    for (std::size_t at = 0; at < strings_.size(); at = strings_.find('\0', at) + 1)
        if (std::string_view(strings_.c_str() + at) == name) return static_cast<std::uint32_t>(at);
    const auto at = static_cast<std::uint32_t>(strings_.size());
    strings_.append(name);
    strings_.push_back('\0');
    return at;
}

void Fdt::begin_node(std::string_view name) {
    token(FDT_BEGIN_NODE);
    structure_.insert(structure_.end(), name.begin(), name.end());
    structure_.push_back(0);
    pad4(structure_);
    ++depth_;
}

void Fdt::end_node() {
    if (depth_ == 0) throw std::logic_error("Fdt::end_node without a node");
    token(FDT_END_NODE);
    --depth_;
}

void Fdt::prop(std::string_view name, const std::vector<std::uint8_t>& value) {
    if (depth_ == 0) throw std::logic_error("Fdt::prop outside a node");
    token(FDT_PROP);
    put_be32(structure_, static_cast<std::uint32_t>(value.size()));
    put_be32(structure_, string_offset(name));
    structure_.insert(structure_.end(), value.begin(), value.end());
    pad4(structure_);
}

void Fdt::prop_cells(std::string_view name, const std::vector<std::uint32_t>& cells) {
    std::vector<std::uint8_t> value;
    for (std::uint32_t c : cells) put_be32(value, c);
    prop(name, value);
}

void Fdt::prop_u32(std::string_view name, std::initializer_list<std::uint32_t> cells) {
    prop_cells(name, std::vector<std::uint32_t>(cells));
}

void Fdt::prop_strings(std::string_view name, std::initializer_list<std::string_view> strings) {
    std::vector<std::uint8_t> value;
    for (std::string_view s : strings) {
        value.insert(value.end(), s.begin(), s.end());
        value.push_back(0);
    }
    prop(name, value);
}

std::vector<std::uint8_t> Fdt::finish() const {
    if (depth_ != 0) throw std::logic_error("Fdt::finish with an open node");
    std::vector<std::uint8_t> structure = structure_;
    put_be32(structure, FDT_END);
    const auto off_struct = HEADER_SIZE + RESERVE_MAP_SIZE;
    const auto size_struct = static_cast<std::uint32_t>(structure.size());
    const auto off_strings = off_struct + size_struct;
    const auto size_strings = static_cast<std::uint32_t>(strings_.size());
    const auto total = (off_strings + size_strings + 7u) & ~7u;
    std::vector<std::uint8_t> out;
    for (std::uint32_t field : {FDT_MAGIC, total, off_struct, off_strings, HEADER_SIZE, 17u, 16u, 0u,
                                size_strings, size_struct})
        put_be32(out, field);
    out.resize(out.size() + RESERVE_MAP_SIZE, 0);
    out.insert(out.end(), structure.begin(), structure.end());
    out.insert(out.end(), strings_.begin(), strings_.end());
    out.resize(total, 0);
    return out;
}

}  // namespace sysgen
