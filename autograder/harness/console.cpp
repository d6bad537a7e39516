// SPDX-License-Identifier: MIT
// Reading the console: every marker at the start of a line.
//
// The microvisor starts each of its lines at the start of a console line, and puts
// `[<vm>] ` before every line a guest writes, escaping the guest's control bytes (see
// microvisor/kernel/console.hpp). So a marker at the start of a line is the microvisor's,
// and a result line after `[<vm>] ` is that VM's; its token, which only that VM was given,
// rules out a line that the microvisor itself or another VM printed.
#include "console.hpp"

#include <cctype>
#include <regex>
#include <utility>

namespace mvtest {
namespace {

constexpr std::string_view kResult = "@@MVT";
constexpr std::string_view kTodo = "MV_LAB_TODO:";
constexpr std::string_view kPanic = "MV_PANIC:";
constexpr std::string_view kExit = "MV_EXIT:";
constexpr std::string_view kQemuNoise = "qemu-system-arm: warning: icount sleep disabled and no active timers\n";

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

/// Removes ESC [ ... <final byte> (CSI) and two-byte ESC sequences, and '\r'.
std::string clean(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') continue;
        if (s[i] != '\x1b') {
            out += s[i];
            continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '[') {
            i += 2;
            while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
        } else {
            ++i;
        }
    }
    return out;
}

/// `[<vm>] @@MVT <8 hex digits> <verb> <rest>`, the whole line.
struct ResultLine {
    std::string vm;
    uint32_t token;
    std::string verb, rest;
};

std::optional<ResultLine> parse_result(const std::string& line) {
    static const std::regex re(R"(\[([^\] ]+)\] @@MVT ([0-9a-fA-F]{8}) (PASS|FAIL|DONE|VALUE)\b ?(.*))");
    std::smatch m;
    if (!std::regex_match(line, m, re)) return std::nullopt;
    return ResultLine{m[1], static_cast<uint32_t>(std::stoul(m[2], nullptr, 16)), m[3], trim(m[4].str())};
}

GuestResult to_result(const ResultLine& r) {
    if (r.verb == "PASS") return {true, r.rest, "", r.vm};
    const size_t colon = r.rest.find(':');
    if (colon == std::string::npos) return {false, r.rest, "", r.vm};
    return {false, trim(std::string_view(r.rest).substr(0, colon)),
            trim(std::string_view(r.rest).substr(colon + 1)), r.vm};
}

/// A result line of the VM it names, with that VM's token.
bool genuine(const Run& run, const ResultLine& r) {
    const auto it = run.tokens.find(r.vm);
    return it != run.tokens.end() && it->second == r.token;
}

/// `MV: VM <id> (<name>) crashed: <why>`: "VM <id> (<name>) crashed: <why>".
std::optional<std::string> parse_crash(const std::string& line) {
    static const std::regex re(R"(MV: (VM \d+ \([^)]*\) crashed\b.*))");
    std::smatch m;
    if (!std::regex_match(line, m, re)) return std::nullopt;
    return trim(m[1].str());
}

/// `VALUE <name> <integer>`: a measurement a guest reports (the last one of a name counts).
void add_value(Run& run, const std::string& vm, const std::string& rest) {
    static const std::regex re(R"((\S+) (-?\d+))");
    std::smatch m;
    if (!std::regex_match(rest, m, re)) return;
    run.values[m[1]] = std::stoll(m[2]);
    run.value_vm[m[1]] = vm;
}

}  // namespace

std::vector<std::string> console_lines(std::string_view console) {
    std::vector<std::string> lines;
    while (!console.empty()) {
        const size_t nl = console.find('\n');
        lines.push_back(clean(console.substr(0, nl)));
        if (nl == std::string_view::npos) break;
        console.remove_prefix(nl + 1);
    }
    return lines;
}

std::optional<LabTodo> parse_todo(const std::string& line) {
    if (!line.starts_with(kTodo)) return std::nullopt;
    static const std::regex re(
        R"(MV_LAB_TODO: lab (\d+): ([A-Za-z_][\w:~]*)(?:\(\))? in (\S+) is not written yet(?: \(book: (.*)\))?)");
    LabTodo todo{0, "", "", "", trim(line)};
    std::smatch m;
    if (std::regex_search(line, m, re)) {
        todo.lab = std::stoi(m[1]);
        todo.function = m[2];
        todo.file = m[3];
        todo.section = m[4];
    }
    return todo;
}

std::optional<int> parse_exit_line(const std::string& line) {
    static const std::regex re(R"(MV_EXIT: (\d{1,3})\b.*)");
    std::smatch m;
    if (!line.starts_with(kExit) || !std::regex_match(line, m, re)) return std::nullopt;
    return std::stoi(m[1]);
}

void parse_console(Run& run) {
    for (const std::string& line : console_lines(run.console)) {
        if (line.starts_with(kTodo)) {
            if (!run.todo) run.todo = parse_todo(line);
        } else if (line.starts_with(kPanic)) {
            if (!run.panic) run.panic = trim(std::string_view(line).substr(kPanic.size()));
        } else if (const auto status = parse_exit_line(line)) {
            run.exit_line = status;
        } else if (const auto crash = parse_crash(line)) {
            run.crashes.push_back(*crash);
        } else if (line.find(kResult) != std::string::npos) {
            const auto r = parse_result(line);
            if (!r || !genuine(run, *r)) ++run.foreign_results;
            else if (r->verb == "DONE") {
                run.done = true;
                run.done_vms.push_back(r->vm);
            } else if (r->verb == "VALUE") {
                add_value(run, r->vm, r->rest);
            }
            else run.results.push_back(to_result(*r));
        }
    }
}

void ExitLineWatcher::feed(std::string_view data) {
    for (const char c : data) {
        if (c == '\n') {
            if (const auto s = parse_exit_line(clean(line_))) status_ = s;
            line_.clear();
        } else if (line_.size() < 64) {
            line_ += c;
        }
    }
}

std::optional<int> ExitLineWatcher::status() const {
    if (const auto s = parse_exit_line(clean(line_))) return s;
    return status_;
}

}  // namespace mvtest

namespace mvtest {

std::string QemuNoiseFilter::feed(std::string_view data) {
    std::string out;
    for (const char c : data) {
        if (held_.empty() && !(line_start_ && c == kQemuNoise.front())) {
            out += c;
            line_start_ = c == '\n';
            continue;
        }
        held_ += c;
        line_start_ = c == '\n';
        if (held_ == kQemuNoise) {
            held_.clear();
        } else if (!kQemuNoise.starts_with(held_)) {
            out += held_;
            held_.clear();
        }
    }
    return out;
}

std::string QemuNoiseFilter::flush() { return std::exchange(held_, std::string()); }

std::string without_qemu_noise(std::string_view console) {
    QemuNoiseFilter filter;
    std::string out = filter.feed(console);
    return out + filter.flush();
}

}  // namespace mvtest
