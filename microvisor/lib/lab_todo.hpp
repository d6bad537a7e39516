// SPDX-License-Identifier: MIT
// MV_LAB_TODO: the body of a lab function that the student has not written yet.
#pragma once

namespace mv {

/// Prints `MV_LAB_TODO: lab <n>: <function>() in <file> is not written yet (book: ...)`
/// and ends the system with ExitStatus::lab_todo.
[[noreturn]] void lab_todo(int lab, const char* function, const char* file);

}  // namespace mv

/// Marks a function of lab `n` as not written yet. Replace the whole line with your code.
#define MV_LAB_TODO(n) ::mv::lab_todo((n), __func__, __FILE__)
