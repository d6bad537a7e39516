// SPDX-License-Identifier: MIT
// Child processes that never outlive us: QEMU in its own process group, with a timeout and an output cap.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mvtest {

struct ChildSpec {
    std::vector<std::string> argv;   ///< argv[0]: a path, or a name looked up on PATH
    double timeout_s = 0;            ///< <= 0: no timeout
    size_t max_output = 0;           ///< stop and kill after this many bytes; 0: no cap
    bool capture = true;             ///< keep the output in ChildResult::output
    bool forward_stdin = false;      ///< pass our stdin through; otherwise the child reads /dev/null
    std::string input;               ///< written to the child's stdin once its output shows `input_after`
    std::string input_after;         ///< (empty: at once); then the child's stdin ends
    /// After `input`: each step's text once the output, after the step before it, shows its cue.
    std::vector<std::pair<std::string, std::string>> more_input;  ///< (cue, text), in order
    std::function<void(std::string_view)> on_output;  ///< called as output arrives (stdout+stderr)
    /// At the timeout, if not empty: written to the child's stdin (which stays open for it), and
    /// the child killed once its output shows `at_timeout_until`, or `at_timeout_grace_s` later.
    std::string at_timeout, at_timeout_until;
    double at_timeout_grace_s = 10;
};

struct ChildResult {
    int exit_status = -1;   ///< the exit code; -1 if killed or signalled
    int signal = 0;         ///< the signal that ended it, if any
    bool timed_out = false;
    bool flooded = false;
    std::string output;     ///< stdout and stderr as one stream, capped at max_output
    std::string error;      ///< could not start it (not found, not executable)
    double elapsed_s = 0;
};

/// Runs a child to completion. The child runs in its own process group with stdout and stderr
/// on one pipe; it gets SIGKILL when we die (PR_SET_PDEATHSIG), when its time is up, when its
/// output passes the cap, and when we get SIGINT, SIGTERM or SIGHUP (our handlers kill the
/// group, then re-raise with the previous action). Nothing of the group outlives the call.
/// One child at a time per process.
ChildResult run_child(const ChildSpec& spec);

/// The path of an executable: `name` itself if it contains '/', else the first match on PATH;
/// empty if there is none.
std::string find_program(const std::string& name);

}  // namespace mvtest
