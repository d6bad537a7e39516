// SPDX-License-Identifier: MIT
// The containment scenarios and the adversarial suite, with the real microvisor
// (systems/attack.toml, guests/attack). Needs working labs: a reference-build test.
//
// Selectors 1-2: an attacker VM tries to end QEMU and forges console lines; the victim VM runs
// to its end, and the harness counts nothing that was forged.
//
// Selectors 3 and up: one attack each, beside a victim VM that measures its own progress
// (loop iterations per ms of its virtual time). Each attack must be contained: the attacker
// is told (an exception, an error status) or stopped with `MV: VM 0 (attacker) crashed: ...`;
// the victim reports PASS for its memory, its registers and its own MEM_UNMAP/MEM_MAP, and
// keeps at least 90% of the rate it has beside a harmless attacker (selector 3, the baseline);
// the microvisor ends the system with its MV_EXIT line.
//
// A test whose name ends in _KnownGap shows a gap of the microvisor (issue 7): while the gap is
// there it is skipped with the symptom; once it is closed the test passes; anything else fails.
#include "console.hpp"
#include "mvtest.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <sstream>

namespace {

using mvtest::ConsoleHas;
using mvtest::ExitedWith;
using mvtest::GuestPassedIn;

constexpr char SYSTEM[] = "attack";
constexpr double TIMEOUT_S = 60;
constexpr double SUITE_TIMEOUT_S = 20;  // a run takes under 1 s of host time, WFE loops ~4 s
constexpr double HANG_TIMEOUT_S = 4;    // for the attack known to hang QEMU
constexpr double MIN_RATE = 0.90;       // of the baseline's
constexpr uint32_t BASELINE = 3;

/// The system ended by itself, cleanly, and the victim reported for itself.
void expect_contained(const mvtest::Run& run) {
    EXPECT_TRUE(ExitedWith(run, 0));
    EXPECT_EQ(run.qemu_status, 0) << "QEMU ended by the microvisor's PSCI SYSTEM_OFF";
    EXPECT_EQ(run.exit_line, 0) << "the microvisor's own MV_EXIT line";
    EXPECT_TRUE(GuestPassedIn(run, "victim", "victim_outlived_attacks"));
    EXPECT_TRUE(mvtest::GuestDone(run));
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "attacker_done"));
    EXPECT_TRUE(ConsoleHas(run, "MV: all VMs powered off"));
    EXPECT_FALSE(run.panic) << *run.panic;
    EXPECT_TRUE(run.crashes.empty()) << run.crashes.front();
    EXPECT_FALSE(run.todo);
}

TEST(Attack, SemihostingCannotEndQemu) {
    const mvtest::Run run = mvtest::boot(SYSTEM, 1, TIMEOUT_S);
    expect_contained(run);
    for (const char* name : {"a32_svc_sys_exit", "a32_svc_sys_exit_extended", "a32_svc_sys_write0",
                             "a32_hlt_sys_exit", "a32_hlt_sys_exit_extended", "t32_svc_sys_exit",
                             "t32_hlt_sys_exit_extended", "smc_psci_system_off"})
        EXPECT_TRUE(GuestPassedIn(run, "attacker", name)) << "the attempt came back to the guest as a plain exception";
    EXPECT_FALSE(ConsoleHas(run, "SEMIHOSTING-REACHED-THE-HOST")) << "SYS_WRITE0 must not reach the host";
}

TEST(Attack, ForgedConsoleLinesFoolNobody) {
    const mvtest::Run run = mvtest::boot(SYSTEM, 2, TIMEOUT_S);
    expect_contained(run);
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "victim_token_unreadable"));
    // The victim reported one result; what the attacker wrote under the victim's name counts for nobody.
    for (const mvtest::GuestResult& r : run.results)
        EXPECT_TRUE(r.vm == "attacker" || r.name == "victim_outlived_attacks") << r.name << " from " << r.vm;
    EXPECT_EQ(run.foreign_results, 3) << "forged_cr, forged_esc and forged_open, under the victim's name";
    // Its own token after a CR, to pass for a line of the microvisor's: it counts, as the attacker's own.
    EXPECT_TRUE(GuestPassedIn(run, "attacker", "forged_bare"));
    // The forgeries reached the console, escaped and behind the attacker's name ...
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[2KMV_PANIC: forged panic\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[1GMV: VM 1 (victim) crashed: forged crash\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] MV_EXIT: 2 (the microvisor panicked)\r\n"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] \\x9b2K^?^H^HMV_PANIC: forged with a C1 CSI"));
    EXPECT_TRUE(ConsoleHas(run, "\n[attacker] ^[[1GMV_PANIC: forged through the PL011\r\n"));
    // ... with no raw control byte of the guest's among them, and the victim on a line of its own.
    for (const char raw : {'\x1b', '\b', '\x7f', '\x9b'})
        EXPECT_EQ(run.console.find(raw), std::string::npos) << "raw byte " << int(static_cast<unsigned char>(raw));
    EXPECT_TRUE(ConsoleHas(run, " PASS forged_open\r\n[victim] @@MVT " + mvtest::hex8(run.tokens.at("victim")) +
                                    " PASS victim_outlived_attacks"));
    size_t exit_lines = 0;
    for (const std::string& line : mvtest::console_lines(run.console)) exit_lines += line.starts_with("MV_EXIT:");
    EXPECT_EQ(exit_lines, 1u);
}

// ---- the adversarial suite ----

/// How an attack ends when the microvisor contains it.
enum class End {
    powers_off,        ///< the attacker is told, goes on, and powers off when the victim is done
    attacker_stopped,  ///< the microvisor stops the attacker: `MV: VM 0 (attacker) crashed: <crash>`
};

struct Attack {
    uint32_t selector;
    End end;
    const char* crash = "";  ///< the crash message's reason (an ECMAScript regex), for End::attacker_stopped
    /// The attacker's VALUE that shows the attack ran (rounds, traps), and its least value.
    const char* proof = nullptr;
    long long at_least = 0;
    /// The victim's fair share of the CPU against the baseline's: 1, or less where the attacker
    /// rightly runs more vCPUs (the scheduler shares the CPU per runnable vCPU).
    double share = 1.0;
};

/// One thing that went wrong: `key` names it for known-gap matching, `text` says what was
/// expected and what was seen.
struct Problem {
    std::string key, text;
};

/// A VM's own VALUE line (`[<vm>] @@MVT <its token> VALUE <name> <n>`). Run::values does not
/// say which VM reported a value: any VM could report one under the victim's name.
std::optional<long long> value_of(const mvtest::Run& run, const std::string& vm, const std::string& name) {
    const auto token = run.tokens.find(vm);
    if (token == run.tokens.end()) return std::nullopt;
    const std::string head = "[" + vm + "] @@MVT " + mvtest::hex8(token->second) + " VALUE " + name + " ";
    std::optional<long long> v;
    for (const std::string& line : mvtest::console_lines(run.console))
        if (line.starts_with(head)) v = std::stoll(line.substr(head.size()));
    return v;
}

bool vm_done(const mvtest::Run& run, const std::string& vm) {
    const auto token = run.tokens.find(vm);
    if (token == run.tokens.end()) return false;
    const std::string done = "[" + vm + "] @@MVT " + mvtest::hex8(token->second) + " DONE";
    for (const std::string& line : mvtest::console_lines(run.console))
        if (line == done) return true;
    return false;
}

bool passed(const mvtest::Run& run, const std::string& vm, const std::string& name) {
    bool pass = false;
    for (const mvtest::GuestResult& r : run.results)
        if (r.vm == vm && r.name == name) {
            if (!r.pass) return false;
            pass = true;
        }
    return pass;
}

/// The baseline: the same system, the attacker a plain busy loop (selector 3). Once per program.
const mvtest::Run& baseline_run() {
    static const mvtest::Run run = mvtest::boot(SYSTEM, BASELINE, SUITE_TIMEOUT_S);
    return run;
}

long long baseline_rate() {
    const auto rate = value_of(baseline_run(), "victim", "victim_rate");
    return rate.value_or(0);
}

std::vector<Problem> problems_of(const mvtest::Run& run, const Attack& a, long long base) {
    std::vector<Problem> p;
    auto add = [&p](std::string key, std::string text) { p.push_back({std::move(key), std::move(text)}); };
    if (!run.error.empty()) add("error", "expected QEMU to run, saw: " + run.error);
    if (run.timed_out)
        add("hang", "expected the system to end by itself, saw QEMU still running after " +
                        std::to_string(static_cast<int>(run.timeout_s)) + " s (killed)");
    if (run.flooded) add("flood", "expected a bounded console, saw more than the output limit");
    if (run.panic) add("panic", "expected no microvisor panic, saw MV_PANIC: " + *run.panic);
    if (run.todo) add("todo", "expected every lab written, saw " + run.todo->line);
    if (!run.exit_line && !run.timed_out)
        add("exit", "expected the microvisor's MV_EXIT line, saw none (QEMU status " + std::to_string(run.qemu_status) +
                        ")");
    const std::string crash =
        a.end == End::attacker_stopped ? std::string("VM 0 \\(attacker\\) crashed: ") + a.crash : "";
    const int want_status = a.end == End::attacker_stopped ? 1 : 0;
    if (run.exit_line && run.exit_status != want_status)
        add("exit", "expected MV_EXIT: " + std::to_string(want_status) + " (" + mvtest::exit_meaning(want_status) +
                        "), saw MV_EXIT: " + std::to_string(run.exit_status) + " (" +
                        mvtest::exit_meaning(run.exit_status) + ")");
    for (const std::string& c : run.crashes)
        if (crash.empty() || !std::regex_match(c, std::regex(crash)))
            add("crash", "expected " + (crash.empty() ? std::string("no crash") : "only \"MV: " + crash + "\"") +
                             ", saw \"MV: " + c + "\"");
    if (!crash.empty() && run.crashes.empty() && !run.timed_out)
        add("crash", "expected \"MV: " + crash + "\", saw no crash of the attacker");

    // The victim: its own results, all PASS, to its DONE.
    for (const char* name : {"victim_measured", "victim_memory_intact", "victim_cp15_state_intact",
                             "victim_split_block_intact", "victim_mem_unmap_map"})
        if (!passed(run, "victim", name))
            add(std::string("victim:") + name, std::string("expected the victim's PASS ") + name + ", saw none");
    for (const mvtest::GuestResult& r : run.results)
        if (!r.pass) {
            const std::string key = r.vm + ":" + r.name;
            std::erase_if(p, [&key](const Problem& q) { return q.key == key; });
            add(key, "expected PASS " + r.name + " from " + r.vm + ", saw FAIL " + r.name + ": " + r.detail);
        }
    if (!vm_done(run, "victim")) add("victim:done", "expected the victim's DONE, saw none");
    if (a.end == End::powers_off && !passed(run, "attacker", "attacker_done") &&
        !passed(run, "attacker", "attacker_released"))
        add("attacker:end",
            "expected the attacker to go on and report attacker_done (or attacker_released), saw neither");

    // The attack ran as long as the victim measured.
    if (a.proof != nullptr) {
        const auto v = value_of(run, "attacker", a.proof);
        if (!v || *v < a.at_least)
            add(std::string("attacker:") + a.proof,
                std::string("expected the attacker's VALUE ") + a.proof + " at least " + std::to_string(a.at_least) +
                    " (the attack ran while the victim measured), saw " + (v ? std::to_string(*v) : "none"));
    }

    // The victim's progress.
    const auto rate = value_of(run, "victim", "victim_rate");
    const long long floor = static_cast<long long>(static_cast<double>(base) * a.share * MIN_RATE);
    if (!rate)
        add("victim_rate", "expected the victim's VALUE victim_rate, saw none");
    else if (*rate < floor) {
        char text[200];
        std::snprintf(text, sizeof text,
                      "expected the victim's rate at least %.0f%% of the baseline's %lld, i.e. %lld iterations/ms; "
                      "saw %lld (%.1f%%), longest time away %lld us",
                      MIN_RATE * a.share * 100, base, floor, *rate,
                      100.0 * static_cast<double>(*rate) / static_cast<double>(base),
                      value_of(run, "victim", "victim_max_gap_us").value_or(-1));
        add("victim_rate", text);
    }
    return p;
}

std::string describe(const std::vector<Problem>& problems, const mvtest::Run& run) {
    std::ostringstream o;
    for (const Problem& q : problems) o << "  - " << q.text << "\n";
    o << "last 15 console lines of " << run.system << " (selector " << run.selector << "):\n";
    std::istringstream lines(run.tail(15));
    for (std::string line; std::getline(lines, line);) o << "  | " << line.substr(0, 300) << "\n";
    return o.str();
}

/// A key matches a known symptom if it starts with one of `known`.
bool known(const Problem& q, const std::vector<std::string>& symptoms) {
    for (const std::string& s : symptoms)
        if (q.key.starts_with(s)) return true;
    return false;
}

/// Runs attack `a` and checks containment. With `symptoms`, the known gap's: if every problem is
/// one of them, the test is skipped with `gap` and the problems; if none is left, it passes.
void run_attack(const Attack& a, const std::vector<std::string>& symptoms = {}, const std::string& gap = "",
                double timeout_s = SUITE_TIMEOUT_S) {
    const long long base = baseline_rate();
    ASSERT_GT(base, 0) << "the baseline run (selector " << BASELINE << ") reported no victim_rate:\n"
                       << baseline_run().tail(15);
    const mvtest::Run run = mvtest::boot(SYSTEM, a.selector, timeout_s);
    const auto rate = value_of(run, "victim", "victim_rate");
    if (rate) {
        ::testing::Test::RecordProperty("victim_rate", std::to_string(*rate));
        ::testing::Test::RecordProperty("baseline_rate", std::to_string(base));
        std::printf("victim rate %lld iterations/ms, %.1f%% of the baseline's %lld; %.2f s\n", *rate,
                    100.0 * static_cast<double>(*rate) / static_cast<double>(base), base, run.elapsed_s);
    }
    const std::vector<Problem> problems = problems_of(run, a, base);
    if (problems.empty()) {
        if (!symptoms.empty())
            std::printf("the known gap is closed (%s): drop _KnownGap from the test's name\n", gap.c_str());
        return;
    }
    bool all_known = !symptoms.empty();
    for (const Problem& q : problems) all_known = all_known && known(q, symptoms);
    if (all_known) GTEST_SKIP() << "KNOWN GAP: " << gap << "\n" << describe(problems, run);
    ADD_FAILURE() << "attack " << a.selector << " was not contained:\n" << describe(problems, run);
}

TEST(AttackSuite, BaselineIsClean) {
    const mvtest::Run& run = baseline_run();
    const std::vector<Problem> problems = problems_of(run, {BASELINE, End::powers_off, ""}, 1);
    EXPECT_TRUE(problems.empty()) << describe(problems, run);
    // Two VMs of one priority share the CPU: the victim gets about half of it.
    const auto rate = value_of(run, "victim", "victim_rate");
    const auto gap = value_of(run, "victim", "victim_max_gap_us");
    ASSERT_TRUE(rate && gap) << describe(problems, run);
    EXPECT_LE(*gap, 1100) << "expected time slices of 1 ms, saw the victim away for " << *gap << " us";
    EXPECT_TRUE(passed(run, "attacker", "attacker_done")) << describe(problems, run);
}

// Memory: the other VM's and the microvisor's, by guest-physical and physical address.
TEST(AttackSuite, MemoryOfTheOtherVm) { run_attack({4, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, MemoryOfTheMicrovisor) { run_attack({5, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, PhysicalGicdGiccGichGicv) { run_attack({6, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, EmulatedUartOddAccesses) { run_attack({7, End::powers_off, "", "attacker_rounds", 5}); }

// System registers from PL1.
TEST(AttackSuite, SetWayCacheOpsAndImpdefRegisters_KnownGap) {
    // The microvisor sets HCR.TSW, TAC and TIDCP and handles the traps (kernel/cp15_traps.cpp),
    // but QEMU 7.2's Cortex-A15 does not trap them: its ARMv7 CP15 tables check no HCR bit for
    // set/way operations (a no-op there), ACTLR or L2CTLR/L2ECTLR. What this run can show is
    // that nothing else breaks; on a QEMU or CPU that traps, the test passes.
    run_attack({8, End::powers_off, "", "attacker_rounds", 100},
               {"attacker:dcisw", "attacker:dccsw", "attacker:dccisw", "attacker:actlr", "attacker:l2ctlr",
                "attacker:l2ectlr", "attacker:rounds_contained"},
               "QEMU 7.2 (cortex-a15) ignores HCR.TSW, TAC and TIDCP: DCISW/DCCSW/DCCISW, ACTLR and L2CTLR/L2ECTLR run "
               "at PL1 without a trap to HYP (as QEMU no-ops), although the microvisor sets the bits");
}
TEST(AttackSuite, PmuRegisters) { run_attack({9, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, TimerRegisters) { run_attack({10, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, HypRegisters) { run_attack({11, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, ThumbEeRegisters) { run_attack({12, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, VirtualTimerCompareNearTheTop_KnownGap) {
    // QEMU 7.2 loops forever in its timer code on a compare value near 2^64 under a non-zero
    // CNTVOFF (issue 7), and ignores SIGTERM: the harness kills it.
    run_attack({30, End::powers_off, ""}, {"hang", "exit", "victim", "attacker:end"},
               "QEMU 7.2 hangs when a guest sets CNTV_CVAL near 2^64 with CNTVOFF non-zero; the microvisor does not "
               "avoid the trigger",
               HANG_TIMEOUT_S);
}

// Calls.
TEST(AttackSuite, SmcWithGarbage) { run_attack({13, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, PsciWithGarbage) { run_attack({14, End::powers_off, "", "attacker_rounds", 10}); }
TEST(AttackSuite, VendorCallsWithHostileArguments) { run_attack({15, End::powers_off, "", "attacker_rounds", 5}); }
TEST(AttackSuite, MemMapAndUnmapAimedAtOthers) { run_attack({16, End::powers_off, "", "attacker_rounds", 100}); }
// Stage-2 tables: each VM within its own quota (MV_NO_MEMORY), emptied tables back to the pool.
TEST(AttackSuite, BlockSplitsExhaustOwnQuotaOnly) { run_attack({17, End::powers_off, ""}); }
TEST(AttackSuite, FreedTablesStayOutOfReach) { run_attack({32, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, SplitsThenResetGiveTheQuotaBack) { run_attack({33, End::powers_off, ""}); }
// A MEM_MAP of a 32 MiB region runs about 0.8 ms in HYP (a translate per 4 KiB page); the time
// it runs past the end of the caller's slice shortens the caller's next slice (kernel/scheduler.cpp).
TEST(AttackSuite, LongMemMapCallsAreChargedToTheCaller) { run_attack({31, End::powers_off, ""}); }

// The CPU: hogs, storms, waiting, starting and resetting.
TEST(AttackSuite, CpuHogWithIrqsMasked) { run_attack({18, End::powers_off, ""}); }
TEST(AttackSuite, FaultInsideOwnVectorTable) { run_attack({19, End::powers_off, "", "attacker_storm_traps", 1000}); }
TEST(AttackSuite, VectorsJumpToUnmappedMemory) { run_attack({20, End::powers_off, "", "attacker_storm_traps", 1000}); }
TEST(AttackSuite, SmcStormInUndefVector) { run_attack({21, End::powers_off, "", "attacker_storm_traps", 1000}); }
TEST(AttackSuite, StageTwoAbortLoop) { run_attack({22, End::powers_off, "", "attacker_aborts", 1000}); }
TEST(AttackSuite, VbarAtUnmappedMemory) {
    run_attack({23, End::attacker_stopped, "prefetch abort at its own exception vector 0x30000004"});
}
TEST(AttackSuite, OwnVectorPageUnmapped) {
    run_attack({24, End::attacker_stopped, "prefetch abort at its own exception vector 0x42000004"});
}
TEST(AttackSuite, WfiForeverWithTimerOff) {
    run_attack({25, End::attacker_stopped, "deadlocked: all its vCPUs wait for nothing"});
}
TEST(AttackSuite, WfiLoopWithExpiredMaskedTimer) { run_attack({26, End::powers_off, "", "attacker_wfis", 1000}); }
TEST(AttackSuite, WfeLoop) { run_attack({27, End::powers_off, ""}); }
TEST(AttackSuite, CpuOnWithBadEntry) {
    run_attack({28, End::attacker_stopped, "prefetch abort at its own exception vector 0xc"});
}
TEST(AttackSuite, ResetLoop) { run_attack({29, End::powers_off, "", "attacker_resets", 10}); }
TEST(AttackSuite, StageOneTablesNowhere) {
    run_attack({36, End::attacker_stopped, "prefetch abort at its own exception vector 0x4000[0-9a-f]{4}"});
}

TEST(AttackSuite, HighVectors) {
    run_attack({41, End::attacker_stopped, "prefetch abort at its own exception vector 0xffff0004"});
}

// The attacker leaves an LDREX open whenever the HYP timer switches to the victim; the victim's
// first STREX (no LDREX of its own, same virtual address) after each switch must fail.
TEST(AttackSuite, ExclusiveMonitorAcrossVmSwitches) { run_attack({40, End::powers_off, ""}); }

// The attacker starts its second vCPU and spins on both: three runnable vCPUs, one of them the
// victim's. The victim keeps one share of three (2/3 of its baseline rate), no less.
TEST(AttackSuite, SecondVcpuTakesOneShareOnly) {
    run_attack({39, End::powers_off, "", nullptr, 0, 2.0 / 3.0});
}

// CPU state: VFP registers, HYP's modes and banked registers, calls from PL0, Thumb IT blocks.
TEST(AttackSuite, VfpRegistersStayPerVm) { run_attack({34, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, HypModeAndBankedRegisters) { run_attack({35, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, EmulatedAccessesInThumbItBlocks) { run_attack({37, End::powers_off, "", "attacker_rounds", 100}); }
TEST(AttackSuite, TrappedWfiInThumbItBlock_KnownGap) {
    run_attack({38, End::powers_off, "", "attacker_rounds", 100},
               {"attacker:it_trapped_wfi", "attacker:rounds_contained"},
               "QEMU 7.2 reports a WFI trapped inside an IT block with ITSTATE already advanced past it (it writes "
               "the next instruction's IT state before its WFI helper raises the trap); the microvisor advances it "
               "once more, as the ARM ARM says, and the next instruction of the block runs under the wrong condition");
}

}  // namespace
