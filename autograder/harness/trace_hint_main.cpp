// SPDX-License-Identifier: MIT
// mv-trace-hint <system> <selector> <timeout s>: what the grader adds to a failed scenario's
// message about that run (trace_hint.hpp), for an instructor, and for the test of it
// (tools/trace/test_hint.sh).
#include "trace_hint.hpp"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: mv-trace-hint <system> <selector> <timeout s>\n"
                     "  boots <system>-trace.elf (built first if it is missing) as the grader does after a\n"
                     "  failure, and prints what the grader would add to the failure's message\n";
        return 2;
    }
    std::cout << mvtest::trace_hint(argv[1], static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 0)),
                                    std::strtod(argv[3], nullptr));
    return 0;
}
