// SPDX-License-Identifier: MIT
// Reading the console: result lines, lab TODOs, panics and crashes.
#include "console.hpp"

#include <cctype>
#include <regex>

namespace mvtest {
namespace {

constexpr std::string_view kResult = "@@MVT";
constexpr std::string_view kTodo = "MV_LAB_TODO:";
constexpr std::string_view kPanic = "MV_PANIC:";
constexpr std::string_view kCrash = "MV: VM ";

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

/// `@@MVT <8 hex digits> <verb> <rest>` anywhere in the line.
struct ResultLine {
    uint32_t token;
    std::string verb, rest;
};

std::optional<ResultLine> parse_result(const std::string& line) {
    static const std::regex re(R"(@@MVT ([0-9a-fA-F]{8}) (PASS|FAIL|DONE|VALUE)\b ?(.*))");
    std::smatch m;
    if (!std::regex_search(line, m, re)) return std::nullopt;
    return ResultLine{static_cast<uint32_t>(std::stoul(m[1], nullptr, 16)), m[2], trim(m[3].str())};
}

GuestResult to_result(const ResultLine& r) {
    if (r.verb == "PASS") return {true, r.rest, ""};
    const size_t colon = r.rest.find(':');
    if (colon == std::string::npos) return {false, r.rest, ""};
    return {false, trim(std::string_view(r.rest).substr(0, colon)),
            trim(std::string_view(r.rest).substr(colon + 1))};
}

std::string after(const std::string& line, std::string_view marker) {
    return trim(std::string_view(line).substr(line.find(marker) + marker.size()));
}

/// `VALUE <name> <integer>`: a measurement a guest reports (the last one of a name counts).
void add_value(Run& run, const std::string& rest) {
    static const std::regex re(R"((\S+) (-?\d+))");
    std::smatch m;
    if (std::regex_match(rest, m, re)) run.values[m[1]] = std::stoll(m[2]);
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
    if (line.find(kTodo) == std::string::npos) return std::nullopt;
    static const std::regex re(
        R"(MV_LAB_TODO: lab (\d+): ([A-Za-z_][\w:~]*)(?:\(\))? in (\S+) is not written yet(?: \(book: (.*)\))?)");
    LabTodo todo{0, "", "", "", trim(line.substr(line.find(kTodo)))};
    std::smatch m;
    if (std::regex_search(line, m, re)) {
        todo.lab = std::stoi(m[1]);
        todo.function = m[2];
        todo.file = m[3];
        todo.section = m[4];
    }
    return todo;
}

void parse_console(Run& run) {
    for (const std::string& line : console_lines(run.console)) {
        if (line.find(kResult) != std::string::npos) {
            if (const auto r = parse_result(line)) {
                if (r->token != run.token) ++run.foreign_results;
                else if (r->verb == "DONE") run.done = true;
                else if (r->verb == "VALUE") add_value(run, r->rest);
                else run.results.push_back(to_result(*r));
            }
        } else if (line.find(kTodo) != std::string::npos) {
            if (!run.todo) run.todo = parse_todo(line);
        } else if (line.find(kPanic) != std::string::npos) {
            if (!run.panic) run.panic = after(line, kPanic);
        } else if (line.find(kCrash) != std::string::npos && line.find(") crashed") != std::string::npos) {
            run.crashes.push_back(after(line, "MV: "));
        }
    }
}

}  // namespace mvtest
