#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_trace.py: the trace buffer's checks in make test (cmake/Checks.cmake).

    test_trace.py --build-dir DIR round-robin|virq-timer|chrome-json|summary

Each of the first three boots a traced image of a known scenario with mv-run
and checks the events the microvisor printed; summary checks trace.py's
summary() on made-up consoles. On a failure it says what was expected, what
the trace shows, and where the console is saved (<build>/trace/test-<check>.txt).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trace as T  # noqa: E402


def boot(build, system, selector, name):
    image = build / "images" / f"{system}-trace.elf"
    if not image.is_file():
        sys.exit(f"FAIL: {image} is missing (systems/CMakeLists.txt: MV_TRACED_SYSTEMS builds it)")
    console, status = T.boot(build, system, selector, 60)
    (build / "trace").mkdir(exist_ok=True)
    log = build / "trace" / f"test-{name}.txt"
    log.write_text(console)
    if status != 0:
        sys.exit(f"FAIL: {system} (selector {selector}) ended with status {status}, expected 0; console: {log}")
    try:
        return T.parse(console), log
    except T.TraceError as e:
        sys.exit(f"FAIL: {e}; console: {log}")


def fail(message, log):
    sys.exit(f"FAIL: {message}\n      console saved: {log}")


def round_robin(build):
    """lab2-fair, scenario 1: three equal VMs, 1 ms slices. The switches must cycle
    through all three in a fixed order, nearly all because a slice ended (the HYP
    timer said so just before), and each run must last about one slice."""
    t, log = boot(build, "lab2-fair", 1, "round-robin")
    if t["lost"]:
        fail(f"{t['lost']} events lost: the ring is too small for this scenario", log)
    sw = [e for e in t["events"] if e["kind"] == "switch" and e["vcpu"] != T.NONE]
    if len(sw) < 30:
        fail(f"expected at least 30 vCPU switches in 200 ms of round robin, saw {len(sw)}", log)
    steady = sw[3:-3]
    order = [e["vcpu"] for e in sw[:3]]
    if sorted(order) != [0, 1, 2]:
        fail(f"expected the first three switches to start vCPUs 0, 1 and 2, saw {order}", log)
    for k, e in enumerate(steady):
        want = order[(k + 3) % 3]
        if e["vcpu"] != want:
            fail(f"switch {k + 4} at {e['us']:.1f} us: expected vCPU {want} (round robin {order}), saw vCPU {e['vcpu']}",
                 log)
    slices = [e for e in steady if T.WHY.get(e["b"]) == "slice"]
    if len(slices) < 0.9 * len(steady):
        fail(f"expected nearly every switch to be because a slice ended; {len(slices)} of {len(steady)} were", log)
    events = t["events"]
    for e in slices:
        i = events.index(e)
        before = [x for x in events[max(0, i - 6):i] if x["kind"] == "timer"]
        if not before or before[-1]["a"] != 1:
            fail(f"the switch to vCPU {e['vcpu']} at {e['us']:.1f} us says 'slice', but no HYP timer event with its "
                 "slice over comes just before it", log)
    for v, s, e, _ in T.runs(t)[3:-3]:
        if not 500 <= e - s <= 1500:
            fail(f"vCPU {v} ran {e - s:.0f} us from {s:.0f} us: expected about one 1,000 us slice", log)
    print(f"PASS: {len(sw)} switches, round robin {order}, {len(slices)} by the slice, runs of about 1 ms")


def virq_timer(build):
    """lab4-virq, scenario 2: the guest's virtual timer. Each raise of PPI 27 (source: the
    timer) must be followed, on the same vCPU, by its injection, then its EOI, before the next raise."""
    t, log = boot(build, "lab4-virq", 2, "virq-timer")
    seq = [e for e in t["events"] if e["kind"] in ("raise", "inject", "eoi") and e["a"] == 27]
    if len(seq) < 30:
        fail(f"expected at least 10 timer interrupts (raise, inject, EOI of PPI 27), saw {len(seq)} events", log)
    for k in range(0, len(seq) - 2, 3):
        got = [(e["kind"], e["vcpu"]) for e in seq[k:k + 3]]
        want = [("raise", seq[k]["vcpu"]), ("inject", seq[k]["vcpu"]), ("eoi", seq[k]["vcpu"])]
        if got != want or T.SOURCE.get(seq[k]["b"]) != "timer":
            fail(f"at {seq[k]['us']:.1f} us: expected raise (timer), inject, EOI of PPI 27 on one vCPU, saw "
                 + ", ".join(f"{kind} on vCPU {v}" for kind, v in got), log)
    print(f"PASS: {len(seq) // 3} timer interrupts, each raised, injected and ended in order")


def chrome_json(build):
    """The Chrome trace-event JSON of a run with most kinds of event (lab5-pair, scenario 1): it
    loads, and every event has the fields its phase needs."""
    t, log = boot(build, "lab5-pair", 1, "chrome-json")
    doc = json.loads(json.dumps(T.chrome(t)))
    ev = doc.get("traceEvents")
    if not isinstance(ev, list) or not ev:
        fail("trace.json has no traceEvents list", log)
    need = {"M": ("name", "pid", "args"), "X": ("name", "pid", "tid", "ts", "dur"), "i": ("name", "pid", "tid", "ts", "s"),
            "s": ("name", "id", "pid", "tid", "ts"), "f": ("name", "id", "pid", "tid", "ts", "bp")}
    flows = {}
    for e in ev:
        ph = e.get("ph")
        if ph not in need:
            fail(f"an event with phase {ph!r}: expected one of {sorted(need)}: {e}", log)
        missing = [f for f in need[ph] if f not in e]
        if missing:
            fail(f"a {ph!r} event lacks {missing}: {e}", log)
        if ph == "X" and e["dur"] < 0:
            fail(f"a slice with a negative duration: {e}", log)
        if ph in "sf":
            flows.setdefault(e["id"], []).append(ph)
    unmatched = [i for i, p in flows.items() if p[0] != "s" or len(p) > 2]
    if unmatched:
        fail(f"flow arrows that do not start with 's' or have more than one end: ids {unmatched[:5]}", log)
    named = {e["tid"] for e in ev if e.get("name") == "thread_name"}
    idle = any(e["vcpu"] == T.NONE and e["kind"] != "switch" for e in t["events"])
    tracks = set(t["vcpus"]) | ({T.NONE} if idle else set())
    if named != tracks:
        fail(f"expected a named track per vCPU {sorted(t['vcpus'])}" + (f" and the idle one {T.NONE:#x}" if idle else "")
             + f", saw {sorted(named)}", log)
    unnamed = sorted({e["tid"] for e in ev if e.get("ph") in ("X", "i")} - named)
    if unnamed:
        fail(f"events on tracks with no name: {unnamed}", log)
    kinds = {e["kind"] for e in t["events"]}
    for k in ("switch", "hypercall", "channel_send", "channel_recv", "vm_stop"):
        if k not in kinds:
            fail(f"expected {k} events in lab5-pair's trace, saw only {sorted(kinds)}", log)
    print(f"PASS: {len(ev)} trace events, {len(named)} tracks, {len(flows)} arrows; kinds {sorted(kinds)}")


# summary()'s checks need no boot: made-up consoles at 1 MHz (a tick is a microsecond).
# Three vCPUs: vCPU 2 runs at 1 ms and then not until 9.5 ms; vCPU 1 never runs.
WAITS = """[vm0] hello
MV-TRACE begin 1000000 5 0
MV-TRACE vcpu 0 alpha 0
MV-TRACE vcpu 1 beta 0
MV-TRACE vcpu 2 gamma 0
MV-TRACE e 0000000000 3 0 ffff 0
MV-TRACE e 00000003e8 3 2 0 1
MV-TRACE e 00000007d0 3 0 2 1
MV-TRACE e 000000251c 3 2 0 1
MV-TRACE e 0000002710 11 0 0 0
MV-TRACE end
"""
# One vCPU of vm0: timer interrupt 27 raised and injected at 1 ms and ended at 1.2 ms; SPI 40
# raised at 2 ms, never injected; SPI 41 injected at 3 ms, never ended; the VM stops at 10 ms.
INTERRUPTS = """MV-TRACE begin 1000000 8 0
MV-TRACE vcpu 0 vm0 0
MV-TRACE e 0000000000 3 0 ffff 0
MV-TRACE e 00000003e8 4 0 1b 2
MV-TRACE e 00000003e9 5 0 1b 0
MV-TRACE e 00000004b0 6 0 1b 0
MV-TRACE e 00000007d0 4 0 28 0
MV-TRACE e 0000000bb8 4 0 29 0
MV-TRACE e 0000000bb9 5 0 29 0
MV-TRACE e 0000002710 11 0 0 0
MV-TRACE end
"""


def summary(build):
    """summary(), the grader's lines about a failed run (autograder/harness/trace_hint.cpp): each
    vCPU that waited 3 ms or more and only those, the first interrupt raised and never injected,
    the first injected and never ended, none that was left under 3 ms before its VM's end, the
    last dump of two, and nothing without a trace."""
    def said(console):
        return "\n".join(T.summary(T.parse(console)))

    def expect(what, console, present=(), absent=(), why=""):
        s = said(console)
        for line in present:
            if line not in s:
                sys.exit(f"FAIL: {what}: expected '{line}' in the summary, which says:\n{s}")
        for text in absent:
            if text in s:
                sys.exit(f"FAIL: {what}: expected no '{text}' in the summary ({why}), which says:\n{s}")

    expect("waits", WAITS, ["gamma vCPU 0 did not run between 2.0 ms and 9.5 ms",
                            "beta vCPU 0 never ran (0.0 ms to 10.0 ms)"],
           ["alpha"], "alpha waited 1 ms only, 1.0 to 2.0 ms")
    expect("raised, never injected", INTERRUPTS,
           ["interrupt 40 raised for vm0 at 2.0 ms was not injected in the 8.0 ms after it"],
           ["interrupt 27"], "27 went all the way, at 1.0 to 1.2 ms")
    expect("injected, never ended", INTERRUPTS,
           ["interrupt 41 injected into vm0 vCPU 0 at 3.0 ms did not come back ended in the 7.0 ms"],
           ["interrupt 41 raised"], "41 was injected")
    expect("left just before the end", INTERRUPTS.replace("0000002710 11", "0000001194 11"), [],
           ["interrupt"], "vm0 stops at 4.5 ms: SPI 40 waited 2.5 ms, SPI 41 1.5 ms, under the 3 ms")
    expect("the last dump counts", WAITS + INTERRUPTS, ["interrupt 40 raised"],
           ["gamma"], "Ctrl-A t at a timeout, then the system's own end: the second dump is the whole story")
    try:
        T.parse("[vm0] hello\nMV: all VMs powered off\n")
        sys.exit("FAIL: a console without MV-TRACE lines parsed as a trace")
    except T.TraceError:
        pass
    if said("MV-TRACE begin 0 0 0\nMV-TRACE end\n"):
        sys.exit(f"FAIL: an empty trace has a summary: {said('MV-TRACE begin 0 0 0' + chr(10) + 'MV-TRACE end')!r}")
    print("PASS: waits, interrupts raised and not injected, injected and not ended, the 3 ms boundary, the last dump")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("check", choices=["round-robin", "virq-timer", "chrome-json", "summary"])
    args = ap.parse_args()
    {"round-robin": round_robin, "virq-timer": virq_timer, "chrome-json": chrome_json,
     "summary": summary}[args.check](args.build_dir.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
