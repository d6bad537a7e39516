// SPDX-License-Identifier: MIT
// System images: where they are, what their JSON sidecar says, and the QEMU command that boots one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mvtest {

/// One VM of an image, as the sidecar `X.json` describes it.
struct VmInfo {
    std::string name;
    uint32_t id = 0;
    uint32_t ram_pa = 0;
    uint32_t ram_size = 0;
    uint32_t params_pa = 0;  ///< physical address of the VM's parameter page (its token, the selector); 0 if none
    uint32_t entry = 0;
};

/// A bootable system image `X.elf` with its sidecar `X.json`.
struct Image {
    std::string elf;
    std::string sidecar;
    std::string system;
    uint32_t memory_mib = 0;
    std::vector<VmInfo> vms;
};

/// `$MV_IMAGE_DIR/<system>.elf`, else the build's image folder (MV_DEFAULT_IMAGE_DIR).
/// A name that is already a path (it contains '/') is returned unchanged.
std::string image_path(const std::string& system);

/// `X.json` for `X.elf`.
std::string sidecar_path(const std::string& elf);

/// Reads the image's sidecar. Throws std::runtime_error with a message that names the
/// missing or malformed file and says what to do (usually: build first).
Image load_image(const std::string& elf);

/// The QEMU program to run: `$MV_QEMU` if set (the self-tests use a fake), else `qemu-system-arm`.
std::string qemu_program();

/// The one QEMU command line of the project. `qemu` is the program (a path or a name on PATH);
/// VM i's parameter page, and no other, receives `tokens[i]`; every one receives `selector`;
/// `extra` goes last (e.g. `-s -S`). No semihosting: a guest could end QEMU or reach host
/// files with it; the microvisor ends QEMU by PSCI SYSTEM_OFF after its MV_EXIT line.
std::vector<std::string> qemu_command(const Image& image, const std::vector<uint32_t>& tokens, uint32_t selector,
                                      const std::vector<std::string>& extra,
                                      const std::string& qemu = "qemu-system-arm");

/// A fresh random non-zero token.
uint32_t new_token();

/// `n` fresh tokens for one run, non-zero and all different: one per VM.
std::vector<uint32_t> new_tokens(size_t n);

/// `v` as 8 lowercase hex digits, the way result lines carry a token.
std::string hex8(uint32_t v);

/// The system's exit status when QEMU exited with 0 but the console has no MV_EXIT line:
/// something other than the microvisor ended QEMU.
inline constexpr int kNoExitLine = 120;

/// The system's exit status. The microvisor ends QEMU by PSCI SYSTEM_OFF, which always
/// exits with 0, after printing `MV_EXIT: <status>`: that line's status counts (`exit_line`).
/// A non-zero `qemu_status` is QEMU's own failure (1: it could not start) and counts as is.
int system_status(int qemu_status, std::optional<int> exit_line);

/// What an exit status means ("every VM powered off", ...).
std::string exit_meaning(int status);

}  // namespace mvtest
