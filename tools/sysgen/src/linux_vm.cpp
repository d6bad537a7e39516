// SPDX-License-Identifier: MIT
#include "linux_vm.hpp"

#include "fdt.hpp"

#include <fstream>
#include <random>

namespace sysgen {
namespace {

constexpr u32 GIC_SPI = 0, GIC_PPI = 1;            // the GIC binding's first interrupt cell
constexpr u32 IRQ_EDGE_RISING = 1, IRQ_LEVEL_HIGH = 4;
constexpr u32 GIC_PHANDLE = 1, CLOCK_PHANDLE = 2;

u64 align_up(u64 v, u64 a) {
    return (v + a - 1) / a * a;
}

std::string hex_name(u64 v) {
    char text[20];
    std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(v));
    return text;
}

/// The size of a file, or an error naming it and what provides it.
std::optional<u64> asset_size(const std::filesystem::path& path, const Where& at, const std::string& what,
                              Diagnostics& diag) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        diag.error(at, what + " " + path.string() +
                           " not found: the build makes it from Debian's packages (tools/linux/assets.sh)");
        return std::nullopt;
    }
    return std::filesystem::file_size(path, ec);
}

}  // namespace

void place_linux(const System& sys, Vm& vm, const std::filesystem::path& linux_dir, Diagnostics& diag) {
    LinuxBoot& boot = *vm.linux_boot;
    const Region* ram = vm.first_ram();
    if (!ram || !ram->valid || boot.initrd.empty()) return;  // reported already
    if (ram->size < linux_min_ram) {
        diag.error(ram->at, "VM '" + vm.name + "' boots Linux: its first ram region needs at least 64M, not " +
                                std::to_string(ram->size / MiB) + "M");
        return;
    }
    boot.zimage_path = linux_dir / "zImage";
    boot.initrd_path = linux_dir / (boot.initrd + ".cpio.gz");
    const auto zsize = asset_size(boot.zimage_path, boot.at, "the Linux kernel", diag);
    const auto isize = asset_size(boot.initrd_path, boot.initrd_at, "initramfs '" + boot.initrd + "':", diag);
    if (!zsize || !isize) return;
    {
        std::ifstream in(boot.zimage_path, std::ios::binary);
        unsigned char header[0x28] = {};
        in.read(reinterpret_cast<char*>(header), sizeof header);
        const u32 magic = header[0x24] | header[0x25] << 8 | header[0x26] << 16 | u32{header[0x27]} << 24;
        if (!in || magic != zimage_magic) {
            diag.error(boot.at, boot.zimage_path.string() + " is not an ARM zImage (no magic 0x016f2818 at 0x24)");
            return;
        }
    }
    boot.zimage_size = *zsize;
    boot.initrd_size = *isize;
    // As QEMU places them (hw/arm/boot.c): the zImage near the start, the
    // initramfs at half of RAM or 128 MiB, whichever is lower, the tree after it.
    vm.entry = ram->gpa + zimage_offset;
    boot.initrd_gpa = ram->gpa + std::min(ram->size / 2, 128 * MiB);
    if (vm.entry + boot.zimage_size > boot.initrd_gpa) {
        diag.error(ram->at, "VM '" + vm.name + "': the zImage (" + std::to_string(boot.zimage_size) +
                                " bytes) does not fit below the initramfs at " + hex(boot.initrd_gpa));
        return;
    }
    vm.dtb_gpa = align_up(boot.initrd_gpa + boot.initrd_size, 4 * KiB);
    vm.dtb = linux_device_tree(sys, vm);
    if (vm.dtb_gpa + vm.dtb.size() > ram->gpa_end()) {
        diag.error(boot.initrd_at, "VM '" + vm.name + "': initramfs '" + boot.initrd + "' (" +
                                       std::to_string(boot.initrd_size) + " bytes) and the device tree do not fit in " +
                                       range(boot.initrd_gpa, ram->gpa_end()));
        return;
    }
    vm.blobs = {{boot.zimage_path, vm.entry}, {boot.initrd_path, boot.initrd_gpa}, {"", vm.dtb_gpa}};
}

// Linux 6.1 credits a bootloader's seed (CONFIG_RANDOM_TRUST_BOOTLOADER), so
// its random number generator is ready at once. Without one, every
// get_random_bytes() before it is ready (each fork's stack canary, say)
// extracts from the input pool: hackbench ran 20% slower (book: measurement).
// QEMU writes a fresh seed for native Linux at every boot; ours is fresh at
// every build, since the microvisor has no entropy of its own to add.
std::vector<std::uint8_t> fresh_rng_seed() {
    std::random_device source;
    std::vector<std::uint8_t> seed(64);
    for (std::size_t i = 0; i < seed.size(); i += 4) {
        const u32 word = source();
        for (std::size_t k = 0; k < 4; ++k) seed[i + k] = static_cast<std::uint8_t>(word >> (8 * k));
    }
    return seed;
}

std::vector<std::uint8_t> linux_device_tree(const System& sys, const Vm& vm) {
    const LinuxBoot& boot = *vm.linux_boot;
    Fdt t;
    t.begin_node("");
    t.prop_u32("#address-cells", {1});
    t.prop_u32("#size-cells", {1});
    t.prop_strings("compatible", {"linux,dummy-virt"});
    t.prop_strings("model", {"Microvisor VM " + vm.name});
    t.prop_u32("interrupt-parent", {GIC_PHANDLE});

    t.begin_node("chosen");
    t.prop_strings("bootargs", {boot.bootargs});
    t.prop_u32("linux,initrd-start", {static_cast<u32>(boot.initrd_gpa)});
    t.prop_u32("linux,initrd-end", {static_cast<u32>(boot.initrd_gpa + boot.initrd_size)});
    t.prop_strings("stdout-path", {"/pl011@9000000"});
    if (!boot.rng_seed.empty()) t.prop("rng-seed", boot.rng_seed);
    t.end_node();

    // Every ram region of the VM; device regions are not memory.
    std::vector<u32> reg;
    for (const auto& r : vm.regions)
        if (r.kind == MemKind::Ram) reg.insert(reg.end(), {static_cast<u32>(r.gpa), static_cast<u32>(r.size)});
    t.begin_node("memory@" + hex_name(vm.first_ram()->gpa));
    t.prop_strings("device_type", {"memory"});
    t.prop_cells("reg", reg);
    t.end_node();

    // vCPU n has MPIDR affinity 0.0.n (kernel/psci_cpu.cpp); the others start by PSCI CPU_ON.
    t.begin_node("cpus");
    t.prop_u32("#address-cells", {1});
    t.prop_u32("#size-cells", {0});
    for (u32 n = 0; n < vm.vcpus; ++n) {
        t.begin_node("cpu@" + hex_name(n));
        t.prop_strings("device_type", {"cpu"});
        t.prop_strings("compatible", {"arm,cortex-a15"});
        t.prop_u32("reg", {n});
        t.prop_strings("enable-method", {"psci"});
        t.end_node();
    }
    t.end_node();

    t.begin_node("psci");
    t.prop_strings("compatible", {"arm,psci-1.0", "arm,psci-0.2"});
    t.prop_strings("method", {"hvc"});
    t.end_node();

    // The distributor (emulated) and the CPU interface (the GICV, mapped): no
    // GICH or GICV ranges and no maintenance interrupt, so Linux does not try KVM.
    t.begin_node("intc@" + hex_name(guest_gic_base));
    t.prop_strings("compatible", {"arm,cortex-a15-gic"});
    t.prop_u32("#interrupt-cells", {3});
    t.prop_u32("#address-cells", {0});
    t.prop_empty("interrupt-controller");
    t.prop_u32("reg", {static_cast<u32>(guest_gic_base), 0x10000, static_cast<u32>(guest_gicc_base), 0x2000});
    t.prop_u32("phandle", {GIC_PHANDLE});
    t.end_node();

    // The generic timer's PPIs 13, 14, 11, 10 (secure, non-secure physical,
    // virtual, HYP), routed to every vCPU: Linux in SVC mode uses the virtual one.
    const u32 cpus = ((1u << vm.vcpus) - 1) << 8;
    t.begin_node("timer");
    t.prop_strings("compatible", {"arm,armv7-timer"});
    t.prop_u32("interrupts", {GIC_PPI, 13, cpus | IRQ_LEVEL_HIGH, GIC_PPI, 14, cpus | IRQ_LEVEL_HIGH, GIC_PPI, 11,
                              cpus | IRQ_LEVEL_HIGH, GIC_PPI, 10, cpus | IRQ_LEVEL_HIGH});
    t.end_node();

    t.begin_node("apb-pclk");
    t.prop_strings("compatible", {"fixed-clock"});
    t.prop_u32("#clock-cells", {0});
    t.prop_u32("clock-frequency", {pl011_clock_hz});
    t.prop_strings("clock-output-names", {"clk24mhz"});
    t.prop_u32("phandle", {CLOCK_PHANDLE});
    t.end_node();

    t.begin_node("pl011@9000000");
    t.prop_strings("compatible", {"arm,pl011", "arm,primecell"});
    t.prop_u32("reg", {0x0900'0000, 0x1000});
    t.prop_u32("interrupts", {GIC_SPI, console_spi - first_spi, IRQ_LEVEL_HIGH});
    t.prop_u32("clocks", {CLOCK_PHANDLE, CLOCK_PHANDLE});
    t.prop_strings("clock-names", {"uartclk", "apb_pclk"});
    t.end_node();

    // One node per channel this VM is an end of: guests/linux/ binds to them.
    for (std::size_t h = 0; h < sys.channels.size() && sys.lab >= 5; ++h) {
        const Channel& c = sys.channels[h];
        const int end = c.ends[0] == vm.name ? 0 : c.ends[1] == vm.name ? 1 : -1;
        if (end < 0) continue;
        t.begin_node("channel-" + std::to_string(h));
        t.prop_strings("compatible", {"microvisor,channel"});
        t.prop_u32("microvisor,handle", {static_cast<u32>(h)});
        t.prop_u32("microvisor,message-size", {c.message_size});
        t.prop_u32("microvisor,depth", {c.depth});
        t.prop_strings("microvisor,peer", {c.ends[1 - end]});
        t.prop_strings("microvisor,device", {c.linux_device});
        t.prop_u32("interrupts", {GIC_SPI, c.irq.id - first_spi, IRQ_EDGE_RISING});
        t.end_node();
    }
    t.end_node();
    return t.finish();
}

}  // namespace sysgen
