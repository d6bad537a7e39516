// SPDX-License-Identifier: MIT
// Reading the console: result lines, lab TODOs, panics, crashes and the exit line.
#pragma once

#include "mvtest.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mvtest {

/// The console as lines, without '\r' and ANSI colour sequences (a per-VM colour must not
/// stick to a test's name). A last line without '\n' counts too.
std::vector<std::string> console_lines(std::string_view console);

/// Parses an `MV_LAB_TODO:` line; nullopt if the line does not start with the marker.
std::optional<LabTodo> parse_todo(const std::string& line);

/// The status of an `MV_EXIT: <status> (<meaning>)` line; nullopt if the line does not
/// start with the marker.
std::optional<int> parse_exit_line(const std::string& line);

/// Fills run.results, done, values, foreign_results, todo, panic, crashes and exit_line from
/// run.console. Every marker counts at the start of a line only. A result line counts only
/// as `[<vm>] @@MVT <token> ...` with the token run.tokens gives that VM.
void parse_console(Run& run);

/// Finds the MV_EXIT line in a console that arrives in pieces (mv-run streams it).
class ExitLineWatcher {
public:
    void feed(std::string_view data);
    /// The last MV_EXIT line's status, counting a last line without '\n'.
    std::optional<int> status() const;

private:
    std::string line_;  // the current line, up to its first 64 characters
    std::optional<int> status_;
};

/// QEMU's one line that every run now ends with, and that means nothing:
/// "qemu-system-arm: warning: icount sleep disabled and no active timers". After PSCI
/// SYSTEM_OFF QEMU turns the CPU off; under -icount sleep=off it then finds no timer to run
/// to, and warns once, before it handles the shutdown. Drops that line, whole, from a console
/// that arrives in pieces; holds back only a line that starts like it.
class QemuNoiseFilter {
public:
    std::string feed(std::string_view data);  ///< what to pass on now
    std::string flush();                      ///< a held-back piece of a last line

private:
    std::string held_;
    bool line_start_ = true;
};

/// `console` without QEMU's line that QemuNoiseFilter drops.
std::string without_qemu_noise(std::string_view console);

}  // namespace mvtest
