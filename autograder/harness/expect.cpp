// SPDX-License-Identifier: MIT
// GoogleTest predicates over a Run, with failure messages written for students.
#include "mvtest.hpp"

#include <iomanip>
#include <sstream>

namespace mvtest {
namespace {

constexpr size_t kTailLines = 15;
constexpr size_t kLineChars = 300;  // a flood without newlines must not become a 1 MiB message

std::string result_text(const GuestResult& r) {
    return (r.pass ? "PASS " : "FAIL ") + r.name + (r.detail.empty() ? "" : ": " + r.detail) +
           (r.vm.empty() ? "" : " [" + r.vm + "]");
}

std::string hex(long long v) {
    std::ostringstream o;
    if (v < 0) o << "-0x" << std::hex << -static_cast<unsigned long long>(v);
    else o << "0x" << std::hex << v;
    return o.str();
}

/// A value as a student reads it: decimal, and hex beside it when it is big enough to be an
/// address, a register or a bit mask.
std::string number(long long v) {
    return v > -256 && v < 256 ? std::to_string(v) : std::to_string(v) + " (" + hex(v) + ")";
}

/// Why the run went the way it did, then what the guest reported and the end of the
/// console. The second part comes with the first failure of a run only: a test with two
/// failed expectations shows it once, and the later ones point up to it.
std::string context(const Run& run) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    if (!run.error.empty()) o << "could not boot: " << run.error << "\n";
    if (run.todo) {
        if (run.todo->function.empty())
            o << "not implemented: " << run.todo->line << "\n";
        else
            o << "not implemented: " << run.todo->function << "() in " << run.todo->file
              << " \u2014 see book: " << run.todo->section << "\n";
    }
    if (run.panic) o << "microvisor panic: " << *run.panic << "\n";
    for (const std::string& c : run.crashes) o << "crash: " << c << "\n";
    if (run.timed_out)
        o << "timeout: QEMU was still running after " << run.timeout_s
          << " s and was killed (something hangs: a trap that never returns, a guest waiting forever, no power-off)\n";
    if (run.flooded)
        o << "flood: QEMU printed more than the output limit and was killed (a print in a loop?)\n";
    if (run.error.empty() && !run.timed_out && !run.flooded) {
        if (run.exit_status < 0)
            o << "QEMU was killed by a signal\n";
        else if (run.exit_status == kNoExitLine)
            o << "QEMU exited with status 0 after " << run.elapsed_s << " s, but the microvisor printed no "
              << "MV_EXIT line: something else ended QEMU\n";
        else if (run.qemu_status == 0 && run.exit_line)
            o << "the microvisor ended the system with status " << run.exit_status << " ("
              << exit_meaning(run.exit_status) << ") after " << run.elapsed_s << " s\n";
        else
            o << "QEMU exited with status " << run.exit_status << " (" << exit_meaning(run.exit_status)
              << ") after " << run.elapsed_s << " s\n";
    }
    if (run.context_shown) {
        o << "(what the guest reported and the console's last lines are under the first failure above)\n";
        return o.str();
    }
    run.context_shown = true;
    if (run.error.empty()) {
        o << "guest reported:";
        for (const GuestResult& r : run.results) o << "\n  " << result_text(r);
        if (run.results.empty()) o << " no results";
        if (run.done) {
            o << "\n  DONE from";
            for (const std::string& vm : run.done_vms) o << " " << (vm.empty() ? "?" : vm);
            o << "\n";
        } else {
            o << "\n  (no DONE)\n";
        }
        if (run.foreign_results > 0)
            o << "(" << run.foreign_results
              << " @@MVT line(s) were ignored: only `[<vm>] @@MVT <that VM's token> ...` at the start of a "
                 "line counts)\n";
    }
    o << "last " << kTailLines << " console lines of " << run.system << " (selector " << run.selector << "):\n";
    const std::string tail = run.tail(kTailLines);
    std::istringstream lines(tail);
    for (std::string line; std::getline(lines, line);)
        o << "  | " << line.substr(0, kLineChars) << (line.size() > kLineChars ? " ..." : "") << "\n";
    if (tail.empty()) o << "  (nothing)\n";
    return o.str();  // a failed test's end adds its run, traced (trace_hint.hpp)
}

::testing::AssertionResult failure(const Run& run, const std::string& expected, const std::string& seen) {
    return ::testing::AssertionFailure() << "\nexpected: " << expected << "\nseen:     " << seen << "\n"
                                         << context(run);
}

}  // namespace

::testing::AssertionResult GuestPassed(const Run& run, const std::string& name) {
    std::string seen;
    bool passed = false, failed = false;
    for (const GuestResult& r : run.results) {
        if (r.name != name) continue;
        (r.pass ? passed : failed) = true;
        seen += (seen.empty() ? "" : "; ") + result_text(r);
    }
    if (passed && !failed) return ::testing::AssertionSuccess();
    return failure(run, "the guest reports PASS " + name,
                   seen.empty() ? "no result named \"" + name + "\" from the guest" : seen);
}

::testing::AssertionResult GuestPassedIn(const Run& run, const std::string& vm, const std::string& name) {
    std::string seen;
    bool passed = false, failed = false;
    for (const GuestResult& r : run.results) {
        if (r.name != name || r.vm != vm) continue;
        (r.pass ? passed : failed) = true;
        seen += (seen.empty() ? "" : "; ") + result_text(r);
    }
    if (passed && !failed) return ::testing::AssertionSuccess();
    return failure(run, "VM " + vm + " reports PASS " + name,
                   seen.empty() ? "no result named \"" + name + "\" from VM " + vm : seen);
}

::testing::AssertionResult GuestDone(const Run& run) {
    if (run.done) return ::testing::AssertionSuccess();
    return failure(run, "the guest reports DONE (it ran to the end)", "no DONE from the guest");
}

::testing::AssertionResult ExitedWith(const Run& run, int status) {
    if (run.exit_status == status && !run.timed_out && !run.flooded) return ::testing::AssertionSuccess();
    std::ostringstream seen;
    if (!run.error.empty()) seen << "QEMU did not run";
    else if (run.timed_out) seen << "a timeout";
    else if (run.flooded) seen << "a flood of output";
    else if (run.exit_status < 0) seen << "QEMU killed by a signal";
    else seen << "exit status " << run.exit_status << " (" << exit_meaning(run.exit_status) << ")";
    return failure(run, "exit status " + std::to_string(status) + " (" + exit_meaning(status) + ")", seen.str());
}

::testing::AssertionResult ConsoleHas(const Run& run, const std::string& text) {
    if (run.console.find(text) != std::string::npos) return ::testing::AssertionSuccess();
    return failure(run, "the console shows \"" + text + "\"", "not on the console");
}

::testing::AssertionResult ScenarioPassed(const Run& run, const std::string& name) {
    const auto passed = GuestPassed(run, name);
    if (!passed) return passed;
    if (!run.done) return GuestDone(run);
    return ExitedWith(run, 0);
}

}  // namespace mvtest

namespace mvtest {

::testing::AssertionResult ValueIn(const Run& run, const std::string& name, long long lo, long long hi) {
    auto it = run.values.find(name);
    std::string want = "the guest reports VALUE " + name + " between " + number(lo) + " and " + number(hi);
    if (it == run.values.end()) return failure(run, want, "no VALUE named \"" + name + "\"");
    if (it->second < lo || it->second > hi) {
        const auto vm = run.value_vm.find(name);
        return failure(run, want, name + " = " + number(it->second) +
                                      (vm == run.value_vm.end() ? "" : " (from VM " + vm->second + ")"));
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult PassedTimes(const Run& run, const std::string& name, size_t times) {
    size_t passes = 0;
    for (const GuestResult& r : run.results) passes += r.pass && r.name == name;
    if (passes == times) return ::testing::AssertionSuccess();
    return failure(run, "PASS " + name + " from " + std::to_string(times) + " guests",
                   std::to_string(passes) + " of them");
}

}  // namespace mvtest
