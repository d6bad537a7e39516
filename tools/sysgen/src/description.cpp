// SPDX-License-Identifier: MIT
// Reading a systems/*.toml file into the model, checking each value on its own.
#include "description.hpp"

#include <set>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <cstdio>
#include <initializer_list>

namespace sysgen {

std::string hex(u64 value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%08llx", static_cast<unsigned long long>(value));
    return text;
}

std::string range(u64 base, u64 end) {
    return hex(base) + "-" + hex(end == base ? end : end - 1);
}

const Region* Vm::first_ram() const {
    for (const auto& r : regions)
        if (r.kind == MemKind::Ram) return &r;
    return nullptr;
}

u32 Vm::map_tables() const {
    // As Stage2::map does it: a 2 MiB block where the region covers the whole
    // aligned 2 MiB and its physical side is aligned too; pages elsewhere.
    std::set<u64> gibs, page_slots;
    for (const auto& r : regions) {
        for (u64 g = r.gpa; g < r.gpa_end(); g = (g / block_size + 1) * block_size) {
            u64 slot = g / block_size * block_size;
            gibs.insert(g / GiB);
            bool whole = slot >= r.gpa && slot + block_size <= r.gpa_end() && (r.pa + (slot - r.gpa)) % block_size == 0;
            if (!whole) page_slots.insert(slot);
        }
    }
    if (gic) {  // 8 KiB of GICV pages in the first GiB
        gibs.insert(guest_gicc_base / GiB);
        page_slots.insert(guest_gicc_base / block_size * block_size);
    }
    return static_cast<u32>(1 + gibs.size() + page_slots.size());
}

namespace {

Where where(const toml::source_region& s) {
    return {static_cast<std::uint32_t>(s.begin.line), static_cast<std::uint32_t>(s.begin.column)};
}

std::string_view type_name(toml::node_type type) {
    switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

bool valid_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

/// "16M" -> 16 MiB; an integer without suffix is bytes.
std::optional<u64> parse_size(std::string_view text) {
    u64 unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'K': unit = KiB; break;
        case 'M': unit = MiB; break;
        case 'G': unit = GiB; break;
        default: break;
        }
        if (unit != 1) text.remove_suffix(1);
    }
    u64 number = 0;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || status != std::errc{} || end != text.data() + text.size() || number > (u64{1} << 32))
        return std::nullopt;
    return number * unit;
}

/// The keys of one table, read with their types checked. Unknown keys are
/// reported when the reader is made; each getter reports a wrong type or
/// value at the value's position and then returns nothing.
class Fields final {
public:
    Fields(const toml::table& table, std::string what, std::initializer_list<std::string_view> known,
           Diagnostics& diag)
        : table_(table), what_(std::move(what)), diag_(diag) {
        for (auto&& [key, value] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
            std::string message = "unknown key '" + std::string(key.str()) + "' in " + what_;
            std::string_view best;
            std::size_t best_distance = 3;  // suggest only close matches
            for (auto candidate : known) {
                const std::size_t d = edit_distance(key.str(), candidate);
                if (d < best_distance && d < candidate.size()) {
                    best = candidate;
                    best_distance = d;
                }
            }
            if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
            error(where(key.source()), message);
        }
    }

    Where at() const { return where(table_.source()); }
    Where at(std::string_view key) const {
        const toml::node* node = table_.get(key);
        return node ? where(node->source()) : at();
    }
    bool failed() const { return failed_; }
    void error(Where at, std::string message) {
        diag_.error(at, std::move(message));
        failed_ = true;
    }

    /// The node of `key`, or nothing (an error if it is required).
    const toml::node* find(std::string_view key, bool required) {
        const toml::node* node = table_.get(key);
        if (!node && required) error(at(), "missing required key '" + std::string(key) + "' in " + what_);
        return node;
    }

    std::optional<std::string> string(std::string_view key, bool required = false) {
        const toml::node* node = typed(key, toml::node_type::string, required);
        if (!node) return std::nullopt;
        return node->as_string()->get();
    }

    std::optional<bool> boolean(std::string_view key) {
        const toml::node* node = typed(key, toml::node_type::boolean, false);
        if (!node) return std::nullopt;
        return node->as_boolean()->get();
    }

    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                        bool required = false) {
        const toml::node* node = typed(key, toml::node_type::integer, required);
        if (!node) return std::nullopt;
        const std::int64_t value = node->as_integer()->get();
        if (value < min || value > max) {
            error(at(key), "'" + std::string(key) + "' must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", not " + std::to_string(value));
            return std::nullopt;
        }
        return value;
    }

    /// A 32-bit physical or guest-physical address.
    std::optional<u64> address(std::string_view key, bool required) {
        const toml::node* node = typed(key, toml::node_type::integer, required);
        if (!node) return std::nullopt;
        const std::int64_t value = node->as_integer()->get();
        if (value < 0 || value > 0xffff'ffff) {
            error(at(key), "'" + std::string(key) + "' must be a 32-bit address (0 to 0xffffffff)");
            return std::nullopt;
        }
        return static_cast<u64>(value);
    }

    /// A size: an integer number of bytes, or a string such as "16M".
    std::optional<u64> size(std::string_view key, bool required) {
        const toml::node* node = find(key, required);
        if (!node) return std::nullopt;
        if (const auto* number = node->as_integer()) {
            if (number->get() >= 0 && number->get() <= (std::int64_t{1} << 32))
                return static_cast<u64>(number->get());
        } else if (const auto* text = node->as_string()) {
            if (auto value = parse_size(text->get()); value && *value <= (u64{1} << 32)) return value;
        }
        error(
            at(key),
            "'" + std::string(key) +
                "' must be a size up to 4G: an integer or a string such as \"16M\" (suffix K, M or G), not " +
                (node->is_string() ? "\"" + node->as_string()->get() + "\""
                                   : std::string(type_name(node->type()))));
        return std::nullopt;
    }

    /// A name of the form [a-z0-9_-]+.
    std::optional<std::string> name(std::string_view key) {
        auto value = string(key, true);
        if (value && !valid_name(*value)) {
            error(at(key),
                  "'" + std::string(key) + "' \"" + *value + "\" may contain only a-z, 0-9, '_' and '-'");
            return std::nullopt;
        }
        return value;
    }

    /// The tables of an array of tables (written `header` in the file); empty if absent.
    std::vector<const toml::table*> tables(std::string_view key, std::string_view header) {
        std::vector<const toml::table*> result;
        const toml::node* node = find(key, false);
        if (!node) return result;
        const toml::array* array = node->as_array();
        if (!array || !array->is_array_of_tables()) {
            error(at(key), "'" + std::string(key) + "' must be an array of tables (" + std::string(header) +
                               "), not " + std::string(type_name(node->type())));
            return result;
        }
        for (const auto& element : *array) result.push_back(element.as_table());
        return result;
    }

private:
    const toml::node* typed(std::string_view key, toml::node_type type, bool required) {
        const toml::node* node = find(key, required);
        if (node && node->type() != type) {
            error(at(key), "'" + std::string(key) + "' in " + what_ + " must be " +
                               std::string(type_name(type)) + ", not " +
                               std::string(type_name(node->type())));
            return nullptr;
        }
        return node;
    }

    const toml::table& table_;
    std::string what_;
    Diagnostics& diag_;
    bool failed_ = false;
};

/// Why interrupt `id` cannot be a VM's SPI (device or line), or "" if it can.
std::string spi_problem(std::int64_t id) {
    const std::string n = std::to_string(id);
    if (id < 0) return "interrupt " + n + " does not exist";
    if (id < 16) return "interrupt " + n + " is an SGI (0-15)";
    if (id == 25) return "interrupt 25 is the microvisor's own (PPI 25, the GIC maintenance interrupt)";
    if (id == 26) return "interrupt 26 is the microvisor's own (PPI 26, the HYP timer)";
    if (id == 27) return "interrupt 27 is every vCPU's virtual timer (PPI 27), not a device's";
    if (id == console_spi)
        return "SPI 33 is the console's UART: the microvisor's own, and in every VM its emulated PL011's";
    if (id < first_spi) return "interrupt " + n + " is a PPI (16-31), private to a CPU";
    if (id > last_spi) return "SPI " + n + " is beyond the 64 SPIs of a VM's distributor";
    return "";
}

/// Reads an interrupt ID that must be an SPI of a VM; reports why not at `at`.
std::optional<Irq> read_spi(const toml::node& node, std::string_view what, Diagnostics& diag) {
    const Where at = where(node.source());
    if (!node.is_integer()) {
        diag.error(at, std::string(what) + " must be an integer interrupt ID, not " +
                           std::string(type_name(node.type())));
        return std::nullopt;
    }
    const std::int64_t id = node.as_integer()->get();
    if (std::string problem = spi_problem(id); !problem.empty()) {
        diag.error(at, problem + ": " + std::string(what) + " must be an SPI from " + std::to_string(first_spi) +
                           " to " + std::to_string(last_spi));
        return std::nullopt;
    }
    return Irq{at, static_cast<u32>(id)};
}

std::string lab4_only(std::string_view what) {
    return std::string(what) + " need a system of Lab 4 on ([system] lab = 4): earlier labs have no virtual GIC";
}

/// "2 MiB (0x200000)": how a granule is named in messages.
std::string granule_name(u64 granule) {
    return granule == block_size ? "2 MiB (0x200000)" : "4 KiB (0x1000)";
}

/// Checks that [base, base + size) of a region is a well-formed run of granules:
/// 2 MiB blocks in labs 1-2 (the coarse boot map), 4 KiB pages from Lab 3 on.
void check_blocks(Fields& f, std::string_view key, u64 base, u64 size, u64 granule) {
    if (base % granule != 0)
        f.error(f.at(key),
                "'" + std::string(key) + "' " + hex(base) + " is not a multiple of " + granule_name(granule));
    if (base + size > (u64{1} << 32))
        f.error(f.at(key),
                "region " + hex(base) + " + size " + hex(size) + " runs past the 4 GiB address space");
}

Region read_region(const toml::table& table, Diagnostics& diag, u64 granule) {
    Fields f(table, "[[vm.region]]", {"gpa", "pa", "size", "kind", "writable", "executable", "shared"}, diag);
    Region r;
    r.at = f.at();
    const auto gpa = f.address("gpa", true);
    const auto pa = f.address("pa", false);
    const auto size = f.size("size", true);
    if (auto kind = f.string("kind")) {
        if (*kind == "device")
            r.kind = MemKind::Device;
        else if (*kind != "ram")
            f.error(f.at("kind"), "'kind' must be \"ram\" or \"device\", not \"" + *kind + "\"");
    }
    r.gpa = gpa.value_or(0);
    r.pa = pa.value_or(r.gpa);
    r.size = size.value_or(0);
    r.writable = f.boolean("writable").value_or(true);
    // A region is executable if it is RAM of the VM's own; a shared one is not
    // unless the description says so: code one VM writes another must not run.
    const bool shared = table.contains("shared");
    r.executable = f.boolean("executable").value_or(r.kind == MemKind::Ram && !shared);
    r.shared = f.string("shared").value_or("");
    if (!r.shared.empty() && granule == block_size)
        f.error(f.at("shared"), "shared regions need a system of Lab 3 on ([system] lab = 3): "
                                "labs 1-2 map memory 1:1 with 2 MiB blocks");
    if (!r.shared.empty() && r.kind != MemKind::Ram)
        f.error(f.at("shared"), "only ram regions can be shared");
    if (size) {
        if (*size == 0)
            f.error(f.at("size"), "'size' must be greater than 0");
        else if (*size % granule != 0)
            f.error(f.at("size"), "'size' " + hex(*size) + " is not a multiple of " + granule_name(granule));
    }
    if (gpa && size) check_blocks(f, "gpa", *gpa, *size, granule);
    if (pa && size) check_blocks(f, "pa", *pa, *size, granule);
    r.valid = !f.failed();
    return r;
}

void read_irqs(Fields& f, Vm& vm, u32 lab, Diagnostics& diag) {
    const toml::node* node = f.find("irqs", false);
    if (!node) return;
    vm.irqs_at = f.at("irqs");
    const toml::array* array = node->as_array();
    if (!array) {
        f.error(vm.irqs_at, "'irqs' must be an array of SPI numbers, such as [33], not " +
                                std::string(type_name(node->type())));
        return;
    }
    if (lab < 4 && !array->empty()) f.error(vm.irqs_at, lab4_only("device interrupts ('irqs')"));
    for (const toml::node& element : *array)
        if (auto irq = read_spi(element, "each of 'irqs'", diag)) vm.irqs.push_back(*irq);
}

std::optional<LinuxBoot> read_linux(Fields& vm_fields, u32 lab, Diagnostics& diag) {
    const toml::node* node = vm_fields.find("linux", false);
    if (!node) return std::nullopt;
    const toml::table* table = node->as_table();
    if (!table) {
        vm_fields.error(vm_fields.at("linux"), "'linux' must be a table ([vm.linux]) with 'initrd' and 'bootargs'");
        return std::nullopt;
    }
    Fields f(*table, "[vm.linux]", {"initrd", "bootargs"}, diag);
    LinuxBoot boot;
    boot.at = f.at();
    if (lab < 6) f.error(boot.at, "a Linux VM ([vm.linux]) needs lab = 6: it boots on Lab 6's microvisor");
    boot.initrd = f.name("initrd").value_or("");
    boot.initrd_at = f.at("initrd");
    if (auto args = f.string("bootargs")) {
        if (args->size() > 1024)
            f.error(f.at("bootargs"), "'bootargs' is longer than 1024 characters (Linux's COMMAND_LINE_SIZE)");
        else
            boot.bootargs = *args;
    }
    return boot;
}

Vm read_vm(const toml::table& table, Diagnostics& diag, u64 granule, u32 lab) {
    Fields f(table, "[[vm]]",
             {"name", "image", "vcpus", "priority", "on_fault", "pmu", "spare_tables", "region", "irqs", "linux"},
             diag);
    Vm vm;
    vm.at = f.at();
    vm.name = f.name("name").value_or("");
    vm.name_at = f.at("name");
    vm.linux_boot = read_linux(f, lab, diag);
    vm.image = f.string("image", !vm.linux_boot).value_or("");
    if (vm.linux_boot && !vm.image.empty())
        f.error(f.at("image"), "VM '" + vm.name + "' has both 'image' and [vm.linux]: a VM boots one or the other");
    vm.image_at = f.at("image");
    const bool plain = std::all_of(vm.image.begin(), vm.image.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    if (!vm.image.empty() && (!plain || vm.image.front() == '.')) {
        f.error(vm.image_at,
                "'image' \"" + vm.image +
                    "\" must be a file name of letters, digits, '_', '-' and '.', not starting with '.'");
        vm.image.clear();  // nothing to look for in the guest directory
    }
    vm.vcpus = static_cast<u32>(f.integer("vcpus", 1, max_vcpus_per_vm).value_or(1));
    vm.vcpus_at = f.at("vcpus");
    vm.priority = static_cast<u32>(f.integer("priority", 0, 255).value_or(100));
    if (auto policy = f.string("on_fault")) {
        if (*policy == "stop")
            vm.on_fault = FaultPolicy::Stop;
        else if (*policy != "reflect")
            f.error(f.at("on_fault"), "'on_fault' must be \"reflect\" or \"stop\", not \"" + *policy + "\"");
    }
    vm.pmu = f.boolean("pmu").value_or(false);
    vm.pmu_at = f.at("pmu");
    vm.spare_tables = static_cast<u32>(f.integer("spare_tables", 0, max_stage2_tables).value_or(4));
    const bool has_regions = table.contains("region");
    for (const toml::table* region : f.tables("region", "[[vm.region]]"))
        vm.regions.push_back(read_region(*region, diag, granule));
    if (!has_regions) f.error(vm.at, "VM '" + vm.name + "' has no [[vm.region]]");
    read_irqs(f, vm, lab, diag);
    vm.gic = lab >= 4;
    return vm;
}

Channel read_channel(const toml::table& table, u32 index, Diagnostics& diag) {
    Fields f(table, "[[channel]]", {"between", "depth", "message_size", "irq", "linux"}, diag);
    Channel c;
    c.at = f.at();
    c.between_at = f.at("between");
    if (const toml::node* node = f.find("between", true)) {
        const toml::array* array = node->as_array();
        if (!array || array->size() != 2 || !array->is_homogeneous(toml::node_type::string))
            f.error(c.between_at, "'between' must be an array of two VM names, such as [\"a\", \"b\"]");
        else
            for (std::size_t i = 0; i < 2; ++i) c.ends[i] = array->get(i)->as_string()->get();
    }
    c.depth = static_cast<u32>(f.integer("depth", 1, 256).value_or(32));
    c.message_size = static_cast<u32>(f.integer("message_size", 1, 65536).value_or(2048));
    c.irq = Irq{c.at, first_channel_irq + index};
    if (const toml::node* node = f.find("irq", false)) {
        if (auto irq = read_spi(*node, "'irq'", diag))
            c.irq = *irq;
        else
            c.valid = false;
    }
    if (auto device = f.string("linux")) {
        if (*device == "char" || *device == "net")
            c.linux_device = *device;
        else
            f.error(f.at("linux"), "'linux' must be \"char\" (a character device) or \"net\" (a network "
                                   "device), not \"" + *device + "\"");
    }
    c.valid = c.valid && !f.failed();
    return c;
}

IrqLine read_irq_line(const toml::table& table, u32 lab, Diagnostics& diag) {
    Fields f(table, "[[irq_line]]", {"from", "to", "irq"}, diag);
    IrqLine line;
    line.at = f.at();
    if (lab < 4) f.error(line.at, lab4_only("interrupt lines ([[irq_line]])"));
    line.from = f.string("from", true).value_or("");
    line.from_at = f.at("from");
    line.to = f.string("to", true).value_or("");
    line.to_at = f.at("to");
    if (const toml::node* node = f.find("irq", true)) {
        if (auto irq = read_spi(*node, "'irq' (the line's interrupt in VM 'to')", diag))
            line.irq = *irq;
        else
            line.valid = false;
    }
    line.valid = line.valid && !f.failed();
    return line;
}

void read_system(const toml::table& table, System& sys, Diagnostics& diag) {
    Fields f(table, "[system]", {"name", "memory", "description", "lab", "time_slice_us", "trap_report"}, diag);
    sys.at = f.at();
    sys.name = f.name("name").value_or("");
    sys.memory_at = f.at("memory");
    if (auto memory = f.size("memory", false)) {
        if (*memory == 0 || *memory % MiB != 0)
            f.error(sys.memory_at, "'memory' must be a whole number of MiB, more than 0");
        else if (*memory > 3 * GiB)
            f.error(sys.memory_at,
                    "'memory' must be at most 3G: RAM starts at 0x40000000 and addresses have 32 bits");
        else
            sys.memory = *memory;
    }
    sys.description = f.string("description").value_or("");
    sys.lab = static_cast<u32>(f.integer("lab", 1, 6).value_or(1));
    sys.time_slice_us = static_cast<u32>(f.integer("time_slice_us", 100, 1000000).value_or(1000));
    sys.trap_report = f.boolean("trap_report").value_or(false);
}

}  // namespace

std::optional<System> read_description(const std::filesystem::path& file, Diagnostics& diag) {
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        // toml++ says "Error while parsing X: ..."; after "error: " that reads better as:
        std::string message(e.description());
        if (message.starts_with("Error while parsing")) message.replace(0, 5, "syntax error");
        diag.error(where(e.source()), message);
        return std::nullopt;
    }

    System sys;
    Fields f(root, "the top level", {"system", "vm", "channel", "irq_line"}, diag);
    if (const toml::node* node = f.find("system", false)) {
        if (const toml::table* table = node->as_table())
            read_system(*table, sys, diag);
        else
            f.error(f.at("system"),
                    "'system' must be a table ([system]), not " + std::string(type_name(node->type())));
    } else {
        f.error(Where{1, 1}, "missing [system] table");
    }
    const u64 granule = sys.lab >= 3 ? 4 * KiB : block_size;  // Lab 3's Stage2 maps pages
    for (const toml::table* table : f.tables("vm", "[[vm]]"))
        sys.vms.push_back(read_vm(*table, diag, granule, sys.lab));
    for (const toml::table* table : f.tables("channel", "[[channel]]"))
        sys.channels.push_back(read_channel(*table, static_cast<u32>(sys.channels.size()), diag));
    for (const toml::table* table : f.tables("irq_line", "[[irq_line]]"))
        sys.irq_lines.push_back(read_irq_line(*table, sys.lab, diag));
    return sys;
}

}  // namespace sysgen
