// SPDX-License-Identifier: MIT
// A failed scenario's picture: where to see what the microvisor did, and, when
// the build has the system's traced image (<system>-trace.elf, make trace), a
// boot of it that says which vCPU waited longest for the CPU.
#include "trace_hint.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <vector>

namespace mvtest {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kSwitch = 3, kNone = 0xffff;
constexpr double kLongWaitMs = 3.0;  // three 1 ms slices: more than round robin among three makes

struct Switch {
    double ms;
    unsigned to;
};

}  // namespace

std::string trace_summary(const std::string& console) {
    std::istringstream in(console);
    unsigned long long freq = 0, t0 = 0;
    bool first = true;
    std::map<unsigned, std::string> names;
    std::vector<Switch> switches;
    double end_ms = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("MV-TRACE ", 0) != 0) continue;
        std::istringstream f(line.substr(9));
        std::string what;
        f >> what;
        if (what == "begin") {
            f >> freq;
        } else if (what == "vcpu") {
            unsigned i, id;
            std::string vm;
            f >> i >> vm >> id;
            names[i] = vm + " vCPU " + std::to_string(id);
        } else if (what == "e" && freq != 0) {
            std::string t;
            unsigned kind, vcpu;
            f >> t >> kind >> std::hex >> vcpu;
            unsigned long long ticks = std::stoull(t, nullptr, 16);
            if (first) t0 = ticks, first = false;
            end_ms = static_cast<double>(ticks - t0) * 1000.0 / static_cast<double>(freq);
            if (kind == kSwitch) switches.push_back({end_ms, vcpu});
        }
    }
    if (freq == 0 || switches.empty()) return "";
    // For each vCPU: the longest stretch between two of its runs (or from the start).
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    for (const auto& [v, name] : names) {
        double last_end = 0, best_from = 0, best_to = 0;
        bool running = false, ran = false;
        for (size_t k = 0; k < switches.size(); ++k) {
            const Switch& s = switches[k];
            if (running && s.to != v) running = false, last_end = s.ms;
            if (!running && s.to == v) {
                if (s.ms - last_end > best_to - best_from) best_from = last_end, best_to = s.ms;
                running = ran = true;
            }
        }
        if (!ran)
            o << "  " << name << " never ran (0.0 ms to " << end_ms << " ms)\n";
        else if (best_to - best_from >= kLongWaitMs)
            o << "  " << name << " did not run between " << best_from << " ms and " << best_to << " ms\n";
    }
    return o.str();
}

std::string trace_hint(const std::string& system, uint32_t selector, double timeout_s) {
    if (system.empty() || system.find('/') != std::string::npos) return "";
    std::ostringstream o;
    o << "to see what the microvisor did in this run: make trace SYSTEM=" << system << " SELECTOR=" << selector
      << " (trace.json for Perfetto, trace.svg)\n";
    const char* off = std::getenv("MV_TRACE_HINT");
    const std::string traced = image_path(system + "-trace");
    if ((off != nullptr && std::string(off) == "0") || !fs::exists(traced)) return o.str();
    RunOptions options;
    options.system = traced;
    options.selector = selector;
    options.timeout_s = timeout_s;
    const Run traced_run = run_system(options);
    const fs::path saved = fs::path(traced).parent_path().parent_path() / "trace" / (system + "-" +
                                                                                    std::to_string(selector) + ".txt");
    std::error_code ec;
    fs::create_directories(saved.parent_path(), ec);
    std::ofstream(saved) << traced_run.console;
    const std::string summary = trace_summary(traced_run.console);
    o << "the same run with the trace buffer (" << fs::path(traced).filename().string() << "), console saved to "
      << saved.string() << (summary.empty() ? ": no vCPU waited long for the CPU\n" : ":\n") << summary;
    return o.str();
}

}  // namespace mvtest
