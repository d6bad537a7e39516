// SPDX-License-Identifier: MIT
// The outputs: the microvisor's static tables, the guest images, their placement.
#pragma once

#include "description.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sysgen {

/// The text of each output file of a checked system. Nothing is written here.
struct Outputs {
    std::string system_config_cpp;  ///< mv::system_config, compiled into the microvisor
    std::string guests_s;           ///< one .vm.<name> section per VM with its flat binary
    std::string guests_ld;          ///< linker fragment placing each .vm.<name> at its physical address
    std::string image_json;         ///< the layout, for the test harness and `make qemu`
    /// Further files by name: each Linux VM's device tree (dtb_file()).
    std::vector<std::pair<std::string, std::string>> binaries;
};

/// `source` is the description's path as it should appear in the "Generated" line.
/// `out_dir` is where the outputs will be written (guests.S names the device trees there).
Outputs emit(const System& sys, const std::string& source, const std::filesystem::path& out_dir);

/// The file name of a Linux VM's device tree among the outputs.
std::string dtb_file(const Vm& vm);

/// A Make-style depfile: `target` depends on the description and the guest files.
std::string emit_depfile(const std::filesystem::path& target, const std::filesystem::path& description,
                         const System& sys);

}  // namespace sysgen
