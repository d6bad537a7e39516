// SPDX-License-Identifier: MIT
// Diagnostics: errors collected with their position, printed GCC-style.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace sysgen {

/// A position in the system description; line 0 means "the file as a whole".
struct Where {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

/// Collects every error found, so that one run reports all of them, then
/// prints them as "FILE:LINE:COL: error: MESSAGE" (editors jump there).
class Diagnostics final {
public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(Where at, std::string message);
    bool ok() const { return errors_.empty(); }
    std::size_t count() const { return errors_.size(); }

    /// Prints the errors in file order.
    void print(std::ostream& out) const;

private:
    struct Error {
        Where at;
        std::string message;
    };
    std::string file_;
    std::vector<Error> errors_;
};

}  // namespace sysgen
