#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""plot.py: a trace (tools/trace/trace.py's trace.json) as a timeline SVG.

    /usr/bin/python3 tools/trace/plot.py trace.json out.svg [--from MS --to MS]

One row per vCPU: a bar where it ran, and a mark for each event on it (the
HYP timer, traps, hypercalls, interrupts raised, injected and ended, channel
calls). Debian's matplotlib (python3-matplotlib), hence /usr/bin/python3; the
same trace gives the same bytes.
"""
import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MARKS = {  # category: (marker, colour, legend)
    "timer": ("|", "#7f7f7f", "HYP timer"),
    "hypercall": (".", "#2ca02c", "hypercall"),
    "trap": ("x", "#8c564b", "other trap"),
    "raise": ("^", "#d62728", "vIRQ raised"),
    "inject": ("v", "#ff7f0e", "vIRQ in a list register"),
    "eoi": ("o", "#9467bd", "guest EOI"),
    "channel_send": (">", "#17becf", "channel send"),
    "channel_recv": ("<", "#bcbd22", "channel receive"),
    "stage2_fault": ("D", "#e377c2", "stage-2 fault"),
    "vm_stop": ("*", "#000000", "VM stops"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trace", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--from", dest="start", type=float, default=None, help="ms")
    ap.add_argument("--to", dest="end", type=float, default=None, help="ms")
    ap.add_argument("--title", default="")
    args = ap.parse_args()
    events = json.loads(args.trace.read_text())["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    tids = sorted(names)
    lo = args.start * 1000 if args.start is not None else 0.0
    hi = args.end * 1000 if args.end is not None else max((e.get("ts", 0) + e.get("dur", 0) for e in events), default=1)

    def inside(ts):
        return lo <= ts <= hi

    plt.rcParams.update({"svg.hashsalt": "trace", "svg.fonttype": "none", "font.size": 8})
    fig, ax = plt.subplots(figsize=(7.5, 0.8 * len(tids) + 1.6))
    row = {tid: len(tids) - 1 - k for k, tid in enumerate(tids)}
    for e in events:
        if e.get("ph") == "X" and e["tid"] in row and e["ts"] + e["dur"] >= lo and e["ts"] <= hi:
            s, f = max(e["ts"], lo), min(e["ts"] + e["dur"], hi)
            ax.broken_barh([(s / 1000, (f - s) / 1000)], (row[e["tid"]] - 0.3, 0.6), color="#c6dbef",
                           edgecolor="#3182bd", linewidth=0.5)
    seen = set()
    # Each kind of event in a lane of its own above the run bars, so that marks at one moment do not hide each other.
    present = [c for c in MARKS if any(e.get("ph") == "i" and e.get("cat") == c and inside(e["ts"]) for e in events)]
    lane = {c: 0.38 + 0.5 * k / max(len(present), 1) for k, c in enumerate(present)}
    for cat, (marker, colour, legend) in MARKS.items():
        xs = [e["ts"] / 1000 for e in events if e.get("ph") == "i" and e.get("cat") == cat and inside(e["ts"])]
        ys = [row[e["tid"]] + lane.get(cat, 0.38) for e in events
              if e.get("ph") == "i" and e.get("cat") == cat and inside(e["ts"])]
        if xs:
            ax.scatter(xs, ys, marker=marker, s=14, color=colour, label=legend, linewidths=0.8, zorder=3)
            seen.add(cat)
    ax.set_yticks(range(len(tids)))
    ax.set_yticklabels([names[t] for t in reversed(tids)])
    ax.set_ylim(-0.5, len(tids) - 0.05)
    ax.set_xlim(lo / 1000, hi / 1000)
    ax.set_xlabel("virtual time (ms): bars are where each vCPU ran")
    if args.title:
        ax.set_title(args.title)
    if seen:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45 / (0.8 * len(tids) + 1.6) * 3), ncol=5,
                  frameon=False, fontsize=7)
    ax.grid(axis="x", linewidth=0.3)
    fig.tight_layout()
    fig.savefig(args.out, metadata={"Date": None}, bbox_inches="tight")
    print(f"make trace: wrote {args.out}")


if __name__ == "__main__":
    main()
