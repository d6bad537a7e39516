// SPDX-License-Identifier: MIT
// Checks across a whole description: counts, overlaps, guest images, channels, interrupts.
#include "check.hpp"

#include "linux_vm.hpp"

#include <algorithm>
#include <map>
#include <system_error>

namespace sysgen {
namespace {

bool overlap(u64 a, u64 a_end, u64 b, u64 b_end) {
    return a < b_end && b < a_end;
}

std::string line_of(Where at) {
    return "line " + std::to_string(at.line);
}

void check_vms(const System& sys, Diagnostics& diag) {
    if (sys.vms.empty())
        diag.error(sys.at.line ? sys.at : Where{1, 1}, "no [[vm]]: a system needs at least one VM");
    if (sys.vms.size() > max_vms)
        diag.error(sys.vms[max_vms].at, "more than " + std::to_string(max_vms) + " VMs (this is VM number " +
                                            std::to_string(max_vms + 1) + ")");

    std::map<std::string, Where> names;
    u32 total = 0;
    const Vm* pmu_owner = nullptr;
    for (const auto& vm : sys.vms) {
        if (!vm.name.empty()) {
            auto [first, inserted] = names.emplace(vm.name, vm.name_at);
            if (!inserted)
                diag.error(vm.name_at,
                           "duplicate VM name '" + vm.name + "' (first on " + line_of(first->second) + ")");
        }
        if (vm.pmu && pmu_owner != nullptr)
            diag.error(vm.pmu_at, "VM '" + vm.name + "' and VM '" + pmu_owner->name +
                                      "' both ask for the PMU ('pmu = true'): one VM at most may have it");
        if (vm.pmu && pmu_owner == nullptr) pmu_owner = &vm;
        const u32 before = total;
        total += vm.vcpus;
        if (before <= max_vcpus_total && total > max_vcpus_total)
            diag.error(vm.vcpus_at, "too many vCPUs: with VM '" + vm.name + "' the system has " +
                                        std::to_string(total) + ", more than " +
                                        std::to_string(max_vcpus_total));
    }
}

// Lab 3 on: every VM's stage-2 tables come from one pool in the microvisor,
// each VM within its own quota: the map of its regions and its spare tables.
void check_tables(const System& sys, Diagnostics& diag) {
    if (sys.lab < 3) return;
    u32 total = 0;
    for (const auto& vm : sys.vms) {
        total += vm.table_quota();
        if (total > max_stage2_tables) {
            diag.error(vm.at, "the stage-2 tables do not fit: with VM '" + vm.name + "' (" +
                                  std::to_string(vm.map_tables()) + " for its map, " +
                                  std::to_string(vm.spare_tables) + " spare) the system needs " +
                                  std::to_string(total) + ", more than the " + std::to_string(max_stage2_tables) +
                                  " the microvisor holds");
            return;
        }
    }
}

void check_memory(const System& sys, const CheckOptions& opt, Diagnostics& diag) {
    const u64 ram_end = board_ram_base + sys.memory;
    const u64 reserved_end = opt.reserved_base + opt.reserved_size;
    if (opt.reserved_base < board_ram_base || reserved_end > ram_end)
        diag.error(sys.memory_at.line ? sys.memory_at : sys.at,
                   "board RAM " + range(board_ram_base, ram_end) +
                       " does not hold the microvisor's reserved region " +
                       range(opt.reserved_base, reserved_end));

    struct Placed {
        const Vm* vm;
        const Region* region;
    };
    std::vector<Placed> rams;
    for (const auto& vm : sys.vms) {
        bool has_ram = false;
        for (std::size_t i = 0; i < vm.regions.size(); ++i) {
            const Region& r = vm.regions[i];
            has_ram = has_ram || r.kind == MemKind::Ram;
            if (!r.valid) continue;
            for (std::size_t j = 0; j < i; ++j) {
                const Region& other = vm.regions[j];
                if (other.valid && overlap(r.gpa, r.gpa_end(), other.gpa, other.gpa_end()))
                    diag.error(r.at, "region " + range(r.gpa, r.gpa_end()) + " overlaps region " +
                                         range(other.gpa, other.gpa_end()) + " (" + line_of(other.at) +
                                         ") of VM '" + vm.name + "' in guest-physical space");
            }
            if (vm.gic && overlap(r.gpa, r.gpa_end(), guest_gic_base, guest_gic_end))
                diag.error(r.at, "region " + range(r.gpa, r.gpa_end()) + " overlaps " +
                                     range(guest_gic_base, guest_gic_end) +
                                     ", where a VM of Lab 4 on finds its GIC (distributor and CPU interface)");
            const std::string phys = range(r.pa, r.pa_end());
            if (r.kind == MemKind::Device) {
                if (overlap(r.pa, r.pa_end(), board_ram_base, ram_end))
                    diag.error(r.at, "device region " + phys + " lies in board RAM " +
                                         range(board_ram_base, ram_end) +
                                         "; a device region must be outside it");
                continue;
            }
            if (r.pa < board_ram_base || r.pa_end() > ram_end)
                diag.error(r.at,
                           "ram region " + phys + " is outside board RAM " + range(board_ram_base, ram_end));
            else if (overlap(r.pa, r.pa_end(), opt.reserved_base, reserved_end))
                diag.error(r.at, "ram region " + phys + " overlaps the microvisor's reserved region " +
                                     range(opt.reserved_base, reserved_end));
            if (!r.shared.empty() && &r == vm.first_ram())
                diag.error(r.at, "the first ram region of VM '" + vm.name +
                                     "' holds its image and cannot be shared");
            for (const auto& [other_vm, other] : rams) {
                bool same_share = !r.shared.empty() && r.shared == other->shared;
                if (same_share && (r.pa != other->pa || r.size != other->size))
                    diag.error(r.at, "shared region '" + r.shared + "' is " + phys + " here but " +
                                         range(other->pa, other->pa_end()) + " in VM '" + other_vm->name +
                                         "' (" + line_of(other->at) + "): all its uses must be the same memory");
                else if (same_share && other_vm == &vm)
                    diag.error(r.at, "VM '" + vm.name + "' uses shared region '" + r.shared + "' twice");
                else if (!same_share && overlap(r.pa, r.pa_end(), other->pa, other->pa_end()))
                    diag.error(r.at, "ram region " + phys + " overlaps ram region " +
                                         range(other->pa, other->pa_end()) + " of VM '" + other_vm->name +
                                         "' (" + line_of(other->at) + ") in physical memory");
            }
            rams.push_back({&vm, &r});
        }
        if (!has_ram && !vm.regions.empty())
            diag.error(vm.at, "VM '" + vm.name + "' has no ram region to hold its image");
    }
}

void check_image(Vm& vm, const CheckOptions& opt, Diagnostics& diag) {
    const Region* ram = vm.first_ram();
    if (vm.image.empty() || !ram || !ram->valid) return;
    const std::string what = "image '" + vm.image + "'";
    vm.elf_path = opt.guest_dir / (vm.image + ".elf");
    vm.bin_path = opt.guest_dir / (vm.image + ".bin");

    std::error_code ec;
    if (!std::filesystem::is_regular_file(vm.elf_path, ec)) {
        diag.error(vm.image_at, what + ": guest file " + vm.elf_path.string() + " not found");
        return;
    }
    std::string problem;
    auto elf = read_arm_elf(vm.elf_path, problem);
    if (!elf) {
        diag.error(vm.image_at, what + ": " + vm.elf_path.string() + " " + problem);
        return;
    }
    vm.elf = *elf;

    const u64 limit = ram->gpa_end() - param_page_size;
    if (elf->lowest() < ram->gpa || elf->end() > limit)
        diag.error(vm.image_at, what + " (" + range(elf->lowest(), elf->end()) + ") does not fit in VM '" +
                                    vm.name + "' RAM " + range(ram->gpa, limit) +
                                    " (its last 4 KiB is the parameter page)");
    else if (!elf->contains(elf->entry))
        diag.error(vm.image_at,
                   what + ": entry point " + hex(elf->entry) + " is not inside a loaded segment");

    if (!std::filesystem::is_regular_file(vm.bin_path, ec)) {
        diag.error(vm.image_at, what + ": guest file " + vm.bin_path.string() + " not found");
        return;
    }
    const u64 bin_size = std::filesystem::file_size(vm.bin_path, ec);
    if (!ec && bin_size > elf->end() - elf->lowest())
        diag.error(vm.image_at, what + ": " + vm.bin_path.string() + " (" + std::to_string(bin_size) +
                                    " bytes) is larger than the ELF's loaded range (" +
                                    std::to_string(elf->end() - elf->lowest()) + " bytes); is it stale?");
    vm.blobs = {{vm.bin_path, elf->lowest()}};
    vm.entry = elf->entry;
}

void check_channels(const System& sys, Diagnostics& diag) {
    for (std::size_t i = 0; i < sys.channels.size(); ++i) {
        const Channel& c = sys.channels[i];
        if (i == max_channels)
            diag.error(c.at, "more than " + std::to_string(max_channels) + " channels (this is channel number " +
                                 std::to_string(i + 1) + ")");
        if (!c.valid) continue;
        if (c.ends[0] == c.ends[1]) {
            diag.error(c.between_at, "channel between VM '" + c.ends[0] + "' and itself");
            continue;
        }
        for (const auto& end : c.ends)
            if (std::none_of(sys.vms.begin(), sys.vms.end(), [&](const Vm& vm) { return vm.name == end; }))
                diag.error(c.between_at, "channel to VM '" + end + "' that does not exist");
    }
}

const Vm* find_vm(const System& sys, const std::string& name) {
    for (const auto& vm : sys.vms)
        if (vm.name == name) return &vm;
    return nullptr;
}

// Lab 4: a device SPI goes to one VM; in each VM an SPI is one device's or one line's.
void check_irqs(const System& sys, Diagnostics& diag) {
    struct Owner {
        const Vm* vm;
        Where at;
    };
    std::map<u32, Owner> devices;  // physical SPI -> the VM that owns it
    for (const auto& vm : sys.vms)
        for (const Irq& irq : vm.irqs) {
            auto [first, inserted] = devices.emplace(irq.id, Owner{&vm, irq.at});
            if (inserted) continue;
            if (first->second.vm == &vm)
                diag.error(irq.at, "SPI " + std::to_string(irq.id) + " is listed twice in 'irqs' of VM '" +
                                       vm.name + "' (first on " + line_of(first->second.at) + ")");
            else
                diag.error(irq.at, "SPI " + std::to_string(irq.id) + " is given to VM '" + vm.name +
                                       "' and to VM '" + first->second.vm->name + "' (" +
                                       line_of(first->second.at) + "): a device interrupt goes to one VM");
        }

    std::map<std::pair<const Vm*, u32>, Where> line_irqs;  // (target, virtual SPI) -> the line that has it
    for (std::size_t i = 0; i < sys.irq_lines.size(); ++i) {
        const IrqLine& line = sys.irq_lines[i];
        if (i == max_irq_lines)
            diag.error(line.at, "more than " + std::to_string(max_irq_lines) +
                                    " interrupt lines (this is line number " + std::to_string(i + 1) + ")");
        if (!line.valid) continue;
        const Vm* from = find_vm(sys, line.from);
        const Vm* to = find_vm(sys, line.to);
        if (!from) diag.error(line.from_at, "interrupt line from VM '" + line.from + "' that does not exist");
        if (!to) diag.error(line.to_at, "interrupt line to VM '" + line.to + "' that does not exist");
        if (from && from == to) diag.error(line.to_at, "interrupt line from VM '" + line.from + "' to itself");
        if (!from || !to || from == to) continue;
        const std::string spi = "SPI " + std::to_string(line.irq.id);
        auto device = devices.find(line.irq.id);
        if (device != devices.end() && device->second.vm == to)
            diag.error(line.irq.at, spi + " of VM '" + to->name + "' is its device interrupt already (" +
                                        line_of(device->second.at) + ")");
        auto [first, inserted] = line_irqs.emplace(std::make_pair(to, line.irq.id), line.irq.at);
        if (!inserted)
            diag.error(line.irq.at, spi + " of VM '" + to->name + "' is another interrupt line's already (" +
                                        line_of(first->second) + ")");
    }

    if (sys.lab < 5) return;  // channels are checked, not used, before Lab 5
    for (const Channel& c : sys.channels) {  // Lab 5: each end takes the channel's SPI
        if (!c.valid || c.ends[0] == c.ends[1]) continue;
        for (const std::string& end : c.ends) {
            const Vm* vm = find_vm(sys, end);
            if (!vm) continue;
            const std::string spi = "SPI " + std::to_string(c.irq.id);
            auto device = devices.find(c.irq.id);
            if (device != devices.end() && device->second.vm == vm)
                diag.error(c.irq.at, "channel notification " + spi + " of VM '" + vm->name +
                                         "' is its device interrupt already (" + line_of(device->second.at) +
                                         "): give the channel another 'irq'");
            auto [first, inserted] = line_irqs.emplace(std::make_pair(vm, c.irq.id), c.irq.at);
            if (!inserted)
                diag.error(c.irq.at, "channel notification " + spi + " of VM '" + vm->name +
                                         "' is another line's or channel's already (" + line_of(first->second) +
                                         "): give the channel another 'irq'");
        }
    }
}

}  // namespace

void check_system(System& sys, const CheckOptions& options, Diagnostics& diag) {
    check_vms(sys, diag);
    check_memory(sys, options, diag);
    check_tables(sys, diag);
    for (auto& vm : sys.vms) {
        if (vm.linux_boot) {
            vm.linux_boot->rng_seed = options.rng_seed ? *options.rng_seed : fresh_rng_seed();
            place_linux(sys, vm, options.linux_dir, diag);
        }
        else
            check_image(vm, options, diag);
    }
    check_channels(sys, diag);
    check_irqs(sys, diag);
}

}  // namespace sysgen
