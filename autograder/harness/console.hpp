// SPDX-License-Identifier: MIT
// Reading the console: result lines, lab TODOs, panics and crashes.
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

/// Parses an `MV_LAB_TODO:` line; nullopt if the line has no marker.
std::optional<LabTodo> parse_todo(const std::string& line);

/// Fills run.results, done, foreign_results, todo, panic and crashes from run.console,
/// counting only result lines that carry run.token.
void parse_console(Run& run);

}  // namespace mvtest
