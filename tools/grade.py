#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""grade.py: runs each lab's GoogleTest autograder and scores it against labs/manifest.json.

Prints a table, every failure with the manifest's hint, and a last line `Score: X/Y`; can also
write Gradescope's results.json and JUnit XML. A test earns its points iff it passed.

Exit status: 0 graded (whatever the score); 1 an --expect check failed; 2 grading could not
run (bad manifest, unknown lab, nothing built); 130 interrupted.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

try:
    import ctypes
    _LIBC = ctypes.CDLL(None, use_errno=True)
except (ImportError, OSError):
    _LIBC = None

MESSAGE_LINES = 40      # of a failure message, in the report
MESSAGE_HEAD_LINES = 20  # kept when even a message without console lines is longer
CONSOLE_KEEP = 6        # console lines each excerpt keeps when a message is too long
LINE_CHARS = 400        # of one line of a failure message
OUTPUT_TAIL_LINES = 15  # of a binary's output, when it crashed or hung
TERM_GRACE_S = 2        # between SIGTERM and SIGKILL to a binary's process group
PR_SET_PDEATHSIG = 1


class GradingError(Exception):
    """Grading cannot run at all."""


@dataclass
class TestResult:
    lab_id: int
    name: str
    points: float
    hint: str = ""
    passed: bool = False
    message: str = ""

    @property
    def label(self):
        return f"Lab {self.lab_id} / {self.name}"

    @property
    def earned(self):
        return self.points if self.passed else 0


@dataclass
class LabResult:
    lab: dict
    tests: list
    warnings: list = field(default_factory=list)


@dataclass
class BinaryRun:
    cases: dict            # "Suite.Name" -> (passed, message)
    problem: str = ""      # why the binary did not finish normally; "" if it did
    stopped_in: str = ""   # the test that was running when it stopped
    output: str = ""


def fmt(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def tail(text, n):
    return "\n".join(text.rstrip("\n").splitlines()[-n:])


# --- The manifest ---------------------------------------------------------------------------

def load_manifest(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise GradingError(f"cannot read the manifest {path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise GradingError(f"{path}:{e.lineno}: not valid JSON: {e.msg}")
    labs = data.get("labs") if isinstance(data, dict) else None
    if not isinstance(labs, list):
        raise GradingError(f"{path}: no \"labs\" list")
    for lab in labs:
        for key in ("id", "binary", "tests"):
            if key not in lab:
                raise GradingError(f"{path}: lab {lab.get('id', '?')} has no \"{key}\"")
        for test in lab["tests"]:
            if "name" not in test or not isinstance(test.get("points"), (int, float)):
                raise GradingError(f"{path}: lab {lab['id']}: a test needs a \"name\" and numeric \"points\": {test}")
    return data


def function_names(lab):
    return [f["name"] if isinstance(f, dict) else str(f) for f in lab.get("functions", [])]


def select_labs(manifest, build_dir, wanted):
    labs = manifest["labs"]
    if not wanted:
        built = [lab for lab in labs if (build_dir / lab["binary"]).is_file()]
        for lab in labs:
            if lab not in built:
                print(f"grade.py: lab {lab['id']}: {lab['binary']} is not built; not graded", file=sys.stderr)
        if not built:
            raise GradingError(f"no lab autograder is built in {build_dir}: build first (make, or cmake --build {build_dir})")
        return built
    by_id = {lab["id"]: lab for lab in labs}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise GradingError(f"no lab {', '.join(map(str, unknown))} in the manifest (labs: {', '.join(str(i) for i in by_id)})")
    return [by_id[i] for i in wanted]


# --- Running one binary ---------------------------------------------------------------------

def _die_with_parent(parent):
    """In the child before exec: SIGKILL when grade.py dies, whatever kills it."""
    def prepare():
        if _LIBC is not None:
            _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(127)
    return prepare


def _kill_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop(proc):
    """Ends the binary's process group: SIGTERM first (the harness then kills its QEMU), then SIGKILL."""
    _kill_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(TERM_GRACE_S)
    except subprocess.TimeoutExpired:
        pass
    _kill_group(proc.pid, signal.SIGKILL)
    proc.wait()


def run_binary(binary, timeout, skip=(), fail_fast=False):
    """Runs a GoogleTest binary (but the tests in `skip`) in its own process group; nothing of
    it outlives this call. fail_fast: stop at the first failure (the rest count as skipped)."""
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        report = os.path.join(tmp, "report.xml")
        args = [str(binary), f"--gtest_output=xml:{report}", "--gtest_color=no"]
        if fail_fast:
            args.append("--gtest_fail_fast")
        if skip:
            args.append("--gtest_filter=-" + ":".join(sorted(skip)))
        try:
            proc = subprocess.Popen(
                args,
                cwd=binary.parent, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent(os.getpid()))
        except OSError as e:
            return BinaryRun({}, f"cannot run {binary}: {e.strerror}")
        problem = ""
        try:
            try:
                out, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                problem = f"{binary.name} did not finish within {timeout:g} s and was killed (a test hangs?)"
                stop(proc)
                out = _rest_of_output(proc)
        except BaseException:  # KeyboardInterrupt, or SIGTERM/SIGHUP turned into one
            stop(proc)
            raise
        _kill_group(proc.pid, signal.SIGKILL)  # anything it left behind
        out = out.decode("utf-8", "replace")
        if not problem and proc.returncode < 0:
            problem = f"{binary.name} crashed ({_signal_name(-proc.returncode)})"
        if not problem and os.path.exists(report):
            try:
                return BinaryRun(parse_report(report), output=out)
            except ET.ParseError as e:
                problem = f"{binary.name} wrote a broken test report ({e})"
        if not problem:
            problem = f"{binary.name} exited with status {proc.returncode} without a test report (is it a GoogleTest program?)"
        cases, stopped_in, partial = parse_console(out)
        return BinaryRun(cases, problem, stopped_in, partial or out)


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _rest_of_output(proc):
    try:
        out, _ = proc.communicate(timeout=TERM_GRACE_S)
        return out
    except subprocess.TimeoutExpired:  # a straggler holds the pipe: leave it
        proc.stdout.close()
        return b""


def parse_report(path):
    """GoogleTest's XML report: {"Suite.Name": (passed, message)}."""
    cases = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        failures = case.findall("failure") + case.findall("error")
        skipped = case.find("skipped")
        if failures:
            cases[name] = (False, "\n\n".join((f.text or f.get("message", "")).strip() for f in failures))
        elif case.get("status") == "notrun":
            cases[name] = (False, "the test is disabled: it did not run")
        elif skipped is not None or case.get("result") == "skipped":
            text = skipped.get("message", "") if skipped is not None else ""
            cases[name] = (False, f"the test was skipped: {text}".strip())
        else:
            cases[name] = (True, "")
    return cases


_RUN = re.compile(r"^\[ RUN      \] (\S+)$")
_END = re.compile(r"^\[ +(OK|FAILED|SKIPPED) +\] (\S+?)(?:,.*| \(\d+ ms\))?$")


def parse_console(text):
    """The fallback when there is no XML report: results from GoogleTest's console output.
    Returns (cases, the test that was running at the end, that test's output so far)."""
    cases, current, lines = {}, "", []
    for line in text.splitlines():
        m = _RUN.match(line)
        if m:
            current, lines = m.group(1), []
            continue
        m = _END.match(line)
        if m and m.group(2) == current:
            passed = m.group(1) == "OK"
            cases[current] = (passed, "" if passed else "\n".join(lines).strip())
            current = ""
        elif current:
            lines.append(line)
    return cases, current, "\n".join(lines)


# --- Scoring --------------------------------------------------------------------------------

def grade_lab(lab, build_dir, timeout, fail_fast=False):
    tests = [TestResult(lab["id"], t["name"], t["points"], t.get("hint", "")) for t in lab["tests"]]
    binary = (build_dir / lab["binary"]).resolve()
    if not binary.is_file():
        for t in tests:
            t.message = (f"{lab['binary']} was not found in {build_dir}: this lab's autograder is not built "
                         f"(build first: make, or cmake --build {build_dir})")
        return LabResult(lab, tests)
    print(f"grade.py: lab {lab['id']}: running {lab['binary']} ...", file=sys.stderr, flush=True)
    # A test that crashes (a sanitizer's abort, a segfault) or hangs costs that test only: the
    # program runs again without the tests that have a result, until every test has one.
    cases, lost, problem = {}, {}, ""
    while True:
        run = run_binary(binary, timeout, skip=set(cases) | set(lost), fail_fast=fail_fast)
        cases.update(run.cases)
        problem = run.problem
        if not problem or not run.stopped_in or run.stopped_in in lost or fail_fast:
            break  # done, or a problem that no single test explains: the rest is not run
        lost[run.stopped_in] = (f"{problem} during this test. Its output so far:\n"
                                f"{tail(run.output, OUTPUT_TAIL_LINES)}")
        print(f"grade.py: lab {lab['id']}: {problem} in {run.stopped_in}; running the other tests again",
              file=sys.stderr, flush=True)
    for t in tests:
        if t.name in cases:
            t.passed, t.message = cases[t.name]
        elif t.name in lost:
            t.message = lost[t.name]
        elif problem:
            t.message = f"not run: {problem} before this test"
        else:
            t.message = f"test not found in {lab['binary']}"
    known = {t.name for t in tests}
    warnings = [f"lab {lab['id']}: {name} is in {lab['binary']} but not in the manifest (worth 0 points)"
                for name in cases if name not in known]
    return LabResult(lab, tests, warnings)


_ERROR = re.compile(r"(error|Error)( \d+)?:|undefined reference|No rule to make target|CMake Error")


def build_error(log_path):
    """The build's first error, with the lines around it, from its log."""
    try:
        lines = Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as e:
        return f"(the build log {log_path} cannot be read: {e.strerror})"
    for i, line in enumerate(lines):
        if _ERROR.search(line):
            return "\n".join(lines[max(0, i - 2):i + 8])
    return "\n".join(lines[-10:]) or "(the build log is empty)"


def failed_build(lab, log_path):
    """A lab whose code did not build: every test scores 0, and says why."""
    message = (f"the build failed, so no test of lab {lab['id']} could run. The first error "
               f"(the whole log: {log_path}):\n{build_error(log_path)}")
    tests = [TestResult(lab["id"], t["name"], t["points"], t.get("hint", "")) for t in lab["tests"]]
    for t in tests:
        t.message = message
    return LabResult(lab, tests)


def totals(results):
    tests = [t for lr in results for t in lr.tests]
    return sum(t.earned for t in tests), sum(t.points for t in tests)


# --- Reports --------------------------------------------------------------------------------

_GTEST_WRAPPER = re.compile(r"Value of: [^\n]*\n  Actual: false \((.*?)\)\nExpected: true", re.S)
_CONSOLE_LINE = "  | "  # the harness's console lines (autograder/harness/expect.cpp)


def cleaned(message):
    """A GoogleTest failure as a student should read it: a predicate's own message without
    the `Value of: ... Actual: false (...) Expected: true` around it, and no `unknown file`."""
    message = _GTEST_WRAPPER.sub(lambda m: m.group(1).strip("\n"), message)
    lines = [line for line in message.splitlines() if line.strip() not in ("unknown file", "unknown file: Failure")]
    return "\n".join(lines)


def trimmed(message):
    """At most MESSAGE_LINES lines. What was expected and seen is kept whole; the console
    excerpts lose their oldest lines first. Only a message that is still too long then loses
    lines from its middle, and says how many."""
    lines = [line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + " ..."
             for line in cleaned(message).rstrip().splitlines()] or ["(no message)"]
    blocks = []  # [first, end) of each run of console lines
    for i, line in enumerate(lines):
        if line.startswith(_CONSOLE_LINE):
            if blocks and blocks[-1][1] == i:
                blocks[-1][1] = i + 1
            else:
                blocks.append([i, i + 1])
    keep = [end - first for first, end in blocks]

    def length():
        return len(lines) - sum(end - first for first, end in blocks) + sum(
            k + (k < end - first) for k, (first, end) in zip(keep, blocks))
    while length() > MESSAGE_LINES and max(keep, default=0) > CONSOLE_KEEP:
        keep[keep.index(max(keep))] -= 1  # the longest excerpt gives up its oldest line
    if blocks:
        out, last = [], 0
        for k, (first, end) in zip(keep, blocks):
            out += lines[last:first]
            if k < end - first:
                out.append(f"{_CONSOLE_LINE}... ({end - first - k} earlier console lines left out)")
            out += lines[end - k:end]
            last = end
        lines = out + lines[last:]
    if len(lines) > MESSAGE_LINES:
        tail_lines = MESSAGE_LINES - MESSAGE_HEAD_LINES - 1
        lines = (lines[:MESSAGE_HEAD_LINES] + [f"... ({len(lines) - MESSAGE_LINES + 1} lines left out)"]
                 + lines[-tail_lines:])
    return "\n".join(lines)


def headline(message):
    """The first line that says something: not GoogleTest's `file:line` location."""
    for line in cleaned(message).strip().splitlines():
        if line.strip() and not re.fullmatch(r"\S+:\d+(: Failure)?", line.strip()):
            return line.strip()[:LINE_CHARS]
    return "failed"


def failure_text(t):
    return trimmed(t.message) + (f"\n\nHint: {t.hint}" if t.hint else "")


def summary(results):
    width = max([len(t.name) for lr in results for t in lr.tests] + [len("total")])
    out = []
    for lr in results:
        out.append(f"Lab {lr.lab['id']}: {lr.lab.get('name', '')}")
        for t in lr.tests:
            points = f"{fmt(t.earned)}/{fmt(t.points)}"
            out.append(f"  {t.name:<{width}}  {points:>7}  {'PASS' if t.passed else 'FAIL'}")
        earned, possible = totals([lr])
        out.append(f"  {'total':<{width}}  {fmt(earned) + '/' + fmt(possible):>7}")
        out.append("")
    out += [f"warning: {w}" for lr in results for w in lr.warnings]
    return "\n".join(out).rstrip() + "\n"


def details(results):
    out = []
    for t in (t for lr in results for t in lr.tests if not t.passed):
        out.append(f"--- FAIL {t.label} (0/{fmt(t.points)})")
        out.append("\n".join("    " + line for line in failure_text(t).splitlines()))
        out.append("")
    return "\n".join(out)


def write_results(path, results, overview):
    score, max_score = totals(results)
    data = {"score": score, "max_score": max_score, "output": overview, "visibility": "visible",
            "tests": [{"name": t.label, "score": t.earned, "max_score": t.points,
                       "status": "passed" if t.passed else "failed",
                       "output": "" if t.passed else failure_text(t)}
                      for lr in results for t in lr.tests]}
    Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def write_junit(path, results, course):
    failures = sum(not t.passed for lr in results for t in lr.tests)
    count = sum(len(lr.tests) for lr in results)
    root = ET.Element("testsuites", name=course, tests=str(count), failures=str(failures))
    for lr in results:
        suite = ET.SubElement(root, "testsuite", name=f"Lab {lr.lab['id']}: {lr.lab.get('name', '')}",
                              tests=str(len(lr.tests)), failures=str(sum(not t.passed for t in lr.tests)))
        for t in lr.tests:
            classname, _, name = t.name.rpartition(".")
            case = ET.SubElement(suite, "testcase", classname=f"lab{t.lab_id}.{classname}", name=name)
            if not t.passed:
                ET.SubElement(case, "failure", message=headline(t.message)).text = failure_text(t)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def names_a_function(message, functions):
    return any(re.search(rf"(?<![\w]){re.escape(f)}(?![\w])", message) for f in functions)


# A report of a lab function still to write: the harness's of a QEMU run, a host test's
# MV_LAB_TODO (lib/lab_todo.hpp).
_NOT_IMPLEMENTED = re.compile(r"(?:not implemented: |MV_LAB_TODO: lab \d+: )(\w+)\(\)")


def expectation_problems(expect, results, manifest):
    score, max_score = totals(results)
    if expect == "full":
        return [] if score == max_score else [f"expected full marks, got {fmt(score)}/{fmt(max_score)}"]
    problems = []
    if score != 0:
        passing = ", ".join(t.label for lr in results for t in lr.tests if t.passed and t.points)
        problems.append(f"expected 0 points, got {fmt(score)} (passing: {passing})")
    for lr in results:
        functions = function_names(lr.lab)
        # With earlier labs stubbed too (a student's fresh tree), a QEMU test of lab N may stop
        # at an earlier lab's function, the first one the image calls: that names a function
        # to write as well. (With them from the reference, only lab N's can be missing.)
        earlier = {f for lab in manifest["labs"] if lab["id"] < lr.lab["id"] for f in function_names(lab)}
        for t in lr.tests:
            if t.passed or names_a_function(t.message, functions):
                continue
            if any(m in earlier for m in _NOT_IMPLEMENTED.findall(t.message)):
                continue
            problems.append(f"{t.label} fails with a message that names none of lab {lr.lab['id']}'s "
                            f"functions ({', '.join(functions) or 'none listed'}), nor an earlier lab's "
                            f"function still to write")
    return problems


# --- Main -----------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description="Grade the labs' autograders against the manifest.")
    p.add_argument("--manifest", required=True, help="labs/manifest.json")
    p.add_argument("--build-dir", required=True, type=Path, help="the CMake build folder")
    p.add_argument("--lab", action="append", default=[], metavar="N",
                   help="grade lab N (repeatable, or N,M); default: every lab that is built")
    p.add_argument("--results", help="write Gradescope's results.json here")
    p.add_argument("--junit", help="write JUnit XML here")
    p.add_argument("--expect", choices=["full", "zero"],
                   help="full: fail unless full marks; zero: fail unless 0 points and every failure names a lab function")
    p.add_argument("--timeout", type=float, default=300, help="seconds per lab binary (default 300)")
    p.add_argument("--fail-fast", action="store_true",
                   help="stop each lab at its first failing test (the rest score 0): for tools that only "
                        "ask whether the score is full, such as seeded-bugs.py")
    p.add_argument("--build-failed", metavar="LOG",
                   help="the build failed (its log): score every test 0, with the first compiler error")
    args = p.parse_args(argv)
    try:
        args.lab = [int(x) for item in args.lab for x in item.split(",") if x.strip()]
    except ValueError:
        p.error(f"--lab takes lab numbers: {args.lab}")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) == signal.SIG_DFL:  # an inherited SIG_IGN (nohup) stays
            signal.signal(sig, _interrupt)
    try:
        manifest = load_manifest(args.manifest)
        if not args.build_dir.is_dir() and not args.build_failed:
            raise GradingError(f"no build folder {args.build_dir}: build first (make)")
        if args.build_failed:
            wanted = args.lab or [lab["id"] for lab in manifest["labs"]]
            results = [failed_build(lab, args.build_failed)
                       for lab in select_labs(manifest, args.build_dir, wanted)]
        else:
            results = [grade_lab(lab, args.build_dir, args.timeout, args.fail_fast)
                       for lab in select_labs(manifest, args.build_dir, args.lab)]
    except GradingError as e:
        print(f"grade.py: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grade.py: interrupted", file=sys.stderr)
        return 130

    score, max_score = totals(results)
    overview = summary(results)
    print(overview)
    failures = details(results)
    if failures:
        print(failures)
    if args.results:
        write_results(args.results, results, overview + f"\nScore: {fmt(score)}/{fmt(max_score)}\n")
    if args.junit:
        write_junit(args.junit, results, manifest.get("course", "labs"))
    problems = expectation_problems(args.expect, results, manifest) if args.expect else []
    for problem in problems:
        print(f"--expect {args.expect}: {problem}")
    print(f"Score: {fmt(score)}/{fmt(max_score)}")
    return 1 if problems or args.build_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
