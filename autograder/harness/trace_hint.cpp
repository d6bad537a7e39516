// SPDX-License-Identifier: MIT
// A failed scenario's picture: where to see what the microvisor did, and a boot
// of the system's traced image (<system>-trace.elf, make trace; built now if
// the build has none) that is saved, then drawn and summed up by
// tools/trace/trace.py: which vCPU waited long for the CPU, which interrupt
// stopped on its way.
#include "trace_hint.hpp"

#include "child.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace mvtest {
namespace {

namespace fs = std::filesystem;

/// The traced image of `system`: the build's, or built now by the cross build that made
/// the plain one (a student's build makes none: systems/CMakeLists.txt). Empty if it
/// cannot be had; `why` says so.
std::string traced_image(const std::string& system, std::string& why) {
    const fs::path plain = image_path(system), traced = image_path(system + "-trace");
    std::error_code ec;
    if (fs::exists(traced) && fs::last_write_time(traced, ec) >= fs::last_write_time(plain, ec)) return traced;
    const fs::path cross = plain.parent_path().parent_path() / "cross";
    if (!fs::exists(cross / "CMakeCache.txt")) {
        why = "no " + traced.filename().string() + " and no cross build to make it in";
        return "";
    }
    ChildSpec build;
    build.argv = {"cmake", "--build", cross.string(), "--target", "system-" + system + "-trace", "--parallel", "2"};
    build.timeout_s = 600;
    const ChildResult built = run_child(build);
    if (built.exit_status != 0 || !fs::exists(traced)) {
        why = "could not build " + traced.filename().string() + " (" + build.argv[0] + " " + build.argv[1] + " " +
              build.argv[2] + " --target " + build.argv[4] + ")";
        return "";
    }
    return traced;
}

}  // namespace

namespace {

struct Booted {
    std::string system;
    uint32_t selector;
    double timeout_s;
};

/// The runs of the test that runs now (note_run()).
std::vector<Booted>& booted() {
    static std::vector<Booted> runs;
    return runs;
}

/// At the end of a failed test: its last run, traced (trace_hint()), as one more failure
/// message. Here, not in each predicate's message: a predicate may fail on purpose
/// (EXPECT_FALSE(ConsoleHas(...))), and a passing test must not pay for a traced boot.
class HintOnFailure : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo&) override { booted().clear(); }
    void OnTestEnd(const ::testing::TestInfo& info) override {
        if (!info.result()->Failed() || booted().empty()) return;
        const Booted last = booted().back();
        booted().clear();
        const std::string hint = trace_hint(last.system, last.selector, last.timeout_s);
        if (hint.empty()) return;
        const std::string text = "the run of " + last.system + " (selector " + std::to_string(last.selector) +
                                 "), traced:\n" + hint;
        GTEST_MESSAGE_AT_("unknown file", -1, text.c_str(), ::testing::TestPartResult::kNonFatalFailure);
    }
};

}  // namespace

void note_run(const Run& run) {
    static const bool listening = [] {
        ::testing::UnitTest::GetInstance()->listeners().Append(new HintOnFailure);  // gtest owns it
        return true;
    }();
    (void)listening;
    if (run.error.empty()) booted().push_back({run.system, run.selector, run.timeout_s});
}

std::string trace_hint(const std::string& system, uint32_t selector, double timeout_s) {
    if (system.empty() || system.find('/') != std::string::npos) return "";
    std::ostringstream o;
    o << "  make trace SYSTEM=" << system << " SELECTOR=" << selector
      << " draws this run (trace.json for Perfetto, trace.svg)\n";
    const char* off = std::getenv("MV_TRACE_HINT");
    if (off != nullptr && std::string(off) == "0") return o.str();
    std::string why;
    const std::string traced = traced_image(system, why);
    if (traced.empty()) return o.str() + "  (no traced run: " + why + ")\n";
    // The same image and selector make the same run (-icount): one traced boot per image.
    const fs::path dir = fs::path(traced).parent_path().parent_path() / "trace" /
                         (system + "-" + std::to_string(selector));
    const fs::path saved = dir / "console.txt";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::exists(saved) || fs::last_write_time(saved, ec) < fs::last_write_time(traced, ec)) {
        RunOptions options;
        options.system = traced;
        options.selector = selector;
        options.timeout_s = timeout_s;
        options.trace_at_timeout = true;  // a run that hangs: its trace at the timeout
        options.max_output = 64u << 20;   // a whole ring (kernel/trace.cpp) and the console
        std::ofstream(saved) << run_system(options).console;
    }
    o << "  traced (" << fs::path(traced).filename().string() << "): " << saved.string();
#ifdef MV_TRACE_TOOL
    // Drawn beside it, and summed up: trace.py --console (its summary(), the lines below).
    ChildSpec draw;
    draw.argv = {"python3", MV_TRACE_TOOL, "--console", saved.string(), "--out-dir", dir.string(), "--summary"};
    draw.timeout_s = 120;
    const ChildResult drawn = run_child(draw);
    const fs::path svg = dir / "trace.svg";
    if (fs::exists(svg, ec) && fs::last_write_time(svg, ec) >= fs::last_write_time(saved, ec))
        o << ", drawn in " << svg.string() << " (and trace.json, for Perfetto)";
    if (drawn.exit_status != 0)
        o << "\n  (no trace in it: " << drawn.output.substr(0, drawn.output.find('\n')) << ")\n";
    else
        o << "\n" << (drawn.output.find_first_not_of(" \n") == std::string::npos
                          ? "  no vCPU waited long for the CPU, no interrupt stopped on its way\n" : drawn.output);
#else
    o << "\n";
#endif
    return o.str();
}

}  // namespace mvtest
