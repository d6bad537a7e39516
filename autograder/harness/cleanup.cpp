// SPDX-License-Identifier: MIT
// Cleanup on SIGINT, SIGTERM and SIGHUP: kill the running child's process group, then die as asked.
#include "cleanup.hpp"

#include <cerrno>
#include <iterator>
#include <mutex>

namespace mvtest::cleanup {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[std::size(kSignals)];
volatile sig_atomic_t g_group = 0;  // the running child's process group, 0 if none

void on_signal(int sig) {
    const int saved_errno = errno;
    if (const pid_t group = g_group; group > 0) kill(-group, SIGKILL);
    for (size_t i = 0; i < std::size(kSignals); ++i)
        if (kSignals[i] == sig) sigaction(sig, &g_previous[i], nullptr);
    raise(sig);  // delivered with the previous action once we return: by default, death
    errno = saved_errno;
}

}  // namespace

void install() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (size_t i = 0; i < std::size(kSignals); ++i) {
            sigaction(kSignals[i], nullptr, &g_previous[i]);
            if (g_previous[i].sa_handler == SIG_IGN) continue;
            struct sigaction sa {};
            sa.sa_handler = on_signal;
            sigemptyset(&sa.sa_mask);
            sigaction(kSignals[i], &sa, nullptr);
        }
    });
}

sigset_t signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kSignals) sigaddset(&set, sig);
    return set;
}

void set_group(pid_t group) { g_group = group; }

void reset_in_child() {
    for (int sig : kSignals) {
        struct sigaction cur {};
        sigaction(sig, nullptr, &cur);
        if (cur.sa_handler == on_signal) signal(sig, SIG_DFL);
    }
}

}  // namespace mvtest::cleanup
