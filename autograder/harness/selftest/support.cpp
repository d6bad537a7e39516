// SPDX-License-Identifier: MIT
// Self-test support: temporary image folders, scoped environment, and process checks through /proc.
#include "support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace selftest {
namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mv-harness-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) setenv(name_.c_str(), value->c_str(), 1);
    else unsetenv(name_.c_str());
}

ScopedEnv::~ScopedEnv() {
    if (old_) setenv(name_.c_str(), old_->c_str(), 1);
    else unsetenv(name_.c_str());
}

void write_image(const std::string& dir, const std::string& name, int vms, const std::string& elf) {
    std::ofstream(dir + "/" + name + ".elf", std::ios::binary) << elf;
    std::ofstream json(dir + "/" + name + ".json");
    json << R"({"system": ")" << name << R"(", "memory_mib": 64, "vms": [)";
    for (int i = 0; i < vms; ++i) {
        const unsigned base = 0x48000000u + static_cast<unsigned>(i) * 0x1000000u;
        json << (i ? ", " : "") << R"({"name": "vm)" << i << R"(", "id": )" << i << std::hex
             << R"(, "ram_pa": "0x)" << base << R"(", "ram_size": 16777216, "params_pa": "0x)"
             << base + 0xfff000u << R"(", "entry": "0x)" << base << "\"}" << std::dec;
    }
    json << "]}\n";
}

namespace {

/// A /proc file's contents; empty if the process is gone (reading one that just exited fails
/// with ESRCH, which an ifstream turns into an exception).
std::string read_proc(const fs::path& path) {
    std::string text;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return text;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    close(fd);
    return text;
}

/// Calls `visit(pid, state, pgrp, cmdline)` for every process in /proc.
void each_process(const std::function<void(pid_t, char, pid_t, const std::string&)>& visit) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string stat = read_proc(entry.path() / "stat");
        const size_t paren = stat.rfind(')');
        if (paren == std::string::npos) continue;  // gone meanwhile
        std::istringstream fields(stat.substr(paren + 2));
        char state = '?';
        pid_t ppid = 0, pgrp = 0;
        fields >> state >> ppid >> pgrp;
        visit(static_cast<pid_t>(std::stol(name)), state, pgrp, read_proc(entry.path() / "cmdline"));
    }
}

}  // namespace

int group_members(pid_t pgid) {
    int n = 0;
    each_process([&](pid_t, char state, pid_t pgrp, const std::string&) { n += pgrp == pgid && state != 'Z'; });
    return n;
}

int processes_with(const std::string& marker) {
    int n = 0;
    each_process([&](pid_t pid, char state, pid_t, const std::string& cmdline) {
        n += pid != getpid() && state != 'Z' && cmdline.find(marker) != std::string::npos;
    });
    return n;
}

bool eventually(const std::function<bool()>& done, double seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

pid_t read_pidfile(const std::string& path, double seconds) {
    pid_t pid = 0;
    eventually([&] { return bool(std::ifstream(path) >> pid); }, seconds);
    return pid;
}

std::string unique_marker() {
    static int counter = 0;
    return "mvtest-marker-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" +
           mvtest::hex8(mvtest::new_token());
}

FakeQemuTest::FakeQemuTest()
    : images_("MV_IMAGE_DIR", dir_.path()), qemu_("MV_QEMU", FAKE_QEMU), pidfile_("FAKE_QEMU_PIDFILE", pidfile()) {
    write_image(dir_.path(), "fake", 2);
}

mvtest::Run FakeQemuTest::boot(uint32_t selector, double timeout_s, size_t max_output) {
    mvtest::RunOptions options;
    options.system = "fake";
    options.selector = selector;
    options.timeout_s = timeout_s;
    options.max_output = max_output;
    options.extra_args = {"-name", marker};
    return mvtest::run_system(options);
}

}  // namespace selftest
