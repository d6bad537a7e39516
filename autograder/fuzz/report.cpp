// SPDX-License-Identifier: MIT
// Reporting findings and tracing runs.
#include "report.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "arch.hpp"

namespace mvfuzz {

Where where;

void finding(const char* fmt, ...) {
    std::fprintf(stderr, "\n==mv-fuzz== FINDING: ");
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
    std::fprintf(stderr, "\n==mv-fuzz== during %s", where.phase);
    if (where.trap >= 0) std::fprintf(stderr, " of trap %d", where.trap);
    std::fprintf(stderr, "\n");
    if (where.record != nullptr) std::fprintf(stderr, "==mv-fuzz== trap: %s\n", describe(*where.record).c_str());
    const std::string& console = mv::fake::cpu().console;
    std::size_t from = console.size() > 600 ? console.size() - 600 : 0;
    std::fprintf(stderr, "==mv-fuzz== console (end):\n%s\n==mv-fuzz== replay with MV_FUZZ_TRACE=1 for every step\n",
                 console.substr(from).c_str());
    std::abort();
}

bool tracing() {
    static const bool on = [] {
        const char* v = std::getenv("MV_FUZZ_TRACE");
        return v != nullptr && *v != '\0' && *v != '0';
    }();
    return on;
}

void trace(const char* fmt, ...) {
    if (!tracing()) return;
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
}

}  // namespace mvfuzz
