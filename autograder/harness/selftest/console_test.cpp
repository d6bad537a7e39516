// SPDX-License-Identifier: MIT
// Self-tests of console parsing and of the predicates' messages, without QEMU.
#include "console.hpp"
#include "mvtest.hpp"

#include <gtest/gtest.h>

namespace mvtest {
namespace {

constexpr uint32_t kToken = 0x1234abcd;
const char kTodoLine[] =
    "MV_LAB_TODO: lab 1: handle_trap() in microvisor/kernel/trap.cpp is not written yet "
    "(book: Lab 1, \"Dispatching traps\")";

Run parsed(const std::string& console, int exit_status = 0) {
    Run run;
    run.system = "lab1-traps";
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
    const auto todo = parse_todo(std::string("[vm0] ") + kTodoLine);
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

TEST(ParseConsole, CountsOnlyLinesWithThisRunsToken) {
    const mvtest::Run run = parsed(
        "[vm0] @@MVT 1234abcd PASS alpha\n"
        "@@MVT 1234ABCD FAIL beta: r0 was 0x1: wrong\n"
        "@@MVT 00000001 PASS forged\n"
        "PASS gamma\n"
        "@@MVT 1234abcd PASSED delta\n"
        "@@MVT 1234abcd DONE");
    ASSERT_EQ(run.results.size(), 2u);
    EXPECT_TRUE(run.results[0].pass);
    EXPECT_EQ(run.results[0].name, "alpha");
    EXPECT_FALSE(run.results[1].pass);
    EXPECT_EQ(run.results[1].name, "beta");
    EXPECT_EQ(run.results[1].detail, "r0 was 0x1: wrong");
    EXPECT_EQ(run.foreign_results, 1);
    EXPECT_TRUE(run.done);
    EXPECT_EQ(run.find("forged"), nullptr);
    EXPECT_EQ(run.find("gamma"), nullptr);
}

TEST(ParseConsole, ReadsTodoPanicAndCrashes) {
    const mvtest::Run run = parsed(std::string(kTodoLine) +
                           "\nMV: VM 0 (ping) crashed: undefined instruction at 0x48000010\n"
                           "MV: VM 1 (pong) crashed: data abort\nMV_PANIC: out of VMIDs\nMV_PANIC: again\n");
    ASSERT_TRUE(run.todo);
    EXPECT_EQ(run.todo->function, "handle_trap");
    ASSERT_TRUE(run.panic);
    EXPECT_EQ(*run.panic, "out of VMIDs");
    ASSERT_EQ(run.crashes.size(), 2u);
    EXPECT_EQ(run.crashes[0], "VM 0 (ping) crashed: undefined instruction at 0x48000010");
}

TEST(RunTail, GivesTheLastLines) {
    const mvtest::Run run = parsed("1\n2\n3\n4\n");
    EXPECT_EQ(run.tail(2), "3\n4\n");
    EXPECT_EQ(run.tail(10), "1\n2\n3\n4\n");
}

TEST(Predicates, PassWhenTheGuestSaysSo) {
    const mvtest::Run run = parsed("@@MVT 1234abcd PASS alpha\n@@MVT 1234abcd DONE\n");
    EXPECT_TRUE(GuestPassed(run, "alpha"));
    EXPECT_TRUE(GuestDone(run));
    EXPECT_TRUE(ExitedWith(run, 0));
    EXPECT_TRUE(ConsoleHas(run, "PASS alpha"));
    EXPECT_TRUE(ScenarioPassed(run, "alpha"));
}

TEST(Predicates, AFailSaysWhatWasExpectedAndSeen) {
    const mvtest::Run run = parsed("@@MVT 1234abcd FAIL alpha: r0 was 5\n@@MVT 1234abcd PASS alpha\n");
    const auto r = GuestPassed(run, "alpha");
    EXPECT_FALSE(r);
    const std::string m = r.message();
    EXPECT_NE(m.find("expected: the guest reports PASS alpha"), std::string::npos) << m;
    EXPECT_NE(m.find("seen:     FAIL alpha: r0 was 5; PASS alpha"), std::string::npos) << m;
    EXPECT_NE(m.find("(no DONE)"), std::string::npos) << m;
}

TEST(Predicates, AStubNamesTheFunctionAndTheBook) {
    const mvtest::Run run = parsed(std::string("booting\n") + kTodoLine + "\n", 3);
    const std::string m = GuestPassed(run, "hvc_null").message();
    EXPECT_NE(m.find("no result named \"hvc_null\""), std::string::npos) << m;
    EXPECT_NE(m.find("not implemented: handle_trap() in microvisor/kernel/trap.cpp \u2014 see book: Lab 1, "
                     "\"Dispatching traps\""),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("exited with status 3 (a lab function is not implemented yet)"), std::string::npos) << m;
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
