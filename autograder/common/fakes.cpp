// SPDX-License-Identifier: MIT
// Fakes of callees for host tests (fakes.hpp).
#include "fakes.hpp"

namespace mvtest {

std::string vformat(const char* fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = std::vsnprintf(nullptr, 0, fmt, ap);
    std::string text(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    std::vsnprintf(text.data(), text.size() + 1, fmt, again);
    va_end(again);
    return text;
}

}  // namespace mvtest
