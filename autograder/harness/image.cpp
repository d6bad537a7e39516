// SPDX-License-Identifier: MIT
// System images: sidecar parsing and the QEMU command line.
#include "image.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#ifndef MV_DEFAULT_IMAGE_DIR
#define MV_DEFAULT_IMAGE_DIR "images"
#endif

namespace mvtest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error(path + ": " + what);
}

/// A sidecar number: a hex or decimal string ("0x48000000") or a JSON number.
uint32_t number(const json& vm, const char* field, const std::string& path) {
    if (!vm.contains(field)) fail(path, std::string("missing field \"") + field + "\"");
    const json& v = vm.at(field);
    if (v.is_number_unsigned()) return v.get<uint32_t>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        char* end = nullptr;
        const unsigned long long n = std::strtoull(s.c_str(), &end, 0);
        if (!s.empty() && *end == '\0' && n <= 0xffffffffull) return static_cast<uint32_t>(n);
    }
    fail(path, std::string("field \"") + field + "\" is not a 32-bit number: " + v.dump());
}

VmInfo parse_vm(const json& vm, const std::string& path) {
    VmInfo info;
    info.name = vm.value("name", "");
    info.id = number(vm, "id", path);
    info.ram_pa = vm.contains("ram_pa") ? number(vm, "ram_pa", path) : 0;
    info.ram_size = vm.contains("ram_size") ? number(vm, "ram_size", path) : 0;
    info.params_pa = vm.contains("params_pa") ? number(vm, "params_pa", path) : 0;
    info.entry = vm.contains("entry") ? number(vm, "entry", path) : 0;
    return info;
}

std::string loader(uint32_t addr, uint32_t value) {
    return "loader,addr=0x" + hex8(addr) + ",data=0x" + hex8(value) + ",data-len=4";
}

}  // namespace

std::string image_path(const std::string& system) {
    if (system.find('/') != std::string::npos) return system;
    const char* dir = std::getenv("MV_IMAGE_DIR");
    return std::string(dir && *dir ? dir : MV_DEFAULT_IMAGE_DIR) + "/" + system + ".elf";
}

std::string sidecar_path(const std::string& elf) {
    return fs::path(elf).replace_extension(".json").string();
}

Image load_image(const std::string& elf) {
    if (!fs::exists(elf))
        fail(elf, "no such system image: build it first (make, or cmake --build <build dir>)");
    Image image;
    image.elf = elf;
    image.sidecar = sidecar_path(elf);
    std::ifstream in(image.sidecar);
    if (!in)
        fail(image.sidecar, "missing: the build writes this description next to " + elf +
                                "; build the image first (make, or cmake --build <build dir>)");
    try {
        const json j = json::parse(in);
        image.system = j.value("system", fs::path(elf).stem().string());
        image.memory_mib = number(j, "memory_mib", image.sidecar);
        for (const json& vm : j.at("vms")) image.vms.push_back(parse_vm(vm, image.sidecar));
    } catch (const json::exception& e) {
        fail(image.sidecar, std::string("not a valid image description: ") + e.what());
    }
    return image;
}

std::string qemu_program() {
    const char* fake = std::getenv("MV_QEMU");
    return fake && *fake ? fake : "qemu-system-arm";
}

std::vector<std::string> qemu_command(const Image& image, const std::vector<uint32_t>& tokens, uint32_t selector,
                                      const std::vector<std::string>& extra,
                                      const std::string& qemu) {
    // -nodefaults: without it QEMU adds a virtio NIC whose option ROM (efi-virtio.rom) is
    // not installed by qemu-system-arm alone, and refuses to start. The PL011 still works.
    std::vector<std::string> cmd = {
        qemu,  "-M", "virt,virtualization=on,gic-version=2", "-cpu", "cortex-a15",
        "-m", std::to_string(image.memory_mib) + "M",
        "-display", "none", "-monitor", "none", "-serial", "stdio", "-nodefaults",
        "-icount", "shift=0,sleep=off", "-kernel", image.elf};
    for (size_t i = 0; i < image.vms.size(); ++i) {
        const VmInfo& vm = image.vms[i];
        if (vm.params_pa == 0) continue;
        if (i >= tokens.size()) throw std::invalid_argument("qemu_command: no token for VM " + vm.name);
        cmd.insert(cmd.end(), {"-device", loader(vm.params_pa, tokens[i])});
        cmd.insert(cmd.end(), {"-device", loader(vm.params_pa + 4, selector)});
    }
    cmd.insert(cmd.end(), extra.begin(), extra.end());
    return cmd;
}

uint32_t new_token() {
    std::random_device rd;
    uint32_t t = 0;
    while (t == 0) t = static_cast<uint32_t>(rd());
    return t;
}

std::vector<uint32_t> new_tokens(size_t n) {
    std::vector<uint32_t> tokens;
    while (tokens.size() < n) {
        const uint32_t t = new_token();
        if (std::find(tokens.begin(), tokens.end(), t) == tokens.end()) tokens.push_back(t);
    }
    return tokens;
}

std::string hex8(uint32_t v) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

int system_status(int qemu_status, std::optional<int> exit_line) {
    if (qemu_status != 0) return qemu_status;
    return exit_line ? *exit_line : kNoExitLine;
}

std::string exit_meaning(int status) {
    switch (status) {
    case 0: return "every VM powered off";
    case 1: return "a VM crashed, or QEMU could not start";
    case 2: return "the microvisor panicked";
    case 3: return "a lab function is not implemented yet";
    case kNoExitLine: return "QEMU ended, but the microvisor printed no MV_EXIT line";
    default: return "not a status the microvisor uses";
    }
}

}  // namespace mvtest
