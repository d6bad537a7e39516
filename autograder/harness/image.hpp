// SPDX-License-Identifier: MIT
// System images: where they are, what their JSON sidecar says, and the QEMU command that boots one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mvtest {

/// One VM of an image, as the sidecar `X.json` describes it.
struct VmInfo {
    std::string name;
    uint32_t id = 0;
    uint32_t ram_pa = 0;
    uint32_t ram_size = 0;
    uint32_t params_pa = 0;  ///< physical address of the VM's parameter page (token, selector); 0 if none
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
/// every VM's parameter page receives `token` and `selector`; `extra` goes last (e.g. `-s -S`).
std::vector<std::string> qemu_command(const Image& image, uint32_t token, uint32_t selector,
                                      const std::vector<std::string>& extra,
                                      const std::string& qemu = "qemu-system-arm");

/// A fresh random non-zero token for one run.
uint32_t new_token();

/// `v` as 8 lowercase hex digits, the way result lines carry a token.
std::string hex8(uint32_t v);

/// What the microvisor means by a semihosting exit status ("every VM powered off", ...).
std::string exit_meaning(int status);

}  // namespace mvtest
