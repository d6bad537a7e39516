// SPDX-License-Identifier: MIT
// Diagnostics: errors collected with their position, printed GCC-style.
#include "diagnostics.hpp"

#include <algorithm>
#include <ostream>

namespace sysgen {

void Diagnostics::error(Where at, std::string message) {
    errors_.push_back({at, std::move(message)});
}

void Diagnostics::print(std::ostream& out) const {
    auto sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Error& a, const Error& b) {
        return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
    });
    for (const auto& e : sorted) {
        out << file_ << ':';
        if (e.at.line != 0) {
            out << e.at.line << ':';
            if (e.at.column != 0) out << e.at.column << ':';
        }
        out << " error: " << e.message << '\n';
    }
}

}  // namespace sysgen
