#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench.py: `make bench`. Boots the benchmark system and reports its figures.

Figures are instruction counts measured inside the guest with the PMU cycle
counter, or across VMs with the virtual counter CNTVCT, under QEMU's -icount
shift=0 (one instruction per virtual ns), so a second run must give the same
numbers bit for bit: this script checks that. Throughputs are in bytes per
1,000 instructions (B/kinstr), which is MB/s at one instruction per ns, each
printed next to the memcpy of the same size in the same guest, its bound.
Writes <build>/bench.json. --check also fails when a figure misses its target.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

# Targets (instructions, at most): issue 7's, the 2010 paper's order of magnitude,
# and issue 9's for Lab 4's interrupts.
TARGETS = {"null_hypercall_lab1": 100, "null_hypercall_lab3": 100, "vcpu_switch": 600, "vtimer_irq_to_handler": 300}
# Targets relative to another figure: (that figure, factor).
RELATIVE_TARGETS = {"virq_raise_to_handler": ("vcpu_switch", 2)}
# Throughputs (at least a fraction of their bound), for Lab 5's channels. Issue 9 asks
# for 50% of a memcpy in the same guest at 2 KiB. A channel is a queue: the sender's
# bytes go into it and out again to the receiver, two copies by the same memcpy as
# the bound, so 50% is its ceiling with nothing else done, reachable only by copying
# faster in the microvisor than in the guest, which would make the bound no bound.
# The target is 90% of that ceiling (book: design/communication, "Why two copies").
MIN_RATIOS = {"channel_throughput_2k": 0.45}
# A throughput's bound: the figure of the same size suffix with this prefix.
BOUND_PREFIX = "memcpy_bound_"
THROUGHPUT_PREFIXES = ("channel_throughput_", "shm_virq_")
# (system, selector, suffix): a suffix tells the same benchmark in two systems apart.
SYSTEMS = [("bench", 1, "_lab1"), ("bench-vmmu", 1, "_lab3"), ("bench-switch", 2, ""), ("bench-vmmu", 3, ""),
           ("bench", 4, ""), ("bench-vmmu", 5, ""),
           # Lab 4 (guests/bench/virq.cpp): a raise to another VM's handler,
           # the virtual timer's interrupt, the maintenance interrupt's refill.
           ("bench-virq", 1, "_lab4"), ("bench-virq", 6, ""), ("bench-virq", 7, ""), ("bench-virq", 8, ""),
           # Lab 5 (guests/bench/chan.cpp, shm.cpp): a channel's ping-pong, then
           # the memcpy bounds and the streams; the same over shared memory plus vIRQs.
           ("bench-chan", 1, ""), ("bench-chan", 2, ""), ("bench-chan-shm", 3, ""), ("bench-chan-shm", 4, "")]


# The same paths with the trace buffer compiled in (<system>-trace.elf, make trace):
# what tracing costs. Without it the microvisor is the same code (kernel/trace.hpp).
TRACED = [("bench", 1, "_lab1"), ("bench-switch", 2, ""), ("bench-virq", 6, ""), ("bench-chan", 1, "")]


def run(build, system, selector, suffix, variant=""):
    run_tool = build / "autograder" / "harness" / "mv-run"
    image = build / "images" / f"{system}{variant}.elf"
    proc = subprocess.run([str(run_tool), "--timeout", "120", "--quiet", "--selector", str(selector), str(image)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: {system} exited with status {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    figures = {}
    # At the start of a line, after the VM's prefix: the microvisor puts `[<vm>] ` before every guest line.
    for m in re.finditer(r"^\[[^\] ]+\] @@BENCH (\S+) (\d+) (\S+)\r?$", proc.stdout, re.M):
        name = m.group(1) + (suffix if m.group(1) == "null_hypercall" else "")
        figures[name] = {"value": int(m.group(2)), "unit": m.group(3), "system": system}
    failed = re.findall(r"^\[[^\] ]+\] @@MVT \S+ FAIL .*$|^MV: VM .* crashed.*$", proc.stdout, re.M)
    if failed:
        sys.exit(f"bench: {system} (selector {selector}): a guest failed: {failed[0]}")
    if not figures:
        sys.exit(f"bench: {system} printed no @@BENCH lines:\n{proc.stdout[-2000:]}")
    return figures


def bound_of(name):
    """The memcpy bound of a throughput figure (same size suffix), or None."""
    for prefix in THROUGHPUT_PREFIXES:
        if name.startswith(prefix) and not name.endswith("_ping_pong"):
            return BOUND_PREFIX + name[len(prefix):]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default="build/default", type=Path)
    ap.add_argument("--check", action="store_true", help="fail when a figure misses its target")
    ap.add_argument("--build-traced", action="store_true",
                    help="build the TRACED systems' -trace images first (make bench; a reference build has bench's)")
    args = ap.parse_args()
    if args.build_traced:
        wanted = [f"system-{system}-trace" for system in dict.fromkeys(s for s, _, _ in TRACED)]
        if subprocess.run(["cmake", "--build", str(args.build_dir / "cross"), "--target", *wanted],
                          capture_output=True).returncode != 0:
            print("bench: the traced images did not build: their figures are left out")
    figures = {}
    for system, selector, suffix in SYSTEMS:
        first, second = run(args.build_dir, system, selector, suffix), run(args.build_dir, system, selector, suffix)
        if first != second:
            sys.exit(f"bench: {system} did not repeat: {first} vs {second}")
        figures.update(first)
    targets = dict(TARGETS)
    for name, (base, factor) in RELATIVE_TARGETS.items():
        if base in figures:
            targets[name] = factor * figures[base]["value"]
    ratios = {}
    for name in figures:
        bound = bound_of(name)
        if bound in figures and figures[bound]["value"] > 0:
            ratios[name] = {"of": bound, "ratio": figures[name]["value"] / figures[bound]["value"]}
    print(f"{'benchmark':<28}{'value':>10}  unit          target")
    failed = []
    for name, f in figures.items():
        target = targets.get(name)
        mark = ""
        if target is not None:
            mark = f"<= {target}" + (f" ({RELATIVE_TARGETS[name][1]}x {RELATIVE_TARGETS[name][0]})"
                                     if name in RELATIVE_TARGETS else "")
            mark += "" if f["value"] <= target else "  MISSED"
            if f["value"] > target:
                failed.append(name)
        if name in ratios:
            r = ratios[name]
            mark = f"{100 * r['ratio']:.1f}% of {r['of']}"
            if name in MIN_RATIOS:
                mark += f" (>= {100 * MIN_RATIOS[name]:.0f}%)"
                if r["ratio"] < MIN_RATIOS[name]:
                    mark += "  MISSED"
                    failed.append(name)
        elif name in MIN_RATIOS:
            mark = f"no {bound_of(name)} to compare with  MISSED"
            failed.append(name)
        print(f"{name:<28}{f['value']:>10}  {f['unit']:<12}  {mark}")
    print("(QEMU -icount shift=0; PMU cycle counter with PMCCFILTR.NSH, CNTVCT across VMs; "
          "B/kinstr = MB/s at 1 instruction per ns; each figure repeated bit for bit)")
    traced = {}
    for system, selector, suffix in TRACED:
        if not (args.build_dir / "images" / f"{system}-trace.elf").is_file():
            continue
        for name, f in run(args.build_dir, system, selector, suffix, "-trace").items():
            if name in figures and f["unit"] == "instructions":
                traced[name] = f["value"]
    if traced:
        print("with the trace buffer compiled in (<system>-trace.elf, make trace):")
        for name, value in traced.items():
            print(f"  {name:<26}{value:>10}  instructions  {value - figures[name]['value']:+d} traced")
    out = args.build_dir / "bench.json"
    out.write_text(json.dumps({"figures": figures, "traced": traced, "targets": targets, "ratios": ratios,
                               "min_ratios": MIN_RATIOS}, indent=2) + "\n")
    print(f"written: {out}")
    if args.check and failed:
        print(f"bench: missed target(s): {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
