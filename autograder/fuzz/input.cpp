// SPDX-License-Identifier: MIT
// Decoding the fuzzer's input (the layout is drawn in input.hpp).
#include "input.hpp"

#include <cstdio>
#include <cstring>

#include "config/system_config.hpp"
#include "drivers/gic.hpp"
#include "mv/abi.h"
#include "vdev/vpl011.hpp"

namespace mvfuzz {
namespace {

// The classes the microvisor handles, and two it leaves undefined (0x03 CP15, 0x13 SMC).
constexpr u32 INTERESTING_EC[] = {0x01, 0x03, 0x07, 0x12, 0x13, 0x20, 0x24};

// Every function ID the microvisor knows, its neighbours, and IDs that are wrong in one field.
constexpr u32 FUNCTION_IDS[] = {
    0x86000000, 0x86000001, 0x86000002, 0x86000003, 0x86000004, 0x86000005, 0x86000006, 0x86000007,
    0x86000008, 0x86000009, 0x8600000a, 0x8600000b, 0x8600000c, 0x8600000f, 0x86000010, MV_CALL_REVISION,
    PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF,
    PSCI_SYSTEM_RESET, PSCI_FEATURES, 0x84000005, 0x8400000b,
    0xc6000000,  // SMC64
    0x86010000,  // a must-be-zero bit set
    0x06000000,  // a yielding call
    0x85000000,  // another owner
    0xc4000003,  // CPU_ON, SMC64
    0x8400ff03,
};

// MCR/MRC accesses (opc1, CRn, CRm, opc2) the microvisor traps: set/way cache
// maintenance, ACTLR, the PMU, IMPLEMENTATION DEFINED c9-c11 and c15; and SCTLR.
struct Cp15 {
    u32 opc1, crn, crm, opc2;
};
constexpr Cp15 CP15_ACCESSES[] = {{0, 7, 6, 2}, {0, 7, 10, 2}, {0, 7, 14, 2}, {0, 1, 0, 1}, {0, 9, 12, 0},
                                  {0, 9, 13, 0}, {0, 9, 14, 0}, {0, 11, 0, 0}, {0, 15, 0, 0}, {0, 1, 0, 0}};

// The offsets of the PL011's registers, and some that are not.
constexpr u32 PL011_OFFSETS[] = {0x000, 0x004, 0x018, 0x024, 0x028, 0x02c, 0x030, 0x034, 0x038,
                                 0x03c, 0x040, 0x044, 0xfe0, 0xfe4, 0xffc, 0x001, 0x002, 0x048};

std::vector<u32> firsts;  // r1: addresses, MPIDRs, classes, function IDs
std::vector<u32> seconds; // r2: sizes, entry points, levels
std::vector<u32> ipas;    // page-aligned guest-physical addresses for HPFAR

// Little-endian fields; zero past the end.
struct Reader {
    const u8* p;
    std::size_t n;
    std::size_t at = 0;

    u8 byte() { return at < n ? p[at++] : (++at, 0); }
    u32 word() {
        u32 v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<u32>(byte()) << (8 * i);
        return v;
    }
    u64 dword() {
        u64 lo = word();
        return lo | static_cast<u64>(word()) << 32;
    }
    void skip_to(std::size_t offset) {
        while (at < offset) byte();
    }
};

u32 argument(const std::vector<u32>& values, u8 selector, u32 raw) {
    if (selector < 0x60) return values[selector % values.size()];
    if (selector < 0x80) return values[selector % values.size()] + static_cast<u32>(static_cast<signed char>(raw));
    return raw;
}

u32 syndrome(u8 selector, u32 raw) {
    if (selector >= 0xc0) return raw;
    u32 ec = INTERESTING_EC[selector % std::size(INTERESTING_EC)];
    u32 hsr = (raw & 0x03ffffff) | (ec << 26);
    if ((selector & 0x20) == 0) {  // tidy: what a well-behaved guest's trap looks like
        if (ec == 0x12) hsr &= ~0xffffu;                                // HVC #0
        if (ec == 0x03) {  // a CP15 register the microvisor traps; Rt and the direction raw
            const Cp15& c = CP15_ACCESSES[(raw >> 9) % std::size(CP15_ACCESSES)];
            hsr = (hsr & ~0xfffffu) | (c.opc2 << 17) | (c.opc1 << 14) | (c.crn << 10) | (raw & 0x1e1u) | (c.crm << 1);
        }
        if (ec == 0x24) hsr |= 1u << 24;                                // ISV: a syndrome for the access
        if (ec <= 0x0c) hsr = (hsr & ~(0x1fu << 20)) | (0x1eu << 20);   // CV = 1, COND = AL
    }
    return hsr;
}

Trap read_trap(Reader& in) {
    Trap t;
    std::size_t start = in.at;
    t.update = in.byte();
    u8 ec_sel = in.byte(), r0_sel = in.byte(), r1_sel = in.byte(), r2_sel = in.byte();
    u8 spsr_sel = in.byte(), far_sel = in.byte(), time_sel = in.byte();
    t.hsr = syndrome(ec_sel, in.word());
    for (u32& r : t.r) r = in.word();
    if (r0_sel < 0xa0) t.r[0] = FUNCTION_IDS[r0_sel % std::size(FUNCTION_IDS)];
    t.r[1] = argument(firsts, r1_sel, t.r[1]);
    t.r[2] = argument(seconds, r2_sel, t.r[2]);
    t.sp_usr = in.word();
    t.lr_usr = in.word();
    t.elr = in.word();
    t.spsr = in.word();
    u32 mode = GUEST_MODES[(spsr_sel & 0x1f) % 7];
    t.spsr = (t.spsr & ~0x1fu & ~(1u << 24)) | mode;  // a guest mode; J clear (no Jazelle on an A15)
    if ((spsr_sel & 0x40) == 0) t.spsr &= ~((0x3fu << 10) | (0x3u << 25));  // IT clear
    t.elr_in_ram = (spsr_sel & 0x20) == 0;
    for (int m = 0; m < 5; ++m) {
        t.banked_sp[m] = in.word();
        t.banked_lr[m] = in.word();
        t.banked_spsr[m] = in.word();
    }
    for (u32& r : t.fiq_r8_12) r = in.word();
    t.sctlr = in.word();
    t.vbar = in.word();
    t.ttbcr = in.word();
    t.cntv_ctl = in.word();
    t.cntv_cval = in.dword();
    t.cval_kind = static_cast<Cval>((time_sel >> 4) & 3);
    t.hdfar = in.word();
    t.hifar = in.word();
    t.hpfar = in.word();
    if (far_sel < 0x80) t.hpfar = (ipas[far_sel % ipas.size()] >> 12) << 4;  // HPFAR[31:4] = IPA[39:12]
    if ((far_sel & 0x40) == 0)
        t.hdfar = (t.hdfar & ~0xfffu) | PL011_OFFSETS[(t.hdfar >> 12) % std::size(PL011_OFFSETS)];
    t.hifar_near_vectors = (far_sel & 0x20) == 0;
    if (t.hifar_near_vectors) t.hifar &= 0x3c;
    u32 ticks = in.word();
    const u64 slice = 62500;  // one time slice at 62.5 MHz (machine.hpp)
    switch (time_sel >> 6) {
    case 0: t.ticks = 0; break;
    case 1: t.ticks = ticks & 0xffff; break;
    case 2: t.ticks = (ticks & 3) * slice + ((ticks >> 2) & 0xfff); break;
    default: t.ticks = ticks; break;
    }
    in.skip_to(start + TRAP_BYTES);
    return t;
}

}  // namespace

void init_tables() {
    // r1 of the calls: an address (console write, memory calls), an MPIDR (CPU_ON,
    // AFFINITY_INFO), an exception class (trap count), a function ID (PSCI_FEATURES).
    firsts = {0, 1, 2, 3, 0x100, 0x80000001, 0x00010000, 0xff, 63, 64, PSCI_CPU_ON, PSCI_SYSTEM_OFF, MV_CALL_NULL,
              0xffffffff, 0xfffff000, 0x80000000, 0x7fffffff, mv::VPL011_BASE, mv::gic::GICD_BASE};
    // r2: a length or size, an entry point (CPU_ON), a level (AFFINITY_INFO).
    seconds = {0,        1,        2,          4,          14,         0xfff,          0x1000,
               0x1001,   0x2000,   0x10000,    0x1ff000,   0x200000,   0x400000,       0x7fffffff,
               0x80000000, 0xffffffff, MV_CONSOLE_MAX, MV_CONSOLE_MAX + 1, 0x40000001};
    ipas = {mv::VPL011_BASE, mv::gic::GICD_BASE, mv::gic::GICC_BASE, 0, 0xfffff000, 0x40400000, 0x7ffff000};
    for (u32 v = 0; v < mv::system_config.nvms; ++v) {
        const mv::VmConfig& c = mv::system_config.vms[v];
        seconds.push_back(c.entry);
        for (u32 i = 0; i < c.nregions; ++i) {
            const mv::MemRegion& r = c.regions[i];
            for (u32 a : {r.gpa, r.gpa + 0x1000, r.gpa + r.size - 0x1000, r.gpa + r.size, r.gpa + r.size - 1}) {
                firsts.push_back(a);
                ipas.push_back(a & ~0xfffu);
            }
            seconds.push_back(r.size);
            seconds.push_back(r.size - 0x1000);
        }
    }
}

Input decode(const u8* data, std::size_t size) {
    Reader in{data, size};
    Input input;
    u32 ntraps = 1 + in.byte() % MAX_TRAPS;
    u32 console_len = in.byte() % 16;
    u8 mem_sel = in.byte();
    in.byte();
    u32 mem_addr = in.word();
    for (u32 i = 0; i < ntraps; ++i) input.traps.push_back(read_trap(in));
    for (u32 i = 0; i < console_len && in.at < size; ++i) input.console_input.push_back(static_cast<char>(in.byte()));
    input.memory_vm = mem_sel & 1;
    // Bits 7:1 of the selector: below 0x60, an offset into the VM's first RAM region; else raw.
    const mv::VmConfig& c = mv::system_config.vms[input.memory_vm];
    input.memory_gpa = (mem_sel >> 1) < 0x60 ? c.regions[0].gpa + (mem_addr % c.regions[0].size) : mem_addr;
    while (in.at < size && input.memory.size() < MAX_MEMORY) input.memory.push_back(in.byte());
    return input;
}

std::string describe(const Trap& t) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "HSR %#010x (EC %#04x) r0-r3 %#x %#x %#x %#x ELR %#x SPSR %#x%s HDFAR %#x HIFAR %#x%s "
                  "HPFAR %#x CNTV_CTL %#x CVAL %#llx ticks %llu update %#04x",
                  t.hsr, t.hsr >> 26, t.r[0], t.r[1], t.r[2], t.r[3], t.elr, t.spsr,
                  t.elr_in_ram ? " (ELR in RAM)" : "", t.hdfar, t.hifar, t.hifar_near_vectors ? " (from VBAR)" : "",
                  t.hpfar, t.cntv_ctl, t.cntv_cval, t.ticks, t.update);
    return line;
}

}  // namespace mvfuzz
