// SPDX-License-Identifier: MIT
// Cleanup on SIGINT, SIGTERM and SIGHUP: kill the running child's process group, then die as asked.
#pragma once

#include <sys/types.h>

#include <csignal>

namespace mvtest::cleanup {

/// Installs the handlers, once per process. A signal that was ignored stays ignored (nohup).
/// A handler kills the current group with SIGKILL, restores the previous action and re-raises.
void install();

/// The signals the handlers cover, as a set to block around fork().
sigset_t signals();

/// The process group to kill on a signal; 0 for none.
void set_group(pid_t group);

/// In a forked child before exec (async-signal-safe): the default action for our handlers.
void reset_in_child();

}  // namespace mvtest::cleanup
