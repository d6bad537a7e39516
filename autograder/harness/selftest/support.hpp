// SPDX-License-Identifier: MIT
// Self-test support: temporary image folders, scoped environment, and process checks through /proc.
#pragma once

#include "mvtest.hpp"

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

namespace selftest {

/// A temporary folder, removed with its contents at the end of its life.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// An environment variable set (or unset, with nullopt) for the life of this object.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::optional<std::string>& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

/// Writes `<dir>/<name>.elf` (with `elf` as its contents) and the sidecar `<dir>/<name>.json`
/// describing `vms` VMs, the first with its parameter page at 0x48fff000.
void write_image(const std::string& dir, const std::string& name, int vms = 1, const std::string& elf = "");

/// Live processes (zombies do not count) in process group `pgid`.
int group_members(pid_t pgid);

/// Live processes whose command line contains `marker`.
int processes_with(const std::string& marker);

/// Polls `done` every 10 ms for up to `seconds`.
bool eventually(const std::function<bool()>& done, double seconds = 3);

/// The pid that fake-qemu.sh wrote to `path`, waiting up to `seconds` for it; 0 if none came.
pid_t read_pidfile(const std::string& path, double seconds = 5);

/// A string no other process has in its command line.
std::string unique_marker();

/// Each test gets an image folder holding the 2-VM image "fake", MV_QEMU set to fake-qemu.sh,
/// and FAKE_QEMU_PIDFILE set to a file in the folder.
class FakeQemuTest : public ::testing::Test {
public:
    FakeQemuTest();
    /// Boots "fake" with `selector`; a unique marker rides on QEMU's command line.
    mvtest::Run boot(uint32_t selector, double timeout_s = 5, size_t max_output = 1 << 20);
    std::string pidfile() const { return dir_.path() + "/fake-qemu.pid"; }
    const std::string& dir() const { return dir_.path(); }

    std::string marker = unique_marker();

private:
    TempDir dir_;
    ScopedEnv images_, qemu_, pidfile_;
};

}  // namespace selftest
