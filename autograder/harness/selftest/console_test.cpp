// SPDX-License-Identifier: MIT
// Self-tests of console parsing and of the predicates' messages, without QEMU.
#include "console.hpp"
#include "mvtest.hpp"

#include <gtest/gtest.h>

namespace mvtest {
namespace {

constexpr uint32_t kToken = 0x1234abcd;   // VM "vm0"'s
constexpr uint32_t kToken1 = 0x5678ef01;  // VM "vm1"'s
const char kTodoLine[] =
    "MV_LAB_TODO: lab 1: handle_trap() in microvisor/kernel/trap.cpp is not written yet "
    "(book: Lab 1, \"Dispatching traps\")";

Run parsed(const std::string& console, int exit_status = 0) {
    Run run;
    run.system = "lab1-traps";
    run.tokens = {{"vm0", kToken}, {"vm1", kToken1}};
    run.token = kToken;
    run.exit_status = exit_status;
    run.console = console;
    parse_console(run);
    return run;
}

TEST(ConsoleLines, DropsCarriageReturnsAndColour) {
    const auto lines = console_lines("a\r\n\x1b[1;32mgreen\x1b[0m\nlast");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "a");
    EXPECT_EQ(lines[1], "green");
    EXPECT_EQ(lines[2], "last");
}

TEST(ParseTodo, ReadsLabFunctionFileAndSection) {
    const auto todo = parse_todo(kTodoLine);
    ASSERT_TRUE(todo);
    EXPECT_EQ(todo->lab, 1);
    EXPECT_EQ(todo->function, "handle_trap");
    EXPECT_EQ(todo->file, "microvisor/kernel/trap.cpp");
    EXPECT_EQ(todo->section, "Lab 1, \"Dispatching traps\"");
    EXPECT_EQ(todo->line, kTodoLine);
}

TEST(ParseTodo, KeepsAnUnexpectedLineWhole) {
    const auto todo = parse_todo("MV_LAB_TODO: something else");
    ASSERT_TRUE(todo);
    EXPECT_EQ(todo->lab, 0);
    EXPECT_EQ(todo->line, "MV_LAB_TODO: something else");
    EXPECT_FALSE(parse_todo("no marker here"));
}

TEST(ParseTodo, OnlyAtTheStartOfALine) {
    EXPECT_FALSE(parse_todo(std::string("[vm0] ") + kTodoLine)) << "a guest's line is not the microvisor's";
    EXPECT_FALSE(parse_todo(std::string(" ") + kTodoLine));
}

TEST(ParseExitLine, ReadsTheStatusAtTheStartOfALine) {
    EXPECT_EQ(parse_exit_line("MV_EXIT: 0 (every VM powered off)"), 0);
    EXPECT_EQ(parse_exit_line("MV_EXIT: 3"), 3);
    EXPECT_FALSE(parse_exit_line("[vm0] MV_EXIT: 2 (the microvisor panicked)"));
    EXPECT_FALSE(parse_exit_line("x MV_EXIT: 2"));
    EXPECT_FALSE(parse_exit_line("MV_EXIT: two"));
    EXPECT_FALSE(parse_exit_line("MV_EXIT: 12345"));
}

TEST(ParseConsole, CountsOnlyLinesWithTheirVmsToken) {
    const mvtest::Run run = parsed(
        "[vm0] @@MVT 1234abcd PASS alpha\n"
        "[vm1] @@MVT 5678EF01 FAIL beta: r0 was 0x1: wrong\n"
        "[vm0] @@MVT 00000001 PASS forged\n"
        "PASS gamma\n"
        "[vm0] @@MVT 1234abcd PASSED delta\n"
        "[vm0] @@MVT 1234abcd DONE");
    ASSERT_EQ(run.results.size(), 2u);
    EXPECT_TRUE(run.results[0].pass);
    EXPECT_EQ(run.results[0].name, "alpha");
    EXPECT_EQ(run.results[0].vm, "vm0");
    EXPECT_FALSE(run.results[1].pass);
    EXPECT_EQ(run.results[1].name, "beta");
    EXPECT_EQ(run.results[1].detail, "r0 was 0x1: wrong");
    EXPECT_EQ(run.results[1].vm, "vm1");
    EXPECT_EQ(run.foreign_results, 2) << "another token, and no such verb";
    EXPECT_TRUE(run.done);
    EXPECT_EQ(run.find("forged"), nullptr);
    EXPECT_EQ(run.find("gamma"), nullptr);
}

TEST(ParseConsole, AResultLineCountsOnlyUnderItsOwnVmsPrefix) {
    const mvtest::Run run = parsed(
        "[vm1] @@MVT 1234abcd PASS other_prefix\n"       // vm0's token under vm1's name
        "[vm0] [vm1] @@MVT 5678ef01 PASS nested\n"      // vm1's line inside vm0's
        "[vm0] x @@MVT 1234abcd PASS inline\n"          // not at the start
        "@@MVT 1234abcd PASS bare\n"                    // no VM prefix: the microvisor's own print
        " [vm0] @@MVT 1234abcd PASS indented\n"
        "[vm2] @@MVT 1234abcd PASS no_such_vm\n"
        "[vm0]@@MVT 1234abcd PASS no_space\n"
        "[vm0] @@MVT 1234abcd PASS genuine\n");
    ASSERT_EQ(run.results.size(), 1u);
    EXPECT_EQ(run.results[0].name, "genuine");
    EXPECT_EQ(run.foreign_results, 7);
    EXPECT_TRUE(GuestPassedIn(run, "vm0", "genuine"));
    const std::string m = GuestPassedIn(run, "vm1", "genuine").message();
    EXPECT_NE(m.find("no result named \"genuine\" from VM vm1"), std::string::npos) << m;
    EXPECT_NE(m.find("7 @@MVT line(s) were ignored"), std::string::npos) << m;
}

TEST(ParseConsole, AVmWithoutAParameterPageHasNoResults) {
    mvtest::Run run;
    run.tokens = {{"vm0", kToken}};
    run.console = "[vm1] @@MVT 00000000 PASS zero\n[vm0] @@MVT 1234abcd PASS ok\n";
    parse_console(run);
    ASSERT_EQ(run.results.size(), 1u);
    EXPECT_EQ(run.results[0].vm, "vm0");
}

TEST(ParseConsole, ReadsTodoPanicCrashesAndTheExitLine) {
    const mvtest::Run run = parsed(std::string(kTodoLine) +
                           "\nMV: VM 0 (ping) crashed: undefined instruction at 0x48000010\n"
                           "MV: VM 1 (pong) crashed: data abort\nMV_PANIC: out of VMIDs\nMV_PANIC: again\n"
                           "MV_EXIT: 2 (the microvisor panicked)\n");
    ASSERT_TRUE(run.todo);
    EXPECT_EQ(run.todo->function, "handle_trap");
    ASSERT_TRUE(run.panic);
    EXPECT_EQ(*run.panic, "out of VMIDs");
    ASSERT_EQ(run.crashes.size(), 2u);
    EXPECT_EQ(run.crashes[0], "VM 0 (ping) crashed: undefined instruction at 0x48000010");
    EXPECT_EQ(run.exit_line, 2);
}

TEST(ParseConsole, MicrovisorMarkersCountOnlyAtTheStartOfALine) {
    // What a guest's forged lines look like once the microvisor has prefixed and escaped them.
    const mvtest::Run run = parsed(
        "[vm0] MV_PANIC: forged\n"
        "[vm0] ^MMV_PANIC: carriage return\n"
        "[vm0] ^[[2K^[[1GMV_PANIC: escape sequences\n"
        "[vm1] MV: VM 0 (vm0) crashed: forged\n"
        "[vm0] x MV: VM 1 (vm1) crashed: inside a line\n"
        "[vm0] " + std::string(kTodoLine) + "\n"
        "[vm0] MV_EXIT: 2 (the microvisor panicked)\n"
        "MV: VM 0 (vm0) powered off\n"
        "MV_EXIT: 0 (every VM powered off)\n");
    EXPECT_FALSE(run.panic);
    EXPECT_TRUE(run.crashes.empty());
    EXPECT_FALSE(run.todo);
    EXPECT_EQ(run.exit_line, 0);
}

TEST(ParseConsole, RawControlBytesDoNotMakeALineStart) {
    // Were a guest's CR or ESC to reach the console raw, the line would still not start
    // with the marker: the harness removes them, it does not start a line at them.
    const mvtest::Run run = parsed("[vm0] \rMV_PANIC: cr\n[vm0] \x1b[1G\x1b[2KMV_PANIC: esc\n"
                                   "[vm1] \r[vm0] @@MVT 1234abcd PASS cr_forged\n");
    EXPECT_FALSE(run.panic);
    EXPECT_TRUE(run.results.empty());
    EXPECT_EQ(run.foreign_results, 1);
}

TEST(ExitLineWatcher, FindsTheLineInPieces) {
    ExitLineWatcher w;
    EXPECT_FALSE(w.status());
    for (const char* piece : {"[vm0] MV_EXIT: 2\r\n", "MV_EX", "IT: 3 (a lab", " function)\r", "\nMV: x\n"}) w.feed(piece);
    EXPECT_EQ(w.status(), 3);
    w.feed("MV_EXIT: 0 (every VM powered off)");  // a last line without '\n'
    EXPECT_EQ(w.status(), 0);
    ExitLineWatcher forged;
    forged.feed("[vm0] MV_EXIT: 0\n" + std::string(100, 'x') + "MV_EXIT: 1\n");
    EXPECT_FALSE(forged.status());
}

TEST(QemuNoiseFilter, DropsOnlyThatLineWhole) {
    const std::string noise = "qemu-system-arm: warning: icount sleep disabled and no active timers\n";
    QemuNoiseFilter f;
    std::string out;
    const std::string console = "MV_EXIT: 0\r\n" + noise + "qemu-system-arm: warning: other\n" + "q\n[vm0] qemu\n";
    for (const char c : console) out += f.feed(std::string(1, c));  // in the smallest pieces
    out += f.flush();
    EXPECT_EQ(out, "MV_EXIT: 0\r\nqemu-system-arm: warning: other\nq\n[vm0] qemu\n");
    EXPECT_EQ(without_qemu_noise("[vm0] " + noise), "[vm0] " + noise) << "only at the start of a line";
    EXPECT_EQ(without_qemu_noise(noise.substr(0, 20)), noise.substr(0, 20)) << "a held piece comes out at the end";
    QemuNoiseFilter live;
    EXPECT_EQ(live.feed("[vm0] prompt> "), "[vm0] prompt> ") << "a guest's open line is not held back";
}

TEST(SystemStatus, ComesFromTheExitLineWhenQemuExitedWithZero) {
    EXPECT_EQ(system_status(0, 2), 2);
    EXPECT_EQ(system_status(0, std::nullopt), kNoExitLine);
    EXPECT_EQ(system_status(1, std::nullopt), 1) << "QEMU's own failure";
    EXPECT_EQ(system_status(1, 0), 1);
    EXPECT_NE(exit_meaning(kNoExitLine).find("no MV_EXIT line"), std::string::npos);
}

TEST(RunTail, GivesTheLastLines) {
    const mvtest::Run run = parsed("1\n2\n3\n4\n");
    EXPECT_EQ(run.tail(2), "3\n4\n");
    EXPECT_EQ(run.tail(10), "1\n2\n3\n4\n");
}

TEST(Predicates, PassWhenTheGuestSaysSo) {
    const mvtest::Run run = parsed("[vm0] @@MVT 1234abcd PASS alpha\n[vm0] @@MVT 1234abcd DONE\n");
    EXPECT_TRUE(GuestPassed(run, "alpha"));
    EXPECT_TRUE(GuestDone(run));
    EXPECT_TRUE(ExitedWith(run, 0));
    EXPECT_TRUE(ConsoleHas(run, "PASS alpha"));
    EXPECT_TRUE(ScenarioPassed(run, "alpha"));
}

TEST(Predicates, AFailSaysWhatWasExpectedAndSeen) {
    const mvtest::Run run = parsed("[vm0] @@MVT 1234abcd FAIL alpha: r0 was 5\n[vm1] @@MVT 5678ef01 PASS alpha\n");
    const auto r = GuestPassed(run, "alpha");
    EXPECT_FALSE(r);
    const std::string m = r.message();
    EXPECT_NE(m.find("expected: the guest reports PASS alpha"), std::string::npos) << m;
    EXPECT_NE(m.find("seen:     FAIL alpha: r0 was 5 [vm0]; PASS alpha [vm1]"), std::string::npos) << m;
    EXPECT_TRUE(GuestPassedIn(run, "vm1", "alpha"));
    EXPECT_FALSE(GuestPassedIn(run, "vm0", "alpha"));
    EXPECT_NE(m.find("(no DONE)"), std::string::npos) << m;
}

TEST(Predicates, AStubNamesTheFunctionAndTheBook) {
    mvtest::Run run = parsed(std::string("booting\n") + kTodoLine + "\nMV_EXIT: 3\n", 3);
    run.qemu_status = 0;
    const std::string m = GuestPassed(run, "hvc_null").message();
    EXPECT_NE(m.find("no result named \"hvc_null\""), std::string::npos) << m;
    EXPECT_NE(m.find("not implemented: handle_trap() in microvisor/kernel/trap.cpp \u2014 see book: Lab 1, "
                     "\"Dispatching traps\""),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("the microvisor ended the system with status 3 (a lab function is not implemented yet)"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("  | booting\n"), std::string::npos) << m;
    EXPECT_NE(std::string(ScenarioPassed(run, "hvc_null").message()).find("handle_trap()"), std::string::npos);
}

TEST(Predicates, OnlyFifteenConsoleLinesAreShown) {
    std::string console;
    for (int i = 1; i <= 40; ++i) console += "line " + std::to_string(i) + "\n";
    const std::string m = GuestDone(parsed(console + std::string(10000, 'y'))).message();
    EXPECT_NE(m.find("| " + std::string(300, 'y') + " ...\n"), std::string::npos) << m;
    EXPECT_EQ(m.find("| line 26\n"), std::string::npos) << m;
    EXPECT_NE(m.find("| line 27\n"), std::string::npos) << m;
    EXPECT_NE(m.find("| line 40\n"), std::string::npos) << m;
}

TEST(Predicates, TheConsoleIsShownOnceARun) {
    const mvtest::Run run = parsed("booting\n[vm0] @@MVT 1234abcd PASS alpha\n");
    const std::string first = GuestPassed(run, "beta").message();
    const std::string second = ConsoleHas(run, "gamma").message();
    EXPECT_NE(first.find("  | booting"), std::string::npos) << first;
    EXPECT_NE(second.find("expected: the console shows \"gamma\""), std::string::npos) << second;
    EXPECT_EQ(second.find("  | booting"), std::string::npos) << "shown twice:\n" << second;
    EXPECT_NE(second.find("under the first failure above"), std::string::npos) << second;
    EXPECT_NE(second.find("QEMU exited with status 0"), std::string::npos) << "the reason is in each:\n" << second;
}

TEST(ParseConsole, RecordsWhichVmReportedValuesAndDone) {
    const mvtest::Run run = parsed(
        "[vm1] @@MVT 5678ef01 VALUE ticks 300\n[vm0] @@MVT 1234abcd VALUE ticks 7\n"
        "[vm1] @@MVT 5678ef01 VALUE lost 4096\n[vm1] @@MVT 5678ef01 DONE\n");
    EXPECT_EQ(run.values.at("ticks"), 7);
    EXPECT_EQ(run.value_vm.at("ticks"), "vm0");
    EXPECT_EQ(run.value_vm.at("lost"), "vm1");
    ASSERT_EQ(run.done_vms.size(), 1u);
    EXPECT_EQ(run.done_vms[0], "vm1");
    const std::string m = ValueIn(run, "lost", 0, 1).message();
    EXPECT_NE(m.find("lost = 4096 (0x1000) (from VM vm1)"), std::string::npos) << m;
    EXPECT_NE(m.find("DONE from vm1"), std::string::npos) << m;
}

TEST(Predicates, ExitedWithNamesTimeoutAndFlood) {
    mvtest::Run run = parsed("");
    run.timed_out = true;
    run.timeout_s = 2;
    run.exit_status = -1;
    const std::string m = ExitedWith(run, 0).message();
    EXPECT_NE(m.find("seen:     a timeout"), std::string::npos) << m;
    EXPECT_NE(m.find("still running after 2.0 s"), std::string::npos) << m;
    run.timed_out = false;
    run.flooded = true;
    EXPECT_NE(std::string(ExitedWith(run, 0).message()).find("flood:"), std::string::npos);
    EXPECT_FALSE(ConsoleHas(run, "x"));
}

}  // namespace
}  // namespace mvtest
