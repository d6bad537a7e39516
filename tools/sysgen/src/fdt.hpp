// SPDX-License-Identifier: MIT
// A flattened device tree (DTB) writer: what a Linux VM reads its machine from.
// The format is the Devicetree Specification v0.4, chapter 5: a header, an
// empty memory-reservation block, the structure block (tokens) and the strings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sysgen {

class Fdt {
public:
    void begin_node(std::string_view name);  ///< "" for the root
    void end_node();
    void prop(std::string_view name, const std::vector<std::uint8_t>& value);
    void prop_empty(std::string_view name) { prop(name, {}); }
    void prop_u32(std::string_view name, std::initializer_list<std::uint32_t> cells);
    void prop_cells(std::string_view name, const std::vector<std::uint32_t>& cells);
    /// One or more strings, each NUL-terminated ("compatible" lists several).
    void prop_strings(std::string_view name, std::initializer_list<std::string_view> strings);

    /// The blob: the tree must be closed (every begin_node() ended).
    std::vector<std::uint8_t> finish() const;

private:
    void token(std::uint32_t t);
    std::uint32_t string_offset(std::string_view name);
    std::vector<std::uint8_t> structure_;
    std::string strings_;
    int depth_ = 0;
};

}  // namespace sysgen
