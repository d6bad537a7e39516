// SPDX-License-Identifier: MIT
// The system description: the model a systems/*.toml file is read into.
#pragma once

#include "diagnostics.hpp"
#include "elf.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sysgen {

using u32 = std::uint32_t;
using u64 = std::uint64_t;  // addresses are u64 here so that base + size cannot wrap

inline constexpr u64 KiB = 1024;
inline constexpr u64 MiB = 1024 * KiB;
inline constexpr u64 GiB = 1024 * MiB;

inline constexpr u64 board_ram_base = 0x4000'0000;  // QEMU virt
inline constexpr u32 max_stage2_tables = 512;         // the microvisor's table pool: 2 MiB at most
inline constexpr u64 block_size = 2 * MiB;          // labs 1-2 map guest memory in 2 MiB blocks
inline constexpr u64 param_page_size = 4 * KiB;     // the last page of a VM's first ram region
inline constexpr std::size_t max_vms = 8;
inline constexpr u32 max_vcpus_per_vm = 8;
inline constexpr u32 max_vcpus_total = 16;
// Lab 4: each VM's virtual distributor has 64 SPIs, IDs 32..95; a VM owns a
// device SPI under its physical ID; an inter-VM line is a virtual SPI of its target.
inline constexpr u32 first_spi = 32;
inline constexpr u32 last_spi = 95;
inline constexpr u32 console_spi = 33;  ///< the virt board's UART: the microvisor's console, each VM's PL011
/// Lab 4 on: where each VM finds its GIC, the emulated distributor and the
/// hardware's virtual CPU interface (GICV) that the microvisor maps there.
inline constexpr u64 guest_gic_base = 0x08000000;
inline constexpr u64 guest_gic_end = 0x08012000;
inline constexpr u64 guest_gicc_base = 0x08010000;
inline constexpr std::size_t max_irq_lines = 32;  // config/system_config.hpp's MAX_IRQ_LINES
inline constexpr std::size_t max_channels = 16;   // config/system_config.hpp's MAX_CHANNELS
inline constexpr u32 first_channel_irq = 80;      // channel k's default notification SPI: 80 + k

enum class MemKind { Ram, Device };
enum class FaultPolicy { Reflect, Stop };

struct Region {
    Where at;  ///< the [[vm.region]] table
    u64 gpa = 0;
    u64 pa = 0;
    u64 size = 0;
    MemKind kind = MemKind::Ram;
    bool writable = true;
    bool executable = true;
    std::string shared;  ///< the name of a region several VMs share (Lab 3 on), or empty
    bool valid = true;  ///< false if a field had an error: later checks skip it

    u64 gpa_end() const { return gpa + size; }
    u64 pa_end() const { return pa + size; }
};

/// An interrupt ID as written in the description, with where.
struct Irq {
    Where at;
    u32 id = 0;
};

/// Lab 6: a VM that boots Debian's Linux by the Linux boot protocol
/// (Documentation/arm/booting.rst) instead of a course guest's ELF: its
/// [vm.linux] table. mv-sysgen places the zImage, the initramfs and a device
/// tree it writes (linux_vm.cpp) in the VM's first ram region.
struct LinuxBoot {
    Where at;
    std::string initrd;    ///< <linux dir>/<initrd>.cpio.gz, an initramfs the build packs
    Where initrd_at;
    std::string bootargs = "console=ttyAMA0";
    // Filled in by check_system():
    std::filesystem::path zimage_path, initrd_path;
    u64 zimage_size = 0, initrd_size = 0;
    u64 initrd_gpa = 0;
    std::vector<std::uint8_t> rng_seed;  ///< /chosen/rng-seed (empty: none)
};

/// A file the build places in a VM's guest-physical memory (its ELF guest's
/// flat binary; a Linux VM's zImage, initramfs and device tree).
struct Blob {
    std::filesystem::path path;
    u64 gpa = 0;
};

struct Vm {
    Where at;  ///< the [[vm]] table
    std::string name;
    Where name_at;
    std::string image;
    Where image_at;
    u32 vcpus = 1;
    Where vcpus_at;
    u32 priority = 100;
    FaultPolicy on_fault = FaultPolicy::Reflect;
    bool pmu = false;          ///< the VM may use the performance monitors (at most one VM)
    Where pmu_at;
    u32 spare_tables = 4;      ///< stage-2 tables beyond its map's, for splits (Lab 3 on)
    std::vector<Region> regions;
    std::vector<Irq> irqs;     ///< device SPIs it owns (Lab 4 on), valid ones only
    Where irqs_at;
    bool gic = false;          ///< Lab 4 on: the microvisor maps its GICV too (map_tables() counts it)

    std::optional<LinuxBoot> linux_boot;  ///< Lab 6: a Linux VM (it has no 'image')

    // Filled in by check_system() from the guest files.
    std::filesystem::path elf_path;
    std::filesystem::path bin_path;
    ElfImage elf;
    std::vector<Blob> blobs;   ///< what the build loads into its memory
    u64 entry = 0;             ///< vCPU 0's first instruction (guest-physical)
    u64 dtb_gpa = 0;           ///< a Linux VM's device tree, r2 at entry; 0 for other VMs
    std::vector<std::uint8_t> dtb;  ///< its bytes (written next to the other outputs)

    /// The first region of kind ram: it holds the image and the parameter page.
    const Region* first_ram() const;
    /// A course guest's parameter page (token, selector); a Linux VM has none (0).
    u64 params_gpa() const { return linux_boot ? 0 : first_ram()->gpa_end() - param_page_size; }
    u64 params_pa() const { return linux_boot ? 0 : first_ram()->pa_end() - param_page_size; }
    /// Where guest-physical `gpa` of its first ram region is in physical memory.
    u64 pa_of(u64 gpa) const { return first_ram()->pa + (gpa - first_ram()->gpa); }
    /// The stage-2 tables (4 KiB each) that Lab 3's Stage2 needs to map every
    /// region (and, Lab 4 on, the GICV pages): a level-1 table, a level-2
    /// table per GiB used, and a level-3 table per 2 MiB that is not mapped
    /// as one whole block.
    u32 map_tables() const;
    /// Its quota of tables: the map's and the spare ones.
    u32 table_quota() const { return map_tables() + spare_tables; }
};

struct Channel {
    Where at;
    std::string ends[2];
    Where between_at;
    u32 depth = 32;
    u32 message_size = 2048;
    Irq irq;                   ///< its notification SPI in both VMs (Lab 5 on); 80 + its handle unless given
    std::string linux_device = "char";  ///< what a Linux end makes of it (Lab 6): "char" or "net"
    bool valid = true;
    /// A queue slot: a 4-byte length and the message rounded up to 4 bytes (ChannelConfig::slot_size()).
    u64 storage_bytes() const { return 2ull * depth * (4 + ((message_size + 3ull) & ~3ull)); }
};

/// OKL4's virtual interrupt line: VM `from` raises it, VM `to` takes it as virtual SPI `irq` (Lab 4 on).
struct IrqLine {
    Where at;
    std::string from, to;
    Where from_at, to_at;
    Irq irq;
    bool valid = true;
};

struct System {
    Where at;  ///< the [system] table
    std::string name;
    u64 memory = 1 * GiB;
    Where memory_at;
    std::string description;
    u32 lab = 1;               ///< the latest lab whose mechanisms the system uses
    u32 time_slice_us = 1000;  ///< the scheduler's time slice (lab 2 on)
    bool trap_report = false;  ///< the microvisor prints each VM's traps at the end (make bench-linux)
    std::vector<Vm> vms;
    std::vector<Channel> channels;
    std::vector<IrqLine> irq_lines;  ///< in file order: a line's handle is its index
};

/// "0x48000000", as addresses are written in messages and outputs.
std::string hex(u64 value);
/// "0x48000000-0x48ffffff": an address range [base, end), printed with its last byte.
std::string range(u64 base, u64 end);

/// Reads a description, checking syntax, types, keys and each value on its own.
/// Returns nothing when the file cannot be parsed as TOML at all.
std::optional<System> read_description(const std::filesystem::path& file, Diagnostics& diag);

}  // namespace sysgen
