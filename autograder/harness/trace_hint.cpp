// SPDX-License-Identifier: MIT
// A failed scenario's picture: where to see what the microvisor did, and a boot
// of the system's traced image (<system>-trace.elf, make trace; built now if
// the build has none) that is saved, drawn, and summed up: which vCPU waited
// long for the CPU, which interrupt stopped on its way.
#include "trace_hint.hpp"

#include "child.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <map>
#include <sstream>
#include <vector>

namespace mvtest {
namespace {

namespace fs = std::filesystem;

// The event kinds of kernel/trace.hpp that the summary reads.
constexpr unsigned kSwitch = 3, kRaise = 4, kInject = 5, kEoi = 6, kVmStop = 11, kNone = 0xffff;
constexpr double kLongMs = 3.0;  // three 1 ms slices: more than round robin among three makes

struct Switch {
    double ms;
    unsigned to;
};

struct Since {
    double ms;
    unsigned vcpu;
};

std::string num(double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << v;
    return o.str();
}

std::string ms(double v) { return num(v) + " ms"; }

// The first of `left` (key -> since when) that waited kLongMs or more before its VM's end,
// as `say(key, since, waited)`, and how many more did.
template <class Key, class Say>
void oldest(const std::map<Key, Since>& left, const std::map<std::string, double>& vm_end, double end_ms,
            const std::map<unsigned, std::string>& vm_of, Say say, std::ostringstream& o) {
    const Key* first = nullptr;
    const Since* at = nullptr;
    double waited_first = 0;
    unsigned more = 0;
    for (const auto& [key, since] : left) {
        const auto vm = vm_of.find(since.vcpu);
        const auto stop = vm == vm_of.end() ? vm_end.end() : vm_end.find(vm->second);
        const double waited = (stop == vm_end.end() ? end_ms : stop->second) - since.ms;
        if (waited < kLongMs) continue;
        if (at == nullptr || since.ms < at->ms) {
            if (at != nullptr) ++more;
            first = &key, at = &since, waited_first = waited;
        } else {
            ++more;
        }
    }
    if (at == nullptr) return;
    o << say(*first, *at, waited_first);
    if (more != 0) o << " (and " << more << " more)";
    o << "\n";
}

}  // namespace

std::string trace_summary(const std::string& console) {
    std::istringstream in(console);
    unsigned long long freq = 0, t0 = 0;
    bool first = true;
    std::map<unsigned, std::string> names, vm_of;
    std::vector<Switch> switches;
    std::map<std::pair<std::string, unsigned>, Since> raised;  // (VM, interrupt) -> raised, not injected since
    std::map<std::pair<unsigned, unsigned>, Since> injected;   // (vCPU, interrupt) -> injected, not ended since
    std::map<std::string, double> vm_end;
    double end_ms = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("MV-TRACE ", 0) != 0) continue;
        std::istringstream f(line.substr(9));
        std::string what;
        f >> what;
        if (what == "begin") {  // the last dump counts (Ctrl-A t, then the system's end)
            f >> freq;
            first = true;
            names.clear(), vm_of.clear(), switches.clear(), raised.clear(), injected.clear(), vm_end.clear();
        } else if (what == "vcpu") {
            unsigned i, id;
            std::string vm;
            f >> i >> vm >> id;
            names[i] = vm + " vCPU " + std::to_string(id);
            vm_of[i] = vm;
        } else if (what == "e" && freq != 0) {
            std::string t;
            unsigned kind, vcpu, a;
            f >> t >> kind >> std::hex >> vcpu >> a;
            unsigned long long ticks = std::stoull(t, nullptr, 16);
            if (first) t0 = ticks, first = false;
            end_ms = static_cast<double>(ticks - t0) * 1000.0 / static_cast<double>(freq);
            const std::string vm = vm_of.count(vcpu) != 0 ? vm_of[vcpu] : "";
            if (kind == kSwitch) switches.push_back({end_ms, vcpu});
            if (kind == kRaise) raised.try_emplace({vm, a}, Since{end_ms, vcpu});
            if (kind == kInject) raised.erase({vm, a}), injected.try_emplace({vcpu, a}, Since{end_ms, vcpu});
            if (kind == kEoi) injected.erase({vcpu, a});
            if (kind == kVmStop) vm_end[vm] = end_ms;
        }
    }
    if (freq == 0 || (switches.empty() && raised.empty() && injected.empty())) return "";
    // For each vCPU: the longest stretch between two of its runs (or from the start).
    std::ostringstream o;
    for (const auto& [v, name] : names) {
        double last_end = 0, best_from = 0, best_to = 0;
        bool running = false, ran = false;
        for (const Switch& s : switches) {
            if (running && s.to != v) running = false, last_end = s.ms;
            if (!running && s.to == v) {
                if (s.ms - last_end > best_to - best_from) best_from = last_end, best_to = s.ms;
                running = ran = true;
            }
        }
        if (!ran)
            o << "  " << name << " never ran (0.0 ms to " << ms(end_ms) << ")\n";
        else if (best_to - best_from >= kLongMs)
            o << "  " << name << " did not run between " << num(best_from) << " ms and " << ms(best_to) << "\n";
    }
    // Interrupts that stopped on their way: raised and never in a list register, or there and never ended.
    oldest(raised, vm_end, end_ms, vm_of, [&](const auto& key, const Since& s, double waited) {
        return "  interrupt " + std::to_string(key.second) + " raised for " + key.first + " at " + ms(s.ms) +
               " was not injected in the " + ms(waited) + " after it (no list register took it: vgic_flush, "
               "Vgic::to_lr)";
    }, o);
    oldest(injected, vm_end, end_ms, vm_of, [&](const auto& key, const Since& s, double waited) {
        return "  interrupt " + std::to_string(key.second) + " injected into " + names[key.first] + " at " +
               ms(s.ms) + " did not come back ended in the " + ms(waited) + " after it (the guest never took "
               "and ended it, or vgic_sync did not give its list register back: Vgic::from_lr)";
    }, o);
    return o.str();
}

namespace {

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
    std::ifstream in(saved);
    const std::string console((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string summary = trace_summary(console);
    o << "  traced (" << fs::path(traced).filename().string() << "): " << saved.string();
#ifdef MV_TRACE_TOOL
    ChildSpec draw;  // trace.json and trace.svg beside it (tools/trace/trace.py --console)
    draw.argv = {"python3", MV_TRACE_TOOL, "--console", saved.string(), "--out-dir", dir.string()};
    draw.timeout_s = 120;
    if (run_child(draw).exit_status == 0)
        o << ", drawn in " << (dir / "trace.svg").string() << " (and trace.json, for Perfetto)";
#endif
    o << "\n" << (summary.empty() ? "  no vCPU waited long for the CPU, no interrupt stopped on its way\n" : summary);
    return o.str();
}

}  // namespace mvtest
