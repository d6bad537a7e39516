#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of tools/grade.py against fake-lab, a GoogleTest program with one passing and one failing test.

usage: test_grade.py <path of grade.py> <path of harness-fake-lab>
"""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

GRADE_PY = FAKE_LAB = None
sys.dont_write_bytecode = True  # importing grade.py must leave no __pycache__ in tools/


def process_alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def eventually(check, seconds=5):
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


class GradeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="grade-test-")
        self.dir = Path(self.tmp.name)
        self.build = Path(FAKE_LAB).parent
        self.manifest = self.write_manifest([
            {"name": "Fake.Passes", "points": 2, "hint": "passing needs nothing"},
            {"name": "Fake.Fails", "points": 3, "hint": "HINT-FOR-FAILS"},
            {"name": "Fake.Missing", "points": 1},
        ])

    def tearDown(self):
        self.tmp.cleanup()

    def write_manifest(self, tests, name="manifest.json"):
        manifest = {"course": "Test Course", "labs": [
            {"id": 1, "name": "traps", "binary": Path(FAKE_LAB).name,
             "functions": [{"name": "decode_hsr", "file": "kernel/hsr.cpp"}], "tests": tests},
            {"id": 2, "name": "vcpu", "binary": "missing/autograder-lab2",
             "functions": [{"name": "switch_to", "file": "kernel/vcpu.cpp"}],
             "tests": [{"name": "Vcpu.Switch", "points": 4}]}]}
        path = self.dir / name
        path.write_text(json.dumps(manifest))
        return path

    def grade(self, *args, mode=None, manifest=None, build=None, cwd=None, timeout=60):
        env = dict(os.environ)
        env.pop("FAKE_LAB_MODE", None)
        if mode:
            env["FAKE_LAB_MODE"] = mode
        env["FAKE_LAB_PIDFILE"] = str(self.dir / "lab.pid")
        cmd = [sys.executable, GRADE_PY, "--manifest", str(manifest or self.manifest),
               "--build-dir", str(build or self.build), *args]
        return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)

    def test_table_failures_and_score(self):
        r = self.grade("--lab", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        self.assertRegex(out, r"Fake\.Passes +2/2 +PASS")
        self.assertRegex(out, r"Fake\.Fails +0/3 +FAIL")
        self.assertRegex(out, r"Fake\.Missing +0/1 +FAIL")
        self.assertRegex(out, r"total +2/6")
        self.assertIn("expected 3, saw 4", out)
        self.assertIn("Hint: HINT-FOR-FAILS", out)
        self.assertIn(f"test not found in {Path(FAKE_LAB).name}", out)
        self.assertIn("warning: lab 1: Fake.Extra is in", out)
        self.assertEqual(out.rstrip("\n").splitlines()[-1], "Score: 2/6")

    def test_fail_fast_stops_at_the_first_failure(self):
        manifest = self.write_manifest([
            {"name": "Fake.Passes", "points": 2}, {"name": "Fake.Fails", "points": 3},
            {"name": "Fake.Extra", "points": 1}], name="extra.json")
        r = self.grade("--lab", "1", "--fail-fast", manifest=manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Fake\.Passes +2/2 +PASS")
        self.assertRegex(r.stdout, r"Fake\.Extra +0/1 +FAIL", "the test after the failure must not run")
        self.assertIn("skipped", r.stdout)
        self.assertEqual(r.stdout.rstrip("\n").splitlines()[-1], "Score: 2/6")

    def test_a_relative_build_dir(self):
        r = self.grade("--lab", "1", build=self.build.name, cwd=self.build.parent)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.rstrip("\n").splitlines()[-1], "Score: 2/6")

    def test_long_messages_keep_their_start_and_end(self):
        spec = importlib.util.spec_from_file_location("grade", GRADE_PY)
        grade = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(grade)
        lines = grade.trimmed("\n".join(f"line {i}" for i in range(1, 101)) + "\n" + "x" * 5000).splitlines()
        self.assertEqual(len(lines), grade.MESSAGE_LINES)
        self.assertEqual(lines[0], "line 1")
        self.assertIn("lines left out", lines[grade.MESSAGE_HEAD_LINES])
        self.assertEqual(lines[-2], "line 100")
        self.assertEqual(lines[-1], "x" * grade.LINE_CHARS + " ...")
        self.assertEqual(grade.headline("a/b.cpp:12: Failure\nValue of: x"), "Value of: x")

    def test_messages_lose_gtest_wrapping_and_console_lines_first(self):
        spec = importlib.util.spec_from_file_location("grade", GRADE_PY)
        grade = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(grade)
        block = ("\nexpected: {0}\nseen:     nothing\nguest reported: no results\n"
                 "last 15 console lines of x (selector 7):\n" + "\n".join(f"  | {{0}} {i}" for i in range(20)) + "\n")
        message = ("a/s.cpp:20: Failure\nValue of: ScenarioPassed(run, \"a\")\n  Actual: false ("
                   + block.format("first") + ")\nExpected: true\nunknown file: Failure\n"
                   + "a/s.cpp:21: Failure\nValue of: ConsoleHas(run, \"b\")\n  Actual: false ("
                   + block.format("second") + ")\nExpected: true")
        text = grade.trimmed(message)
        self.assertNotIn("Value of", text)
        self.assertNotIn("Actual: false", text)
        self.assertNotIn("Expected: true", text)
        self.assertNotIn("unknown file", text)
        self.assertEqual(grade.headline(message), "expected: first")
        lines = text.splitlines()
        self.assertLessEqual(len(lines), grade.MESSAGE_LINES)
        # Both expectations survive whole; only old console lines go, and the newest stay.
        for kept in ("expected: first", "expected: second", "  | first 19", "  | second 19"):
            self.assertIn(kept, lines)
        self.assertNotIn("  | first 0", lines)
        self.assertNotIn("lines left out)", text.replace("earlier console lines left out)", ""))

    def test_results_json_and_junit(self):
        results, junit = self.dir / "results.json", self.dir / "junit.xml"
        r = self.grade("--lab", "1", "--results", str(results), "--junit", str(junit))
        self.assertEqual(r.returncode, 0, r.stderr)
        data = json.loads(results.read_text())
        self.assertEqual((data["score"], data["max_score"], data["visibility"]), (2, 6, "visible"))
        tests = {t["name"]: t for t in data["tests"]}
        self.assertEqual(set(tests), {"Lab 1 / Fake.Passes", "Lab 1 / Fake.Fails", "Lab 1 / Fake.Missing"})
        self.assertEqual(tests["Lab 1 / Fake.Passes"]["status"], "passed")
        fails = tests["Lab 1 / Fake.Fails"]
        self.assertEqual((fails["score"], fails["max_score"], fails["status"]), (0, 3, "failed"))
        self.assertIn("expected 3, saw 4", fails["output"])
        self.assertIn("HINT-FOR-FAILS", fails["output"])
        self.assertIn("Score: 2/6", data["output"])
        root = ET.parse(junit).getroot()
        self.assertEqual((root.tag, root.get("tests"), root.get("failures")), ("testsuites", "3", "2"))
        cases = root.findall("testsuite/testcase")
        self.assertEqual(len(cases), 3)
        self.assertEqual(sum(c.find("failure") is not None for c in cases), 2)

    def test_expect_full(self):
        self.assertEqual(self.grade("--lab", "1", "--expect", "full").returncode, 1)
        manifest = self.write_manifest([{"name": "Fake.Passes", "points": 2}], "passing.json")
        r = self.grade("--lab", "1", "--expect", "full", manifest=manifest)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_expect_zero(self):
        r = self.grade("--lab", "1", "--expect", "zero")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--expect zero: expected 0 points, got 2", r.stdout)
        manifest = self.write_manifest([{"name": "Fake.Passes", "points": 2},
                                        {"name": "Fake.Fails", "points": 3}], "stubbed.json")
        r = self.grade("--lab", "1", "--expect", "zero", mode="stub", manifest=manifest)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(r.stdout.rstrip().splitlines()[-1], "Score: 0/5")
        r = self.grade("--lab", "1", "--expect", "zero", mode="vague", manifest=manifest)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("Lab 1 / Fake.Fails fails with a message that names none of lab 1's functions (decode_hsr)",
                      r.stdout)

    def test_missing_binary_scores_zero(self):
        r = self.grade("--lab", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("missing/autograder-lab2 was not found in", r.stdout)
        self.assertEqual(r.stdout.rstrip().splitlines()[-1], "Score: 0/4")

    def test_default_grades_the_labs_that_are_built(self):
        r = self.grade()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("lab 2: missing/autograder-lab2 is not built; not graded", r.stderr)
        self.assertEqual(r.stdout.rstrip().splitlines()[-1], "Score: 2/6")

    def test_grading_that_cannot_run(self):
        self.assertEqual(self.grade("--lab", "9").returncode, 2)
        self.assertEqual(self.grade(manifest=self.dir / "none.json").returncode, 2)
        bad = self.dir / "bad.json"
        bad.write_text("{")
        r = self.grade(manifest=bad)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not valid JSON", r.stderr)

    def test_a_hang_is_killed_and_scored(self):
        start = time.monotonic()
        r = self.grade("--lab", "1", "--timeout", "1", mode="hang")
        self.assertLess(time.monotonic() - start, 15)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Fake\.Passes +2/2 +PASS")
        self.assertIn("did not finish within 1 s and was killed (a test hangs?) during this test", r.stdout)
        self.assertIn("Fake.Extra is in", r.stdout + r.stderr, "the tests after the hang ran in a second process")
        pid = int((self.dir / "lab.pid").read_text())
        self.assertTrue(eventually(lambda: not process_alive(pid)), "the hung lab binary is still running")

    def test_a_crash_is_scored(self):
        r = self.grade("--lab", "1", mode="crash")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Fake\.Passes +2/2 +PASS")
        self.assertIn("crashed (SIGABRT) during this test", r.stdout)

    def test_a_failed_build_scores_zero_with_its_first_error(self):
        log = self.dir / "build.log"
        log.write_text("[ 10%] Building CXX object trap.cpp.o\n"
                       "/src/kernel/trap.cpp:12:5: error: 'hsr' was not declared in this scope\n"
                       "   12 |     hsr.ec = 0;\n"
                       "gmake: *** [Makefile:1: all] Error 2\n")
        results = self.dir / "results.json"
        (self.dir / "stale").mkdir()
        results.write_text('{"score": 70, "max_score": 73}')
        r = self.grade("--lab", "1", "--build-failed", str(log), "--results", str(results))
        self.assertEqual(r.returncode, 1, "a failed build is a failed grading run")
        self.assertIn("Score: 0/6", r.stdout)
        self.assertIn("'hsr' was not declared in this scope", r.stdout, "the first compiler error is shown")
        data = json.loads(results.read_text())
        self.assertEqual((data["score"], data["max_score"]), (0, 6), "the stale result is replaced")
        self.assertTrue(all("the build failed" in t["output"] for t in data["tests"]))

    def test_a_crash_costs_only_its_own_test(self):
        manifest = self.write_manifest([
            {"name": "Fake.Passes", "points": 2},
            {"name": "Fake.Fails", "points": 3},
            {"name": "Fake.Extra", "points": 5},
        ], name="after.json")
        r = self.grade("--lab", "1", mode="crash", manifest=manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Fake\.Fails +0/3 +FAIL")
        self.assertRegex(r.stdout, r"Fake\.Extra +5/5 +PASS", "the test after the crash runs in a new process")
        self.assertNotIn("not run:", r.stdout)
        self.assertIn("Score: 7/", r.stdout)

    def test_ctrl_c_leaves_nothing_running(self):
        env = dict(os.environ, FAKE_LAB_MODE="hang", FAKE_LAB_PIDFILE=str(self.dir / "lab.pid"))
        proc = subprocess.Popen([sys.executable, GRADE_PY, "--manifest", str(self.manifest),
                                 "--build-dir", str(self.build), "--lab", "1"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pidfile = self.dir / "lab.pid"
        self.assertTrue(eventually(lambda: pidfile.exists() and pidfile.read_text().strip()), "lab never started")
        pid = int(pidfile.read_text())
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("interrupted", err)
        self.assertTrue(eventually(lambda: not process_alive(pid)), "the lab binary outlived grade.py")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    GRADE_PY, FAKE_LAB = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
