// SPDX-License-Identifier: MIT
// Attacks through the call interfaces: SMC, PSCI and every vendor call, with hostile
// arguments. Each gets its documented status (microvisor/include/mv/abi.h) and keeps r4-r12.
#include "attack.hpp"

extern "C" {
void attack_hvc_full(const mv::u32 in[6], mv::u32 out[5]);
void attack_smc_full(const mv::u32 in[6], mv::u32 out[5]);
mv::u32 attack_hvc_imm1();
mv::u32 attack_hvc_imm_ffff();
mv::u32 attack_smc_imm15();
mv::u32 attack_smc_cond_fails();
}

namespace attack {
namespace {

CallResult full(void (*call)(const u32*, u32*), u32 fid, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5) {
    const u32 in[6] = {fid, a1, a2, a3, a4, a5};
    u32 out[5];
    call(in, out);
    return {{out[0], out[1], out[2], out[3]}, out[4]};
}

// The hostile values of issue 7: 0, -1, 2^31, unaligned, the last byte of this VM's RAM and
// of the board's, and addresses that are not this VM's.
constexpr u32 HOSTILE[] = {0,       0xffffffffu,       0x80000000u,   RAM + 1,        RAM + RAM_SIZE - 1,
                           BOARD_RAM_END - 1, VICTIM_RAM_PA, VICTIM_PRIVATE, MICROVISOR_PA + 0x400000};

}  // namespace

CallResult hvc_full(u32 fid, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5) {
    return full(attack_hvc_full, fid, a1, a2, a3, a4, a5);
}

CallResult smc_full(u32 fid, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5) {
    return full(attack_smc_full, fid, a1, a2, a3, a4, a5);
}

// There is no secure monitor for a guest (HCR.TSC): every SMC is an undefined instruction,
// whatever it asks for, and changes nothing. A failed condition makes it no instruction at all.
void smc_garbage() {
    struct Smc {
        const char* name;
        u32 fid, a1, a2, a3;
    };
    static const Smc smcs[] = {
        {"smc_psci_system_off", PSCI_SYSTEM_OFF, 0, 0, 0},
        {"smc_psci_system_reset", PSCI_SYSTEM_RESET, 0, 0, 0},
        {"smc_psci_cpu_off", PSCI_CPU_OFF, 0, 0, 0},
        {"smc_psci_cpu_on_garbage", PSCI_CPU_ON, 0xffffffffu, NOWHERE, 0xffffffffu},
        {"smc_psci_cpu_on_vcpu1", PSCI_CPU_ON, 1, NOWHERE, 0},
        {"smc_vendor_mem_unmap_own_ram", MV_CALL_MEM_UNMAP, RAM, RAM_SIZE, 0},
        {"smc_vendor_console_write", MV_CALL_CONSOLE_WRITE, RAM, 16, 0},
        {"smc_all_ones", 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
        {"smc_zero", 0, 0, 0, 0},
        {"smc_2_31", 0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u},
        {"smc_smc64_cpu_on", 0xc4000003u, 1, NOWHERE, 0},
    };
    for (const Smc& s : smcs) {
        CallResult c{};
        const Seen seen = probe([&] {
            c = smc_full(s.fid, s.a1, s.a2, s.a3);
            return c.r[0];
        });
        check(seen.exceptions == 1 && seen.outcome == Outcome::undef && c.r[0] == s.fid && c.r[1] == s.a1 &&
                  c.r[2] == s.a2 && c.r[3] == s.a3 && c.clobbered == 0,
              s.name,
              "SMC with r0 = 0x%08x: expected an undefined instruction with every register as it was, saw %s, "
              "r0-r3 = %#x %#x %#x %#x, changed mask %#x",
              s.fid, outcome_name(seen.outcome), c.r[0], c.r[1], c.r[2], c.r[3], c.clobbered);
    }
    expect_undef("smc_imm15", probe([] { return attack_smc_imm15(); }));
    expect_runs("smc_condition_fails", probe([] { return attack_smc_cond_fails(); }));
    // The VM is still here, its vCPU 1 still off: nothing of the above reached PSCI.
    const CallResult info = hvc_full(PSCI_AFFINITY_INFO, 1, 0);
    check(static_cast<i32>(info.r[0]) == 1, "smc_started_nothing",
          "after SMC CPU_ON of vCPU 1: expected AFFINITY_INFO(1) = 1 (off), saw %d", static_cast<i32>(info.r[0]));
}

// PSCI over HVC with garbage: bad MPIDRs and levels, unknown and SMC64 function IDs.
void psci_garbage() {
    static const u32 bad_mpidr[] = {0xffffffffu, 0x80000002u, 2, 0xff, 0x100, 0x10000, 0x10101};
    static const u32 entries[] = {NOWHERE, 0, 0xffffffffu, VICTIM_RAM_PA};
    for (u32 m : bad_mpidr)
        for (u32 e : entries) {
            char name[64];
            mv::snformat(name, sizeof name, "cpu_on_mpidr_%x_entry_%x", m, e);
            expect_status(name, hvc_full(PSCI_CPU_ON, m, e, 0xffffffffu), MV_INVALID_PARAMETERS);
        }
    expect_status("cpu_on_self_running", hvc_full(PSCI_CPU_ON, 0, NOWHERE, 0), MV_ALREADY_ON);
    // Bits 31:24 name no affinity level in an SMC32 call: vCPU 0 (running) or refused.
    static const u32 high_bits[] = {0x80000000u, 0x01000000u};
    for (u32 m : high_bits) {
        char name[64];
        mv::snformat(name, sizeof name, "cpu_on_self_high_bits_%x", m);
        const CallResult c = hvc_full(PSCI_CPU_ON, m, NOWHERE, 0);
        check((static_cast<i32>(c.r[0]) == MV_ALREADY_ON || static_cast<i32>(c.r[0]) == MV_INVALID_PARAMETERS) &&
                  c.clobbered == 0,
              name, "MPIDR %#x: expected MV_ALREADY_ON (-4) or MV_INVALID_PARAMETERS (-2), saw %d, changed mask %#x",
              m, static_cast<i32>(c.r[0]), c.clobbered);
    }
    expect_status("affinity_info_bad_mpidr", hvc_full(PSCI_AFFINITY_INFO, 0xffffffffu, 0), MV_INVALID_PARAMETERS);
    expect_status("affinity_info_level_1", hvc_full(PSCI_AFFINITY_INFO, 0, 1), MV_INVALID_PARAMETERS);
    expect_status("affinity_info_level_all_ones", hvc_full(PSCI_AFFINITY_INFO, 0, 0xffffffffu),
                  MV_INVALID_PARAMETERS);
    expect_status("affinity_info_vcpu1_off", hvc_full(PSCI_AFFINITY_INFO, 1, 0), 1);
    expect_status("affinity_info_self_on", hvc_full(PSCI_AFFINITY_INFO, 0, 0), 0);
    expect_status("version_garbage_args", hvc_full(PSCI_VERSION, 0xffffffffu, 0xffffffffu, 0xffffffffu),
                  static_cast<i32>(MV_PSCI_VERSION_1_0));
    static const u32 unknown_features[] = {0xffffffffu, 0, 0x80000000u, PSCI_CPU_SUSPEND, 0x84000005u,
                                           0x8400001fu, 0xc4000003u, MV_CALL_NULL, MV_CALL_MEM_MAP};
    for (u32 f : unknown_features) {
        char name[64];
        mv::snformat(name, sizeof name, "features_%08x", f);
        expect_status(name, hvc_full(PSCI_FEATURES, f), MV_NOT_SUPPORTED);
    }
    static const u32 unknown[] = {PSCI_CPU_SUSPEND, 0x84000005u, 0x84000006u, 0x84000007u, 0x8400000bu,
                                  0x8400000cu, 0x84000012u, 0x8400001fu, 0x840000ffu, 0x8400ffffu,
                                  0xc4000001u, 0xc4000003u, 0xc4000004u, 0x04000008u, 0x84ff0008u};
    for (u32 f : unknown) {
        char name[64];
        mv::snformat(name, sizeof name, "unknown_%08x", f);
        expect_status(name, hvc_full(f, 0xffffffffu, NOWHERE, 0xffffffffu, 0xffffffffu, 0xffffffffu),
                      MV_NOT_SUPPORTED);
    }
    expect_status("vcpu1_still_off", hvc_full(PSCI_AFFINITY_INFO, 1, 0), 1);
}

// Every vendor call with hostile arguments, unknown vendor IDs, and HVC immediates other than 0.
void vendor_calls() {
    for (u32 h : HOSTILE) {
        char name[64];
        mv::snformat(name, sizeof name, "null_%x", h);
        expect_status(name, hvc_full(MV_CALL_NULL, h, h, h, h, h), MV_OK);
        mv::snformat(name, sizeof name, "yield_%x", h);
        expect_status(name, hvc_full(MV_CALL_VCPU_YIELD, h, h, h, h, h), MV_OK);
        mv::snformat(name, sizeof name, "vm_info_%x", h);
        const CallResult info = hvc_full(MV_CALL_VM_INFO, h, h, h, h, h);
        check(info.r[0] == MV_OK && info.r[1] == 0 && info.r[2] == 0 && info.r[3] == 2 && info.clobbered == 0,
              name, "expected r0-r3 = 0 0 0 2 (VM 0, vCPU 0 of 2), saw %#x %#x %#x %#x, changed mask %#x", info.r[0],
              info.r[1], info.r[2], info.r[3], info.clobbered);
        mv::snformat(name, sizeof name, "revision_%x", h);
        const CallResult rev = hvc_full(MV_CALL_REVISION, h, h, h, h, h);
        check(rev.r[0] == MV_ABI_MAJOR && rev.r[1] == MV_ABI_MINOR && rev.clobbered == 0, name,
              "expected %u.%u, saw %#x.%#x (changed mask %#x)", MV_ABI_MAJOR, MV_ABI_MINOR, rev.r[0], rev.r[1],
              rev.clobbered);
        // Labs 4-5 calls: not in a Lab 3 image; in any image, an error for a hostile argument.
        static const u32 later_labs[] = {MV_CALL_VIRQ_RAISE, MV_CALL_CHANNEL_SEND, MV_CALL_CHANNEL_RECV,
                                         MV_CALL_CHANNEL_STATUS};
        for (u32 fid : later_labs) {
            mv::snformat(name, sizeof name, "call_%x_%x", fid & 0xffff, h);
            const CallResult c = hvc_full(fid, h, h, h, h, h);
            check(static_cast<i32>(c.r[0]) < 0 && c.clobbered == 0, name,
                  "expected a negative status, saw %d (%#x), changed mask %#x", static_cast<i32>(c.r[0]), c.r[0],
                  c.clobbered);
        }
        static const u32 bad_classes[] = {64, 0xffffffffu, 0x80000000u};
        for (u32 ec : bad_classes) {
            mv::snformat(name, sizeof name, "trap_count_%x", ec);
            expect_status(name, hvc_full(MV_CALL_TRAP_COUNT, ec, h), MV_INVALID_PARAMETERS);
        }
    }
    // The console: buffers outside this VM's memory, wrapping, too long.
    struct Write {
        const char* name;
        u32 buf, len;
        i32 want;
    };
    static const Write writes[] = {
        {"console_0_1", 0, 1, MV_INVALID_ADDRESS},
        {"console_all_ones_1", 0xffffffffu, 1, MV_INVALID_ADDRESS},
        {"console_wraps_4g", 0xffffffffu, 2, MV_INVALID_ADDRESS},
        {"console_wraps_4g_long", 0xfffffe00u, 0x400, MV_INVALID_ADDRESS},
        {"console_2_31", 0x80000000u, 16, MV_INVALID_ADDRESS},
        {"console_own_ram_end", RAM + RAM_SIZE - 1, 2, MV_INVALID_ADDRESS},
        {"console_own_ram_end_long", RAM + RAM_SIZE - 0x100, 0x400, MV_INVALID_ADDRESS},
        {"console_board_ram_end", BOARD_RAM_END - 1, 1, MV_INVALID_ADDRESS},
        {"console_victim_ram_pa", VICTIM_RAM_PA, 16, MV_INVALID_ADDRESS},
        {"console_victim_params_pa", VICTIM_RAM_PA + RAM_SIZE - PAGE, 8, MV_INVALID_ADDRESS},
        {"console_victim_private_ipa", VICTIM_PRIVATE, 16, MV_INVALID_ADDRESS},
        {"console_microvisor_pa", MICROVISOR_PA + 0x400000, 16, MV_INVALID_ADDRESS},
        {"console_mailbox_end", MAILBOX + PAGE - 8, 16, MV_INVALID_ADDRESS},
        {"console_uart", 0x09000000, 4, MV_INVALID_ADDRESS},
        {"console_gicc", 0x08010000, 4, MV_INVALID_ADDRESS},
        {"console_len_2_31", RAM, 0x80000000u, MV_INVALID_PARAMETERS},
        {"console_len_all_ones", RAM, 0xffffffffu, MV_INVALID_PARAMETERS},
        {"console_len_max_plus_1", RAM, MV_CONSOLE_MAX + 1, MV_INVALID_PARAMETERS},
        {"console_len_0_at_0", 0, 0, 0},
        {"console_len_0_at_all_ones", 0xffffffffu, 0, 0},
    };
    for (const Write& w : writes) expect_status(w.name, hvc_full(MV_CALL_CONSOLE_WRITE, w.buf, w.len), w.want);
    // MEM_UNMAP and MEM_MAP: misaligned, empty, wrapping, too big, beyond the region.
    struct Mem {
        const char* name;
        u32 gpa, size;
    };
    static const Mem mems[] = {
        {"0_0", 0, 0},
        {"0_page", 0, PAGE},
        {"all_ones", 0xffffffffu, 0xffffffffu},
        {"2_31_2_31", 0x80000000u, 0x80000000u},
        {"ram_size_2_31", RAM, 0x80000000u},
        {"ram_size_all_pages", RAM, 0xfffff000u},
        {"ram_size_0", RAM, 0},
        {"ram_unaligned", RAM + 1, PAGE},
        {"ram_size_unaligned", RAM, PAGE + 1},
        {"ram_last_byte", RAM + RAM_SIZE - 1, 1},
        {"wraps_4g", 0xfffff000u, 0x2000},
        {"ram_beyond_end", RAM + RAM_SIZE - PAGE, 2 * PAGE},
        {"spare_2_31", SPARE, 0x80000000u},
        {"board_ram_end", BOARD_RAM_END - PAGE, PAGE},
    };
    for (const Mem& m : mems) {
        char name[64];
        mv::snformat(name, sizeof name, "mem_unmap_%s", m.name);
        expect_status(name, hvc_full(MV_CALL_MEM_UNMAP, m.gpa, m.size, 0xffffffffu), MV_INVALID_PARAMETERS);
        mv::snformat(name, sizeof name, "mem_map_%s", m.name);
        expect_status(name, hvc_full(MV_CALL_MEM_MAP, m.gpa, m.size, 0xffffffffu), MV_INVALID_PARAMETERS);
    }
    // Vendor IDs nobody registered, other owners, SMC64, yielding calls, bits that must be zero.
    static const u32 unknown[] = {0x8600000cu, 0x8600000fu, 0x86000010u, 0x860000ffu, 0x8600ff00u, 0x8600ff02u,
                                  0x8600fffeu, 0x8600ffffu, 0xc6000000u, 0xc6000001u, 0x06000000u, 0x06000001u,
                                  0x86010000u, 0x86ff0001u, 0xbf000000u, 0x83000000u, 0xb0000000u, 0x80000000u,
                                  0xffffffffu, 0};
    for (u32 f : unknown) {
        char name[64];
        mv::snformat(name, sizeof name, "unknown_%08x", f);
        expect_status(name, hvc_full(f, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu),
                      MV_NOT_SUPPORTED);
    }
    expect_undef("hvc_imm1", probe([] { return attack_hvc_imm1(); }));
    expect_undef("hvc_imm_ffff", probe([] { return attack_hvc_imm_ffff(); }));
}

// Once: the calls that print or change this VM's priority, then all the others.
void vendor_calls_once() {
    static const char text[] = "xunaligned console write\n";
    const u32 len = sizeof text - 2;
    expect_status("console_unaligned_own", hvc_full(MV_CALL_CONSOLE_WRITE, reinterpret_cast<u32>(text) + 1, len),
                  static_cast<i32>(len));
    // Priority waive ignores its arguments; the timer brings the priority back.
    timer_at_us(now_us() + 200);
    expect_status("priority_waive_hostile", hvc_full(MV_CALL_PRIORITY_WAIVE, 0xffffffffu, 0x80000000u, 0, RAM + 1),
                  MV_OK);
    timer_off();
    vendor_calls();
}

}  // namespace attack
