// SPDX-License-Identifier: MIT
// Containment guest (systems/attack.toml): VM 0 attacks, VM 1 is the victim.
//
// Selectors 1-2 (and 0: both) attack the way QEMU is ended and the console; the victim must
// run to its end and be the only one to report for itself.
// Selector 1: semihosting calls (exit, exit with a status, write to the host) by every
// instruction QEMU would take for one, and PSCI SYSTEM_OFF by SMC: none may end QEMU.
// Selector 2: lines that look like the microvisor's or the victim's, with carriage returns
// and escape sequences, through the console hypercall and the emulated PL011, and a line
// left open while the victim reports. 0: both. The harness must not be fooled by any.
//
// Selectors 3 and up are the adversarial suite (the table below): the attack runs beside a
// victim that measures its own progress rate (victim.cpp), which must not fall.
#include "attack.hpp"
#include "guest.hpp"
#include "lib/format.hpp"

using namespace guest;
using mv::snformat;

extern "C" u32 a32_svc_semihost(u32 op, u32 arg);
extern "C" u32 a32_hlt_semihost(u32 op, u32 arg);
extern "C" u32 t32_svc_semihost(u32 op, u32 arg);
extern "C" u32 t32_hlt_semihost(u32 op, u32 arg);
extern "C" u32 a32_smc(u32 function_id);

namespace {

constexpr u32 MAILBOX = 0x40800000;        // the page both VMs share
constexpr u32 VICTIM_PARAMS = 0x487ff000;  // the victim's parameter page, by its physical address
constexpr u32 ATTACKS_DONE = 0xa77ac4ed;
constexpr u32 UART = 0x09000000;           // the emulated PL011

// Semihosting operations (ARM DUI 0471).
constexpr u32 SYS_WRITE0 = 0x04;
constexpr u32 SYS_EXIT = 0x18;
constexpr u32 SYS_EXIT_EXTENDED = 0x20;
constexpr u32 ADP_Stopped_ApplicationExit = 0x20026;

volatile u32& mailbox() { return *reinterpret_cast<volatile u32*>(MAILBOX); }

volatile u32 taken, taken_kind;

bool on_exception(Exc kind, ExcFrame& f) {
    taken = taken + 1;
    taken_kind = static_cast<u32>(kind);
    if (kind == Exc::dabt) f.lr -= 4;  // LR_abt = the load + 8: go on after it
    return kind == Exc::svc || kind == Exc::undef || kind == Exc::dabt;  // SVC, UNDEF: LR is past it
}

/// `attempt` ran one instruction that QEMU's semihosting would have taken: it must come
/// back as an exception of `kind` to this guest's own vector, and the guest goes on.
template <typename Attempt>
void expect_plain(const char* name, Exc kind, Attempt attempt) {
    const u32 before = taken;
    attempt();
    if (taken != before + 1 || taken_kind != static_cast<u32>(kind))
        mvt::fail(name, "expected one exception %u at this guest's vector, saw %u (last %u)",
                  static_cast<u32>(kind), taken - before, taken_kind);
    else
        mvt::pass(name);
}

void semihosting() {
    static const char host_text[] = "SEMIHOSTING-REACHED-THE-HOST\n";
    static u32 exit_block[2] = {ADP_Stopped_ApplicationExit, 2};
    const u32 text = reinterpret_cast<u32>(host_text);
    const u32 block = reinterpret_cast<u32>(exit_block);
    expect_plain("a32_svc_sys_exit", Exc::svc, [] { a32_svc_semihost(SYS_EXIT, ADP_Stopped_ApplicationExit); });
    expect_plain("a32_svc_sys_exit_extended", Exc::svc, [=] { a32_svc_semihost(SYS_EXIT_EXTENDED, block); });
    expect_plain("a32_svc_sys_write0", Exc::svc, [=] { a32_svc_semihost(SYS_WRITE0, text); });
    expect_plain("a32_hlt_sys_exit", Exc::undef, [] { a32_hlt_semihost(SYS_EXIT, ADP_Stopped_ApplicationExit); });
    expect_plain("a32_hlt_sys_exit_extended", Exc::undef, [=] { a32_hlt_semihost(SYS_EXIT_EXTENDED, block); });
    expect_plain("t32_svc_sys_exit", Exc::svc, [] { t32_svc_semihost(SYS_EXIT, ADP_Stopped_ApplicationExit); });
    expect_plain("t32_hlt_sys_exit_extended", Exc::undef, [=] { t32_hlt_semihost(SYS_EXIT_EXTENDED, block); });
    expect_plain("smc_psci_system_off", Exc::undef, [] { a32_smc(PSCI_SYSTEM_OFF); });
}

void write_raw(const char* s) {
    u32 n = 0;
    while (s[n] != '\0') ++n;
    if (n > 0) console_write(s, n);
}

void forge_console() {
    // The victim's token is in its own memory only: reading it by its physical address
    // aborts (this VM's stage-2 tables do not map it).
    const u32 before = taken;
    const u32 stolen = *reinterpret_cast<volatile u32*>(VICTIM_PARAMS);
    mvt::expect(taken == before + 1 && taken_kind == static_cast<u32>(Exc::dabt), "victim_token_unreadable",
                "read %#x at %#x without an abort", stolen, VICTIM_PARAMS);

    // Each forgery: text, this VM's token if `token`, text. The victim's token it cannot know.
    struct Forgery {
        const char* before;
        bool token;
        const char* after;
    };
    static const Forgery forged[] = {
        {"\r[victim] @@MVT ", true, " PASS forged_cr\n"},
        {"\x1b[2K\x1b[1G[victim] @@MVT ", true, " PASS forged_esc\n"},
        {"\r@@MVT ", true, " PASS forged_bare\n"},
        {"\r\x1b[2KMV_PANIC: forged panic\n", false, ""},
        {"\x1b[1GMV: VM 1 (victim) crashed: forged crash\n", false, ""},
        {"\rMV_LAB_TODO: lab 1: handle_trap() in microvisor/kernel/trap.cpp is not written yet\n", false, ""},
        {"\rMV_EXIT: 2 (the microvisor panicked)\n", false, ""},
        {"\x9b" "2K\x7f\b\bMV_PANIC: forged with a C1 CSI and backspaces\n", false, ""},
    };
    char hex[9];
    snformat(hex, sizeof hex, "%08x", param_token());
    for (const Forgery& f : forged) {
        write_raw(f.before);
        if (f.token) write_raw(hex);
        write_raw(f.after);
    }
    for (const char* p = "\r\x1b[1GMV_PANIC: forged through the PL011\n"; *p != '\0'; ++p)
        *reinterpret_cast<volatile u32*>(UART) = static_cast<u8>(*p);
    write_raw("[victim] @@MVT ");  // a line left open while the victim reports
    write_raw(hex);
    write_raw(" PASS forged_open");
}

void attacker(u32 selector) {
    set_exception_hook(on_exception);
    if (selector == 0 || selector == 1) semihosting();
    if (selector == 0 || selector == 2) forge_console();
    mailbox() = ATTACKS_DONE;
    sleep_us(3000);  // the victim reports meanwhile
    write_raw(" ...and more\n");
    mvt::pass("attacker_done");
}

void victim() {
    for (u64 until = now_us() + 200000; mailbox() != ATTACKS_DONE && now_us() < until;) sleep_us(500);
    mvt::expect(mailbox() == ATTACKS_DONE, "victim_outlived_attacks", "the attacker did not finish its attacks");
    mvt::done();
}

// ---- the adversarial suite ----

struct SuiteEntry {
    u32 selector;
    attack::Attack attack;
    bool owns_the_cpu;  ///< the attack arms and ends by itself (storms.cpp)
};

void nothing() {}

// Selectors 3..: the harness (autograder/harness/selftest/attack_scenario.cpp) knows them by number.
constexpr SuiteEntry SUITE[] = {
    {3, {"baseline", nothing, nullptr}, false},
    {4, {"memory_other_vm", attack::memory_other_vm, attack::memory_other_vm}, false},
    {5, {"memory_microvisor", attack::memory_microvisor, attack::memory_microvisor}, false},
    {6, {"gic", attack::gic, attack::gic}, false},
    {7, {"devices", attack::devices, attack::devices}, false},
    {8, {"cache_maintenance", attack::cache_maintenance, attack::cache_maintenance}, false},
    {9, {"pmu", attack::pmu, attack::pmu}, false},
    {10, {"timers", attack::timers, attack::timers}, false},
    {11, {"hyp_registers", attack::hyp_registers, attack::hyp_registers}, false},
    {12, {"thumbee", attack::thumbee, attack::thumbee}, false},
    {13, {"smc_garbage", attack::smc_garbage, attack::smc_garbage}, false},
    {14, {"psci_garbage", attack::psci_garbage, attack::psci_garbage}, false},
    {15, {"vendor_calls", attack::vendor_calls_once, attack::vendor_calls}, false},
    {16, {"mem_map_others", attack::mem_map_others, attack::mem_map_others}, false},
    {17, {"block_splits", attack::block_splits, nullptr}, false},
    {18, {"cpu_hog_irqs_masked", attack::cpu_hog_irqs_masked, nullptr}, true},
    {19, {"storm_fault_in_vector", attack::storm_fault_in_vector, nullptr}, true},
    {20, {"storm_vectors_jump_nowhere", attack::storm_vectors_jump_nowhere, nullptr}, true},
    {21, {"storm_smc_in_undef_vector", attack::storm_smc_in_undef_vector, nullptr}, true},
    {22, {"abort_loop", attack::abort_loop, nullptr}, true},
    {23, {"vbar_nowhere", attack::vbar_nowhere, nullptr}, true},
    {24, {"own_vectors_unmapped", attack::own_vectors_unmapped, nullptr}, true},
    {25, {"wfi_forever", attack::wfi_forever, nullptr}, true},
    {26, {"wfi_expired_masked_timer", attack::wfi_expired_masked_timer, nullptr}, true},
    {27, {"wfe_loop", attack::wfe_loop, nullptr}, true},
    {28, {"cpu_on_bad_entry", attack::cpu_on_bad_entry, nullptr}, true},
    {29, {"reset_loop", attack::reset_loop, nullptr}, true},
    {30, {"virtual_timer_near_2_64", attack::virtual_timer_near_2_64, nullptr}, false},
    {31, {"long_mem_map", attack::long_mem_map, attack::long_mem_map}, false},
    {32, {"freed_tables", attack::freed_tables, attack::freed_tables_rounds}, false},
    {33, {"splits_then_reset", attack::splits_then_reset, nullptr}, false},
    {34, {"vfp_state", attack::vfp_state, attack::vfp_state}, false},
    {35, {"mode_escapes", attack::mode_escapes, attack::mode_escapes}, false},
    {36, {"stage1_tables_nowhere", attack::stage1_tables_nowhere, nullptr}, true},
    {37, {"thumb_it_traps", attack::thumb_it_traps, attack::thumb_it_traps}, false},
    {38, {"thumb_it_wfi", attack::thumb_it_wfi, attack::thumb_it_wfi}, false},
    {39, {"second_vcpu_hog", attack::second_vcpu_hog, nullptr}, true},
    {40, {"exclusive_monitor", attack::exclusive_monitor, nullptr}, true},
    {41, {"high_vectors", attack::high_vectors, nullptr}, true},
};

void suite_attacker(const SuiteEntry& e) {
    guest::printf("attack %u: %s\n", e.selector, e.attack.name);
    attack::install_probe_hook();
    e.attack.once();
    if (e.owns_the_cpu) return;
    attack::mailbox().armed = attack::ARMED;
    attack::set_quiet(true);
    u32 rounds = 0;
    while (attack::mailbox().victim_done != attack::DONE) {
        if (e.attack.round != nullptr) e.attack.round();
        ++rounds;
    }
    attack::set_quiet(false);
    if (e.attack.round != nullptr) attack::round_summary("rounds_contained", rounds);
    mvt::pass("attacker_done");
}

}  // namespace

// The attacker's second vCPU (second_vcpu_hog): spins until the victim is done.
void secondary_main(u32) { attack::wait_for_victim(); }

int main() {
    const u32 selector = param_selector();
    const bool is_attacker = hvc(MV_CALL_VM_INFO).r1 == 0;
    if (selector <= 2) {
        if (is_attacker)
            attacker(selector);
        else
            victim();
        return 0;
    }
    for (const SuiteEntry& e : SUITE) {
        if (e.selector != selector) continue;
        if (is_attacker)
            suite_attacker(e);
        else
            attack::victim(selector);
        return 0;
    }
    mvt::fail("selector", "no attack %u (the suite is 3-%u)", selector,
              SUITE[sizeof SUITE / sizeof SUITE[0] - 1].selector);
    return 0;
}
