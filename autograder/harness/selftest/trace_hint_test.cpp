// SPDX-License-Identifier: MIT
// trace_summary(): from the microvisor's MV-TRACE lines to the grader's "did not run between" lines.
#include "trace_hint.hpp"

#include <gtest/gtest.h>

namespace {

// Three vCPUs; a counter of 1 MHz, so a tick is a microsecond. vCPU 2 runs at 1 ms and
// then not until 9.5 ms; vCPU 1 never runs.
const char* const kConsole =
    "[vm0] hello\n"
    "MV-TRACE begin 1000000 5 0\n"
    "MV-TRACE vcpu 0 alpha 0\n"
    "MV-TRACE vcpu 1 beta 0\n"
    "MV-TRACE vcpu 2 gamma 0\n"
    "MV-TRACE e 0000000000 3 0 ffff 0\n"
    "MV-TRACE e 00000003e8 3 2 0 1\n"
    "MV-TRACE e 00000007d0 3 0 2 1\n"
    "MV-TRACE e 000000251c 3 2 0 1\n"
    "MV-TRACE e 0000002710 11 0 0 0\n"
    "MV-TRACE end\n";

TEST(TraceHint, NamesEachVcpuThatWaitedLongAndOnlyThose) {
    const std::string s = mvtest::trace_summary(kConsole);
    EXPECT_NE(s.find("gamma vCPU 0 did not run between 2.0 ms and 9.5 ms"), std::string::npos) << s;
    EXPECT_NE(s.find("beta vCPU 0 never ran (0.0 ms to 10.0 ms)"), std::string::npos) << s;
    EXPECT_EQ(s.find("alpha"), std::string::npos) << "alpha waited 1 ms only (1.0 to 2.0 ms):\n" << s;
}

TEST(TraceHint, NoTraceNoSummary) {
    EXPECT_EQ(mvtest::trace_summary("[vm0] hello\nMV: all VMs powered off\n"), "");
    EXPECT_EQ(mvtest::trace_summary("MV-TRACE begin 0 0 0\nMV-TRACE end\n"), "");
}

}  // namespace
