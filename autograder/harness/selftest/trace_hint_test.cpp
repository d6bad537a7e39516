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

// One vCPU of vm0 at 1 MHz: timer interrupt 27 raised and injected at 1 ms and ended at 1.2 ms;
// SPI 40 raised at 2 ms, never injected; SPI 41 injected at 3 ms, never ended; the VM stops at 10 ms.
const char* const kInterrupts =
    "MV-TRACE begin 1000000 8 0\n"
    "MV-TRACE vcpu 0 vm0 0\n"
    "MV-TRACE e 0000000000 3 0 ffff 0\n"
    "MV-TRACE e 00000003e8 4 0 1b 2\n"
    "MV-TRACE e 00000003e9 5 0 1b 0\n"
    "MV-TRACE e 00000004b0 6 0 1b 0\n"
    "MV-TRACE e 00000007d0 4 0 28 0\n"
    "MV-TRACE e 0000000bb8 4 0 29 0\n"
    "MV-TRACE e 0000000bb9 5 0 29 0\n"
    "MV-TRACE e 0000002710 11 0 0 0\n"
    "MV-TRACE end\n";

TEST(TraceHint, NamesAnInterruptRaisedAndNeverInjected) {
    const std::string s = mvtest::trace_summary(kInterrupts);
    EXPECT_NE(s.find("interrupt 40 raised for vm0 at 2.0 ms was not injected in the 8.0 ms after it"),
              std::string::npos) << s;
    EXPECT_EQ(s.find("interrupt 27"), std::string::npos) << "27 went all the way, at 1.0 to 1.2 ms:\n" << s;
}

TEST(TraceHint, NamesAnInterruptInjectedAndNeverEnded) {
    const std::string s = mvtest::trace_summary(kInterrupts);
    EXPECT_NE(s.find("interrupt 41 injected into vm0 vCPU 0 at 3.0 ms did not come back ended in the 7.0 ms"),
              std::string::npos) << s;
    EXPECT_EQ(s.find("interrupt 41 raised"), std::string::npos) << "41 was injected:\n" << s;
}

TEST(TraceHint, AnInterruptLeftJustBeforeTheEndIsNotNamed) {
    // The same, with vm0 stopping at 4.5 ms: SPI 40 waited 2.5 ms, SPI 41 1.5 ms, under the 3 ms.
    std::string c = kInterrupts;
    c.replace(c.find("0000002710 11"), 13, "0000001194 11");
    const std::string s = mvtest::trace_summary(c);
    EXPECT_EQ(s.find("interrupt"), std::string::npos) << s;
}

TEST(TraceHint, TheLastDumpCounts) {
    // Ctrl-A t at a timeout, then the system's own end: the second dump is the whole story.
    const std::string s = mvtest::trace_summary(std::string(kConsole) + kInterrupts);
    EXPECT_EQ(s.find("gamma"), std::string::npos) << s;
    EXPECT_NE(s.find("interrupt 40 raised"), std::string::npos) << s;
}

TEST(TraceHint, NoTraceNoSummary) {
    EXPECT_EQ(mvtest::trace_summary("[vm0] hello\nMV: all VMs powered off\n"), "");
    EXPECT_EQ(mvtest::trace_summary("MV-TRACE begin 0 0 0\nMV-TRACE end\n"), "");
}

}  // namespace
