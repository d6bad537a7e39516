// SPDX-License-Identifier: MIT
// Child processes: fork/exec in a new process group, and a poll() loop that feeds on their output.
#include "child.hpp"
#include "cleanup.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace mvtest {
namespace {

// --- The child side of fork() ---------------------------------------------------------

/// Only async-signal-safe calls from here on: the argv array was built before fork().
[[noreturn]] void exec_child(char* const argv[], int in_fd, int out_fd, int err_fd, pid_t parent,
                             const sigset_t& old_mask) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl() took effect
    cleanup::reset_in_child();
    signal(SIGPIPE, SIG_DFL);
    dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    execv(argv[0], argv);
    const int e = errno;
    [[maybe_unused]] ssize_t n = write(err_fd, &e, sizeof e);
    _exit(127);
}

// --- The parent side --------------------------------------------------------------------

using Clock = std::chrono::steady_clock;

/// The parent's view of one running child: its pipes and what it has said so far.
class Watch {
public:
    Watch(const ChildSpec& spec, ChildResult& result) : spec_(spec), result_(result) {}

    int out = -1;        // read end of the child's stdout+stderr
    int in = -1;         // write end of the child's stdin (forward_stdin only)
    bool stdin_open = false;

    /// Reads what is there; false at end of file.
    bool read_output() {
        char buf[65536];
        for (;;) {
            const ssize_t n = read(out, buf, sizeof buf);
            if (n > 0) {
                take(buf, static_cast<size_t>(n));
                if (result_.flooded) return true;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            return n < 0 && errno == EAGAIN;  // EAGAIN: that's all for now; 0: end of file
        }
    }

    void read_stdin() {
        char buf[4096];
        const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n > 0) pending_.append(buf, static_cast<size_t>(n));
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) stdin_open = false;
    }

    void write_stdin() {
        const ssize_t n = write(in, pending_.data(), pending_.size());
        if (n > 0) pending_.erase(0, static_cast<size_t>(n));
        if (n < 0 && errno != EINTR && errno != EAGAIN) {  // the child closed its stdin
            pending_.clear();
            stdin_open = false;
        }
    }

    bool want_stdin() const { return stdin_open && pending_.size() < 65536; }
    /// The spec's input is written, or there is none: the child's stdin may end.
    bool input_done() const { return step_ == steps_.size(); }
    /// The next step of the spec's input goes out once its cue has been seen
    /// (a cue counts only in what came after the step before it).
    void cue(std::string_view data) {
        if (input_done()) return;
        recent_.append(data);
        while (!input_done()) {
            const auto& [after, text] = steps_[step_];
            const size_t at = recent_.find(after);
            if (at == std::string::npos) {
                if (recent_.size() > after.size()) recent_.erase(0, recent_.size() - after.size());
                return;
            }
            pending_ += text;
            recent_.erase(0, at + after.size());
            ++step_;
        }
    }
    bool has_pending() const { return in >= 0 && !pending_.empty(); }
    /// At the timeout: `text` to the child, then wait for `until` in its output.
    void ask(const std::string& text, const std::string& until) {
        pending_ += text;
        until_ = until;
        asked_ = true;
    }
    bool asked() const { return asked_; }
    bool answered() const { return answered_; }

private:
    void take(const char* data, size_t n) {
        if (spec_.max_output != 0 && total_ + n > spec_.max_output) {
            n = spec_.max_output - total_;
            result_.flooded = true;
        }
        total_ += n;
        if (spec_.capture) result_.output.append(data, n);
        if (spec_.on_output && n != 0) spec_.on_output(std::string_view(data, n));
        cue(std::string_view(data, n));
        if (asked_ && !answered_) {
            since_asked_.append(data, n);
            answered_ = since_asked_.find(until_) != std::string::npos;
            if (since_asked_.size() > until_.size()) since_asked_.erase(0, since_asked_.size() - until_.size());
        }
    }

    const ChildSpec& spec_;
    ChildResult& result_;
    size_t total_ = 0;
    std::string pending_;  // our stdin, not yet written to the child
    // (cue, text) of the input: spec's input first, if any, then more_input.
    std::vector<std::pair<std::string, std::string>> steps_ = [this] {
        std::vector<std::pair<std::string, std::string>> s;
        if (!spec_.input.empty()) s.emplace_back(spec_.input_after, spec_.input);
        s.insert(s.end(), spec_.more_input.begin(), spec_.more_input.end());
        return s;
    }();
    size_t step_ = 0;
    std::string recent_;   // the output's end, as long as the next cue, while input waits for it
    bool asked_ = false, answered_ = false;  // ask()
    std::string until_, since_asked_;        // what ask() waits for; the output's end since, as long as it
};

bool has_exited(pid_t pid) {
    siginfo_t info{};
    return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

/// Feeds the child until it exits, its time is up, or it floods. Does not reap it.
void watch(pid_t pid, Watch& w, const ChildSpec& spec, ChildResult& result, Clock::time_point start) {
    double timeout_s = spec.timeout_s;
    for (;;) {
        if (w.answered()) return;  // what the timeout asked for has come
        if (has_exited(pid)) {
            kill(-pid, SIGKILL);  // anything it left behind, so that the pipe comes to an end
            if (w.out >= 0) w.read_output();  // what is still in the pipe
            return;
        }
        int wait_ms = w.out >= 0 ? 200 : 5;  // pipe closed: the exit is moments away
        if (timeout_s > 0) {
            const double left = timeout_s - std::chrono::duration<double>(Clock::now() - start).count();
            if (left <= 0 && !w.asked() && !spec.at_timeout.empty() && w.in >= 0) {
                result.timed_out = true;
                w.ask(spec.at_timeout, spec.at_timeout_until);
                timeout_s += spec.at_timeout_grace_s;
                continue;
            }
            if (left <= 0) {
                result.timed_out = true;
                return;
            }
            if (left * 1000 < wait_ms) wait_ms = static_cast<int>(left * 1000) + 1;
        }
        pollfd fds[3];
        nfds_t n = 0;
        if (w.out >= 0) fds[n++] = {w.out, POLLIN, 0};
        if (w.want_stdin()) fds[n++] = {STDIN_FILENO, POLLIN, 0};
        if (w.has_pending()) fds[n++] = {w.in, POLLOUT, 0};
        if (poll(fds, n, wait_ms) < 0) continue;  // EINTR
        for (nfds_t i = 0; i < n; ++i) {
            if (fds[i].revents == 0) continue;
            if (fds[i].fd == STDIN_FILENO) {
                w.read_stdin();
            } else if (fds[i].fd == w.in) {
                w.write_stdin();
            } else if (!w.read_output()) {
                close(w.out);
                w.out = -1;
            }
        }
        if (result.flooded) return;
        if (w.in >= 0 && !w.stdin_open && !w.has_pending() && w.input_done() && spec.at_timeout.empty()) {
            close(w.in);  // our stdin ended: so does the child's
            w.in = -1;
        }
    }
}

void finish(pid_t pid, ChildResult& result) {
    kill(-pid, SIGKILL);  // the group: a still-running child, or anything it left behind
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    cleanup::set_group(0);
    const bool ended_by_itself = !result.timed_out && !result.flooded && result.error.empty();
    if (WIFEXITED(status) && ended_by_itself) result.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

std::string find_program(const std::string& name) {
    const auto executable = [](const std::string& p) {
        struct stat st {};
        return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? name : "";
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    for (size_t pos = 0;;) {
        const size_t colon = dirs.find(':', pos);
        std::string dir = dirs.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (executable(candidate)) return candidate;
        if (colon == std::string::npos) return "";
        pos = colon + 1;
    }
}

ChildResult run_child(const ChildSpec& spec) {
    ChildResult result;
    const std::string program = spec.argv.empty() ? "" : find_program(spec.argv[0]);
    if (program.empty()) {
        result.error = "cannot run " + (spec.argv.empty() ? std::string("(nothing)") : spec.argv[0]) +
                       ": not found" + (spec.argv.empty() || spec.argv[0].find('/') != std::string::npos
                                            ? std::string() : " on PATH");
        return result;
    }
    std::vector<std::string> args = spec.argv;
    args[0] = program;
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    cleanup::install();
    int out[2], err[2], in[2] = {-1, -1};  // [0] read end, [1] write end
    const bool ok = pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0 &&
                    (spec.forward_stdin || !spec.input.empty() || !spec.more_input.empty() || !spec.at_timeout.empty()
                         ? pipe2(in, O_CLOEXEC) == 0
                                        : (in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0);
    if (!ok) {
        result.error = std::string("cannot create pipes: ") + std::strerror(errno);
        return result;  // (a leaked descriptor or two; this process is out of them anyway)
    }

    const auto start = Clock::now();
    const sigset_t block = cleanup::signals();
    sigset_t old_mask;
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);  // no cleanup signal before set_group()
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) exec_child(argv.data(), in[0], out[1], err[1], parent, old_mask);
    if (pid > 0) {
        setpgid(pid, pid);  // the child does it too: whichever runs first
        cleanup::set_group(pid);
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    close(out[1]);
    close(err[1]);
    close(in[0]);  // the child's copies are all it needs
    if (pid < 0) {
        result.error = std::string("cannot fork: ") + std::strerror(errno);
        close(out[0]);
        close(err[0]);
        if (in[1] >= 0) close(in[1]);
        return result;
    }

    int exec_errno = 0;
    while (read(err[0], &exec_errno, sizeof exec_errno) < 0 && errno == EINTR) {}
    close(err[0]);
    Watch w(spec, result);
    w.out = out[0];
    w.in = in[1];
    w.stdin_open = spec.forward_stdin;
    w.cue("");  // an input without a cue goes at once
    fcntl(w.out, F_SETFL, O_NONBLOCK);
    if (w.in >= 0) fcntl(w.in, F_SETFL, O_NONBLOCK);
    if (exec_errno != 0)
        result.error = "cannot run " + program + ": " + std::strerror(exec_errno);
    else
        watch(pid, w, spec, result, start);
    finish(pid, result);
    if (w.out >= 0) close(w.out);
    if (w.in >= 0) close(w.in);
    result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

}  // namespace mvtest
