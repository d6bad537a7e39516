#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""trace.py: `make trace SYSTEM=<name> [SELECTOR=<n>]`. Boots <name>-trace.elf
(the system with the microvisor's trace buffer compiled in: kernel/trace.hpp),
reads the events the microvisor prints when the system ends, and writes

    <build>/trace/trace.json    Chrome trace-event format (Perfetto, chrome://tracing):
                                one track per vCPU, its runs as slices, its traps,
                                hypercalls, interrupts and channel calls as instants,
                                an arrow from each interrupt's raise to its injection
    <build>/trace/trace.svg     the same run as a timeline (tools/trace/plot.py)
    <build>/trace/console.txt   the whole console

or, with --console FILE, the same two files from a console saved before (the
grader's traced run of a failed scenario: autograder/harness/trace_hint.cpp),
and with --summary, what summary() finds wrong in it.

Also a library: parse(), chrome() and summary() are what the tests use.
The trace's format is kernel/trace.hpp's; only the microvisor can print it,
since a guest's console lines always start "[<vm>] ".
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

KINDS = {1: "trap", 2: "hypercall", 3: "switch", 4: "raise", 5: "inject", 6: "eoi", 7: "timer",
         8: "channel_send", 9: "channel_recv", 10: "stage2_fault", 11: "vm_stop"}
WHY = {0: "start", 1: "slice", 2: "wait", 3: "wake", 4: "yield", 5: "stop"}
SOURCE = {0: "line", 1: "device", 2: "timer", 3: "SGI", 4: "GICD_ISPENDR"}
EC = {0x00: "undefined", 0x01: "WFI/WFE", 0x03: "CP15", 0x04: "CP15 (64-bit)", 0x05: "CP14", 0x07: "VFP",
      0x12: "HVC", 0x13: "SMC", 0x20: "prefetch abort", 0x24: "data abort"}
NONE = 0xffff


class TraceError(Exception):
    pass


def parse(console):
    """The trace in a console: {"freq", "lost", "vcpus": {i: (vm, id)}, "events": [dict]}, times in us from
    the first event. Raises TraceError if the console has no complete trace."""
    lines = [l for l in console.splitlines() if l.startswith("MV-TRACE ")]
    begins = [i for i, l in enumerate(lines) if l.startswith("MV-TRACE begin")]
    lines = lines[begins[-1]:] if begins else lines  # the last dump (Ctrl-A t, then the system's end)
    if lines and "MV-TRACE end" in lines:
        lines = lines[:lines.index("MV-TRACE end") + 1]
    if not lines or not lines[0].startswith("MV-TRACE begin") or lines[-1] != "MV-TRACE end":
        raise TraceError("no complete trace in the console (MV-TRACE begin ... end): was the image a -trace one, "
                         "and did the system end (every VM off)?")
    _, _, freq, kept, lost = lines[0].split()
    freq, kept, lost = int(freq), int(kept), int(lost)
    vcpus, events = {}, []
    for l in lines[1:-1]:
        f = l.split()
        if f[1] == "vcpu":
            vcpus[int(f[2])] = (f[3], int(f[4]))
        elif f[1] == "e":
            t, kind, vcpu, a, b = int(f[2], 16), int(f[3]), int(f[4], 16), int(f[5], 16), int(f[6], 16)
            events.append({"t": t, "kind": KINDS.get(kind, f"kind{kind}"), "vcpu": vcpu, "a": a, "b": b})
    if len(events) != kept:
        raise TraceError(f"the trace says {kept} events but has {len(events)}")
    t0 = events[0]["t"] if events else 0
    for e in events:
        e["us"] = (e["t"] - t0) * 1e6 / freq
    return {"freq": freq, "lost": lost, "vcpus": vcpus, "events": events}


def runs(trace):
    """Each vCPU's stretches on the CPU: [(vcpu, start_us, end_us, why it came on)]."""
    out, current, since, why = [], None, 0.0, ""
    end = trace["events"][-1]["us"] if trace["events"] else 0.0
    for e in trace["events"]:
        if e["kind"] != "switch":
            continue
        if current is not None:
            out.append((current, since, e["us"], why))
        current = None if e["vcpu"] == NONE else e["vcpu"]
        since, why = e["us"], WHY.get(e["b"], str(e["b"]))
    if current is not None:
        out.append((current, since, end, why))
    return out


LONG_MS = 3.0  # a wait the summary names: three 1 ms slices, more than round robin among three makes


def summary(trace):
    """What went wrong in a run, a line each (the grader's message: autograder/harness/trace_hint.cpp):
    each vCPU that waited LONG_MS or more for the CPU, between two of its runs or from the start;
    the first interrupt raised and not injected, and the first injected and not ended, LONG_MS or
    more before its VM's end (and how many more did)."""
    if trace["freq"] == 0 or not trace["events"]:
        return []
    ms = lambda us: f"{us / 1000:.1f}"  # noqa: E731
    end = trace["events"][-1]["us"]
    name = {i: f"{vm} vCPU {vid}" for i, (vm, vid) in trace["vcpus"].items()}
    vm_of = {i: vm for i, (vm, _) in trace["vcpus"].items()}
    out = []
    for v in sorted(name):
        mine = [(start, stop) for who, start, stop, _ in runs(trace) if who == v]
        if not mine:
            out.append(f"  {name[v]} never ran (0.0 ms to {ms(end)} ms)")
            continue
        gaps = [(b[0] - a[1], a[1], b[0]) for a, b in zip([(0.0, 0.0)] + mine, mine)]
        wait, since, until = max(gaps, key=lambda g: g[0])  # the first of the longest
        if wait >= LONG_MS * 1000:
            out.append(f"  {name[v]} did not run between {ms(since)} ms and {ms(until)} ms")
    raised, injected, vm_end = {}, {}, {}  # (VM, id) -> raise; (vCPU, id) -> injection; VM -> its stop
    for e in trace["events"]:
        vm, key = vm_of.get(e["vcpu"], ""), e["a"]
        if e["kind"] == "raise":
            raised.setdefault((vm, key), e)
        elif e["kind"] == "inject":
            raised.pop((vm, key), None)
            injected.setdefault((e["vcpu"], key), e)
        elif e["kind"] == "eoi":
            injected.pop((e["vcpu"], key), None)
        elif e["kind"] == "vm_stop":
            vm_end[vm] = e["us"]

    def oldest(left, say):
        late = sorted((e["us"], k, vm_end.get(vm_of.get(e["vcpu"], ""), end) - e["us"]) for k, e in left.items()
                      if vm_end.get(vm_of.get(e["vcpu"], ""), end) - e["us"] >= LONG_MS * 1000)
        if late:
            at, key, waited = late[0]
            out.append(say(key, ms(at), ms(waited)) + (f" (and {len(late) - 1} more)" if len(late) > 1 else ""))

    oldest(raised, lambda k, at, w: f"  interrupt {k[1]} raised for {k[0]} at {at} ms was not injected in the {w} ms "
                                    "after it (no list register took it: vgic_flush, Vgic::to_lr)")
    oldest(injected, lambda k, at, w: f"  interrupt {k[1]} injected into {name.get(k[0], k[0])} at {at} ms did not "
                                      f"come back ended in the {w} ms after it (the guest never took and ended it, "
                                      "or vgic_sync did not give its list register back: Vgic::from_lr)")
    return out


def label(e):
    k, a, b = e["kind"], e["a"], e["b"]
    if k == "trap":
        return f"trap {EC.get(a, hex(a))}"
    if k == "hypercall":
        return f"hvc {b:#x}"
    if k in ("raise", "inject", "eoi"):
        return f"{k} {a}" + (f" ({SOURCE.get(b, b)})" if k == "raise" else "")
    if k == "timer":
        return "HYP timer" + (": slice over" if a else "")
    if k in ("channel_send", "channel_recv"):
        return f"{k.replace('_', ' ')} {a}: {b:#x}"
    if k == "stage2_fault":
        return f"stage-2 fault at {b:#x}"
    if k == "vm_stop":
        return f"VM {a} " + ("crashed" if b else "powered off")
    return k


def chrome(trace):
    """The trace as Chrome trace-event JSON (a dict with traceEvents)."""
    ev = [{"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "microvisor"}}]
    for i, (vm, vid) in sorted(trace["vcpus"].items()):
        ev.append({"name": "thread_name", "ph": "M", "pid": 0, "tid": i, "args": {"name": f"{vm} vCPU {vid}"}})
        ev.append({"name": "thread_sort_index", "ph": "M", "pid": 0, "tid": i, "args": {"sort_index": i}})
    if any(e["vcpu"] == NONE and e["kind"] != "switch" for e in trace["events"]):  # the HYP timer while idle
        ev.append({"name": "thread_name", "ph": "M", "pid": 0, "tid": NONE, "args": {"name": "idle (no vCPU)"}})
        ev.append({"name": "thread_sort_index", "ph": "M", "pid": 0, "tid": NONE, "args": {"sort_index": NONE}})
    for vcpu, start, end, why in runs(trace):
        ev.append({"name": "run", "cat": "sched", "ph": "X", "pid": 0, "tid": vcpu, "ts": round(start, 3),
                   "dur": round(end - start, 3), "args": {"because": why}})
    raised = {}  # interrupt (an SGI's: with its target) -> the raise event's flow id, waiting for its injection
    flow = 0
    for e in trace["events"]:
        if e["kind"] == "switch":
            continue
        ev.append({"name": label(e), "cat": e["kind"], "ph": "i", "s": "t", "pid": 0, "tid": e["vcpu"],
                   "ts": round(e["us"], 3), "args": {"a": hex(e["a"]), "b": hex(e["b"])}})
        key = (e["a"], e["vcpu"]) if e["a"] < 16 else e["a"]
        if e["kind"] == "raise":
            flow += 1
            raised[key] = flow
            ev.append({"name": f"irq {e['a']}", "cat": "virq", "ph": "s", "id": flow, "pid": 0, "tid": e["vcpu"],
                       "ts": round(e["us"], 3)})
        elif e["kind"] == "inject" and key in raised:
            ev.append({"name": f"irq {e['a']}", "cat": "virq", "ph": "f", "bp": "e", "id": raised.pop(key),
                       "pid": 0, "tid": e["vcpu"], "ts": round(e["us"], 3)})
    return {"traceEvents": ev, "displayTimeUnit": "ms",
            "otherData": {"counter_hz": trace["freq"], "events": len(trace["events"]), "events_lost": trace["lost"]}}


def boot(build, system, selector, timeout="120"):
    """Boot <system>-trace.elf with mv-run: (its console, mv-run's status). The image must exist.
    A run that hangs is asked for its trace at the timeout (mv-run --trace-at-timeout)."""
    image = build / "images" / f"{system}-trace.elf"
    run = subprocess.run([str(build / "autograder" / "harness" / "mv-run"), "--quiet", "--timeout", str(timeout),
                          "--trace-at-timeout", "--selector", str(selector), str(image)],
                         capture_output=True, text=True, errors="replace")
    return run.stdout + run.stderr, run.returncode


def draw(console, out, window=()):
    """Write out/trace.json and out/trace.svg (plot.py, with `window`'s options) of a console:
    the trace, or a TraceError."""
    trace = parse(console)
    (out / "trace.json").write_text(json.dumps(chrome(trace)) + "\n")
    plot = Path(__file__).resolve().parent / "plot.py"
    p = subprocess.run(["/usr/bin/python3", str(plot), str(out / "trace.json"), str(out / "trace.svg")] + list(window),
                       capture_output=True, text=True)
    return trace, p.stdout.strip() or f"make trace: no SVG: {p.stderr.strip()[-300:]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", type=Path, help="boot <build>/images/<system>-trace.elf")
    ap.add_argument("--system")
    ap.add_argument("--selector", default="0")
    ap.add_argument("--timeout", default="120")
    ap.add_argument("--console", type=Path, help="instead of a boot: the console of one (the grader's)")
    ap.add_argument("--out-dir", type=Path, help="where trace.json and trace.svg go (default <build>/trace)")
    ap.add_argument("--summary", action="store_true", help="with --console: print only summary()'s lines")
    ap.add_argument("--from", dest="start", default="", help="the SVG's window: from this many ms")
    ap.add_argument("--to", dest="end", default="", help="to this many ms")
    ap.add_argument("--kinds", default="", help="the SVG's marks: these kinds only (plot.py --help)")
    args = ap.parse_args()
    window = [a for flag, v in (("--from", args.start), ("--to", args.end), ("--kinds", args.kinds)) if v
              for a in (flag, v)]
    if args.console:
        out = args.out_dir or args.console.parent
        try:
            out.mkdir(parents=True, exist_ok=True)
            trace, drawn = draw(args.console.read_text(errors="replace"), out, window)
        except (OSError, TraceError) as e:
            sys.exit(f"trace.py: {args.console}: {e}")
        if args.summary:
            print("\n".join(summary(trace)))
        else:
            print(f"trace.py: {len(trace['events'])} events: {out / 'trace.json'}; {drawn}")
        return 0
    if not args.build_dir or not args.system:
        ap.error("--build-dir and --system (a boot), or --console (a console saved)")
    build = args.build_dir.resolve()
    top = Path(__file__).resolve().parents[2]
    if not (top / "systems" / f"{args.system}.toml").is_file():
        sys.exit(f"make trace: no systems/{args.system}.toml")
    built = subprocess.run(["cmake", "--build", str(build / "cross"), "--target", f"system-{args.system}-trace"],
                           capture_output=True, text=True)
    image = build / "images" / f"{args.system}-trace.elf"
    if built.returncode != 0 or not image.is_file():
        sys.exit(f"make trace: could not build {image}:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
    out = args.out_dir or build / "trace"
    out.mkdir(parents=True, exist_ok=True)
    console, status = boot(build, args.system, args.selector, args.timeout)
    (out / "console.txt").write_text(console)
    try:
        trace, drawn = draw(console, out, window)
    except TraceError as e:
        tail = "\n".join(console.splitlines()[-15:])
        sys.exit(f"make trace: {e} (mv-run status {status}); the console's end:\n{tail}")
    print(f"make trace: {args.system} (selector {args.selector}): {len(trace['events'])} events"
          + (f", {trace['lost']} older ones lost (the ring holds the last {len(trace['events'])})" if trace["lost"] else "")
          + f"; status {status}")
    print(f"make trace: wrote {out / 'trace.json'} (open it in https://ui.perfetto.dev or chrome://tracing)")
    print(drawn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
