// SPDX-License-Identifier: MIT
// mv-sysgen: compiles a system description into the microvisor's static tables.
#include "check.hpp"
#include "description.hpp"
#include "emit.hpp"

#include <charconv>
#include <fstream>
#include <iostream>
#include <optional>
#include <string_view>

namespace {

using namespace sysgen;

constexpr std::string_view usage =
    "usage: mv-sysgen --system FILE.toml --guest-dir DIR --out-dir DIR\n"
    "                 [--linux-dir DIR] [--microvisor-reserved BASE:SIZE] [--depfile FILE]\n"
    "                 [--rng-seed HEX|none]\n"
    "       mv-sysgen --print-lab FILE.toml\n"
    "Checks a system description and writes system_config.cpp, guests.S, guests.ld\n"
    "and image.json into the output directory, and <vm>.dtb for each Linux VM (whose zImage\n"
    "and <initrd>.cpio.gz --linux-dir holds). BASE:SIZE defaults to 0x40000000:0x01000000.\n"
    "A Linux VM's tree has 64 fresh random bytes as /chosen/rng-seed, or --rng-seed's.\n"
    "--print-lab prints the description's lab level (1 if it has none or a wrong one: the\n"
    "full check reports that), for the build to pick the microvisor of that level.\n";

struct Arguments {
    std::filesystem::path system;
    std::filesystem::path guest_dir;
    std::filesystem::path linux_dir;
    std::filesystem::path out_dir;
    std::filesystem::path depfile;
    u64 reserved_base = 0x4000'0000;
    u64 reserved_size = 0x0100'0000;
    std::optional<std::vector<std::uint8_t>> rng_seed;
};

/// "0x40000000", "1073741824" or "16M".
std::optional<u64> parse_number(std::string_view text) {
    u64 unit = 1;
    if (!text.empty() && (text.back() == 'K' || text.back() == 'M' || text.back() == 'G')) {
        unit = text.back() == 'K' ? KiB : text.back() == 'M' ? MiB : GiB;
        text.remove_suffix(1);
    }
    int base = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        base = 16;
        text.remove_prefix(2);
    }
    u64 value = 0;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || status != std::errc{} || end != text.data() + text.size() || value > (u64{1} << 32))
        return std::nullopt;
    return value * unit;
}

int usage_error(const std::string& message) {
    std::cerr << "mv-sysgen: " << message << "\n" << usage;
    return 2;
}

/// Parses the command line; returns an exit status if the program should stop.
std::optional<int> parse_arguments(int argc, char** argv, Arguments& args) {
    for (int i = 1; i < argc; ++i) {
        std::string_view option = argv[i];
        std::string value;
        if (option == "-h" || option == "--help") {
            std::cout << usage;
            return 0;
        }
        if (const auto equals = option.find('=');
            option.starts_with("--") && equals != std::string_view::npos) {
            value = option.substr(equals + 1);
            option = option.substr(0, equals);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return usage_error("missing value after '" + std::string(option) + "'");
        }
        if (option == "--system") {
            args.system = value;
        } else if (option == "--guest-dir") {
            args.guest_dir = value;
        } else if (option == "--linux-dir") {
            args.linux_dir = value;
        } else if (option == "--out-dir") {
            args.out_dir = value;
        } else if (option == "--depfile") {
            args.depfile = value;
        } else if (option == "--rng-seed") {
            // HEX: the same seed for every Linux VM (reproducible outputs, the tests); "none": no seed
            std::vector<std::uint8_t> seed;
            bool ok = value == "none" || (!value.empty() && value.size() % 2 == 0 && value.size() <= 512);
            for (std::size_t k = 0; ok && value != "none" && k < value.size(); k += 2) {
                unsigned byte = 0;
                const auto [end, status] = std::from_chars(value.data() + k, value.data() + k + 2, byte, 16);
                ok = status == std::errc{} && end == value.data() + k + 2;
                seed.push_back(static_cast<std::uint8_t>(byte));
            }
            if (!ok) return usage_error("--rng-seed wants 'none' or an even number of hex digits (at most 512)");
            args.rng_seed = seed;
        } else if (option == "--microvisor-reserved") {
            const auto colon = value.find(':');
            const auto base = parse_number(std::string_view(value).substr(0, colon));
            const auto size = colon == std::string::npos
                                  ? std::nullopt
                                  : parse_number(std::string_view(value).substr(colon + 1));
            if (!base || !size || *size == 0 || *base + *size > (u64{1} << 32))
                return usage_error(
                    "--microvisor-reserved wants BASE:SIZE within 4 GiB, such as 0x40000000:0x01000000");
            args.reserved_base = *base;
            args.reserved_size = *size;
        } else {
            return usage_error("unknown option '" + std::string(option) + "'");
        }
    }
    if (args.system.empty() || args.guest_dir.empty() || args.out_dir.empty())
        return usage_error("--system, --guest-dir and --out-dir are required");
    return std::nullopt;
}

/// Writes a file whole: to a temporary name first, then renamed into place.
bool write_file(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::cerr << "mv-sysgen: error: cannot write " << temporary.string() << "\n";
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) std::cerr << "mv-sysgen: error: cannot write " << path.string() << ": " << ec.message() << "\n";
    return !ec;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string_view(argv[1]) == "--print-lab") {
        Diagnostics quiet(argv[2]);
        auto sys = read_description(argv[2], quiet);
        std::cout << (sys ? sys->lab : 1) << "\n";
        return 0;
    }
    Arguments args;
    if (auto status = parse_arguments(argc, argv, args)) return *status;

    const std::string source = args.system.string();
    Diagnostics diag(source);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(args.system, ec)) {
        std::cerr << source << ": error: no such file\n";
        return 1;
    }
    auto sys = read_description(args.system, diag);
    if (sys) check_system(*sys, {args.guest_dir, args.linux_dir, args.reserved_base, args.reserved_size, args.rng_seed},
                            diag);
    if (!diag.ok()) {
        diag.print(std::cerr);
        return 1;
    }

    // Every check passed: only now is anything written.
    const Outputs outputs = emit(*sys, source, args.out_dir);
    std::filesystem::create_directories(args.out_dir, ec);
    if (ec) {
        std::cerr << "mv-sysgen: error: cannot create " << args.out_dir.string() << ": " << ec.message()
                  << "\n";
        return 1;
    }
    bool written = true;
    for (const auto& [name, bytes] : outputs.binaries) written = written && write_file(args.out_dir / name, bytes);
    written = written &&
        write_file(args.out_dir / "system_config.cpp", outputs.system_config_cpp) &&
        write_file(args.out_dir / "guests.S", outputs.guests_s) &&
        write_file(args.out_dir / "guests.ld", outputs.guests_ld) &&
        write_file(args.out_dir / "image.json", outputs.image_json) &&
        (args.depfile.empty() ||
         write_file(args.depfile, emit_depfile(args.out_dir / "system_config.cpp", args.system, *sys)));
    return written ? 0 : 1;
}
