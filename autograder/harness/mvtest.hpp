// SPDX-License-Identifier: MIT
// mvtest: boot a system image in QEMU, read its console, and check what the test guests report.
#pragma once

#include "image.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mvtest {

struct RunOptions {
    std::string system;               ///< image base name ("lab1-traps"), or a path to an .elf
    double timeout_s = 10.0;          ///< QEMU is killed after this long
    uint32_t selector = 0;            ///< which sub-test the guests run; 0 = all
    std::vector<std::string> extra_args;  ///< appended to QEMU's command line
    size_t max_output = 1 << 20;      ///< QEMU is killed after printing this many bytes
    std::string input;                ///< typed on the board's UART (QEMU's stdin) once the console
    std::string input_after;          ///< shows `input_after` (empty: at once)
    /// Then, in order, each (cue, text): typed once the console, after what was typed
    /// before, shows the cue. Ctrl-A <n> ("\x01" "1") moves the keyboard to VM n.
    std::vector<std::pair<std::string, std::string>> more_input;
    /// A traced image (<system>-trace.elf): at the timeout, type Ctrl-A t for the trace
    /// buffer (kernel/trace.hpp) and wait for it before QEMU is killed.
    bool trace_at_timeout = false;
};

/// `[<vm>] @@MVT <token> PASS <name>` or `[<vm>] @@MVT <token> FAIL <name>: <detail>`, at the
/// start of a line, with the token of that VM.
struct GuestResult {
    bool pass;
    std::string name, detail;
    std::string vm;  ///< the VM that reported it
};

/// `MV_LAB_TODO: lab <N>: <function>() in <file> is not written yet (book: <section>)`.
struct LabTodo {
    int lab;
    std::string function, file, section, line;
};

/// What one boot of a system image did. Inside a TEST body write `mvtest::Run` or `auto`:
/// there the bare name `Run` means testing::Test::Run().
///
/// Markers count at the start of a console line only: the microvisor's (MV_LAB_TODO:,
/// MV_PANIC:, `MV: VM <id> (<name>) crashed`, MV_EXIT:) bare, a guest's result lines after
/// its VM's prefix `[<vm>] `, which the microvisor puts before every guest line.
struct Run {
    int exit_status = -1;        ///< the system's: MV_EXIT's status, or QEMU's own failure (system_status); -1 if killed
    int qemu_status = -1;        ///< QEMU's own exit code (0 after PSCI SYSTEM_OFF); -1 if killed or signalled
    std::optional<int> exit_line;  ///< the status of the microvisor's `MV_EXIT: <status>` line
    bool timed_out = false, flooded = false;
    std::string console;         ///< everything QEMU printed (stdout+stderr), capped at max_output
    std::vector<GuestResult> results;  ///< result lines carrying their VM's token, in order
    bool done = false;           ///< saw `[<vm>] @@MVT <token> DONE` (from any VM)
    std::vector<std::string> done_vms;  ///< the VMs that said DONE, in order
    std::map<std::string, long long> values;  ///< `[<vm>] @@MVT <token> VALUE <name> <integer>` lines
    std::map<std::string, std::string> value_vm;  ///< the VM that reported each value (the last one)
    std::optional<LabTodo> todo;       ///< the first MV_LAB_TODO line
    std::optional<std::string> panic;  ///< the first MV_PANIC message
    std::vector<std::string> crashes;  ///< "VM <id> (<name>) crashed: <why>", one per crash

    std::string system;          ///< as given in RunOptions
    std::map<std::string, uint32_t> tokens;  ///< each VM's own token, by VM name (VMs with a parameter page)
    uint32_t token = 0;          ///< the first VM's token
    uint32_t selector = 0;
    double timeout_s = 0, elapsed_s = 0;
    std::string error;           ///< the harness could not boot it (no image, no QEMU); also in console
    int foreign_results = 0;     ///< `@@MVT` lines not counted: another VM's token, no prefix, not at the line start

    /// A failed predicate prints why the run went wrong and the console's end once per
    /// run; later failures of the same run point back to it.
    mutable bool context_shown = false;

    std::string tail(size_t n = 20) const;  ///< the last n console lines, colour codes removed
    const GuestResult* find(const std::string& name) const;  ///< the first result named `name`
};

/// Boots the image and waits until QEMU exits, times out or floods. Never throws: a missing
/// image or QEMU is reported in `error` and `console`, with exit_status -1.
Run run_system(const RunOptions& options);

/// Shorthand for the common case: `boot("lab1-traps", 2)`.
Run boot(const std::string& system, uint32_t selector = 0, double timeout_s = 10.0);

// GoogleTest predicates: EXPECT_TRUE(mvtest::GuestPassed(run, "hvc_null")). On failure they say
// what was expected and seen, then why the run went wrong (an unwritten lab function, a panic,
// a crash, a timeout, a flood, QEMU's exit status) and the last 15 console lines.
::testing::AssertionResult GuestPassed(const Run& run, const std::string& name);
/// The same, from one VM: VM `vm` reported PASS `name` and no FAIL of it.
::testing::AssertionResult GuestPassedIn(const Run& run, const std::string& vm, const std::string& name);
::testing::AssertionResult GuestDone(const Run& run);
::testing::AssertionResult ExitedWith(const Run& run, int status);
::testing::AssertionResult ConsoleHas(const Run& run, const std::string& text);
/// The guest reported `@@MVT <token> VALUE <name> <v>` with lo <= v <= hi.
::testing::AssertionResult ValueIn(const Run& run, const std::string& name, long long lo, long long hi);
/// Exactly `times` guests (VMs) reported PASS `name`.
::testing::AssertionResult PassedTimes(const Run& run, const std::string& name, size_t times);
/// The whole scenario went right: `name` passed, the guest said DONE, every VM powered off (0).
::testing::AssertionResult ScenarioPassed(const Run& run, const std::string& name);

}  // namespace mvtest
