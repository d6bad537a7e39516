#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""plot.py: a trace (tools/trace/trace.py's trace.json) as a timeline SVG.

    /usr/bin/python3 tools/trace/plot.py trace.json out.svg [--from MS --to MS] [--kinds K,K...]

One row per vCPU: a bar where it ran, and a mark for each event on it (the
HYP timer, traps, hypercalls, interrupts raised, injected and ended, channel
calls), each kind in a lane of its own. --kinds keeps only those kinds of
marks (the names of MARKS below). Over a long window, what falls within one
point of the plot's width is drawn once: a Linux boot of 45,000 events is a
figure of a few hundred kilobytes, and a row with too many runs to tell
apart shows its vCPU's share of the CPU instead. Debian's matplotlib (python3-matplotlib),
hence /usr/bin/python3; the same trace gives the same bytes. draw() is what
the book's trace figures call (book/_ext/trace_figure.py).
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
POINTS = 1500  # the resolution of the time axis: marks closer than (window / POINTS) are drawn once
BAR = (-0.42, 0.34)       # a vCPU's row r: its runs from r - 0.42, 0.34 high (the tick at r - 0.25)
LANES = (0.02, 0.42)      # and its marks in lanes from r + 0.02 to r + 0.42, each kind in one
IDLE = 0xffff  # trace.py's track for the events while no vCPU runs
IRQ_MARKS = ("raise", "inject", "eoi")
NUMBERED = 60  # at most this many interrupt marks in the window: each is labelled with its interrupt's ID
SHARES = 250   # a row with more runs than SHARES / 2 is drawn as its share of the CPU in SHARES bins


def draw(trace, out, start=None, end=None, kinds=None, title=""):
    """Draw `trace` (the Chrome trace-event dict) into the SVG file `out`.
    start and end in ms (None: the whole run); kinds: the mark categories to
    draw (None: all). Returns {kind: how many marks of it are in the window}.
    A window shorter than 0.1 ms is drawn in microseconds."""
    unknown = set(kinds or ()) - set(MARKS)
    if unknown:
        raise ValueError(f"unknown event kinds {sorted(unknown)}: the kinds are {', '.join(MARKS)}")
    events = trace["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    tids = sorted(names)
    lo = start * 1000 if start is not None else 0.0
    hi = end * 1000 if end is not None else max(max((e.get("ts", 0) + e.get("dur", 0) for e in events), default=0) * 1.005,
                                                lo + 1.0)  # a run stopped at once is still a microsecond wide
    if hi <= lo:
        raise ValueError(f"an empty window: from {lo / 1000} ms to {hi / 1000} ms")
    quantum = (hi - lo) / POINTS
    if IDLE in names and not any(e.get("ph") == "i" and e["tid"] == IDLE and lo <= e["ts"] <= hi and
                                 (kinds is None or e.get("cat") in kinds) for e in events):
        tids.remove(IDLE)  # the idle row only where it has a mark (the HYP timer while no vCPU runs)
    unit, unit_name = (1000.0, "ms") if hi - lo >= 100 else (1.0, "µs")  # the axis; times are in µs

    plt.rcParams.update({"svg.hashsalt": "trace", "svg.fonttype": "none", "font.size": 8})
    fig, ax = plt.subplots(figsize=(7.5, 0.9 * len(tids) + 1.4))
    row = {tid: len(tids) - 1 - k for k, tid in enumerate(tids)}

    # Each vCPU's runs inside the window. Where they are too many to tell apart
    # (a long window), the share of the CPU each vCPU had in each of SHARES bins.
    runs = {tid: [] for tid in tids}
    for e in events:
        if e.get("ph") == "X" and e["tid"] in row and e["ts"] + e["dur"] >= lo and e["ts"] <= hi:
            runs[e["tid"]].append((max(e["ts"], lo), min(e["ts"] + e["dur"], hi)))
    shares = max((len(r) for r in runs.values()), default=0) > SHARES / 2
    for tid, r in runs.items():
        if not r:
            continue
        if not shares:
            ax.broken_barh([(s / unit, (f - s) / unit) for s, f in r], (row[tid] + BAR[0], BAR[1]), color="#c6dbef",
                           edgecolor="#3182bd", linewidth=0.5)
            continue
        width = (hi - lo) / SHARES
        share = [0.0] * SHARES
        for s, f in r:
            for b in range(int((s - lo) / width), min(int((f - lo) / width), SHARES - 1) + 1):
                a, z = lo + b * width, lo + (b + 1) * width
                share[b] += max(0.0, min(f, z) - max(s, a)) / width
        xs = [(lo + b * width) / unit for b in range(SHARES + 1)]
        ax.fill_between(xs, row[tid] + BAR[0], [row[tid] + BAR[0] + BAR[1] * min(v, 1.0) for v in share + share[-1:]],
                        step="post", color="#c6dbef", edgecolor="#3182bd", linewidth=0.5)

    # Each kind of event in a lane of its own above the run bars, so that marks at one moment do not hide each other.
    wanted = [c for c in MARKS if kinds is None or c in kinds]
    marks = {c: set() for c in wanted}  # category -> {(tid, quantum index)}
    irq = {}                            # (category, tid, quantum index) -> an interrupt mark's ID
    for e in events:
        if e.get("ph") == "i" and e.get("cat") in marks and e["tid"] in row and lo <= e["ts"] <= hi:
            q = int((e["ts"] - lo) / quantum)
            marks[e["cat"]].add((e["tid"], q))
            if e["cat"] in IRQ_MARKS:
                irq.setdefault((e["cat"], e["tid"], q), int(e["args"]["a"], 16))
    numbered = len(irq) <= NUMBERED  # few enough interrupt marks to write each one's ID beside it
    present = [c for c in wanted if marks[c]]
    lane = {c: LANES[0] + (LANES[1] - LANES[0]) * k / max(len(present) - 1, 1) for k, c in enumerate(present)}
    drawn = {c: len(marks[c]) for c in wanted}
    for cat in present:
        marker, colour, legend = MARKS[cat]
        points = sorted(marks[cat])
        ax.scatter([(lo + (q + 0.5) * quantum) / unit for _, q in points], [row[t] + lane[cat] for t, _ in points],
                   marker=marker, s=14, color=colour, label=legend, linewidths=0.8, zorder=3)
        if numbered and cat in IRQ_MARKS:
            for t, q in points:
                ax.annotate(str(irq[(cat, t, q)]), ((lo + (q + 0.5) * quantum) / unit, row[t] + lane[cat]),
                            xytext=(0, 3.5), textcoords="offset points", ha="center", fontsize=5, color=colour)
    ax.set_yticks([r + BAR[0] + BAR[1] / 2 for r in range(len(tids))])
    for r in range(1, len(tids)):
        ax.axhline(r - 0.5, color="#d9d9d9", linewidth=0.5)
    ax.set_yticklabels([names[t] for t in reversed(tids)])
    ax.set_ylim(-0.5, len(tids) - 0.5)
    ax.set_xlim(lo / unit, hi / unit)
    ax.set_xlabel(f"virtual time ({unit_name}): the height of a row is its vCPU's share of the CPU in each "
                  f"{(hi - lo) / SHARES / 1000:.3g} ms" if shares else
                  f"virtual time ({unit_name}): bars are where each vCPU ran")
    if title:
        ax.set_title(title)
    ax.grid(axis="x", linewidth=0.3)
    if present:
        fig.legend(loc="lower center", ncol=5, frameon=False, fontsize=7)
    fig.tight_layout(rect=(0, 0.07 if present else 0, 1, 1))
    fig.savefig(out, metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return drawn


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trace", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--from", dest="start", type=float, default=None, help="ms")
    ap.add_argument("--to", dest="end", type=float, default=None, help="ms")
    ap.add_argument("--kinds", default=None, help=f"the marks to draw, of: {','.join(MARKS)}")
    ap.add_argument("--title", default="")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k] if args.kinds else None
    try:
        draw(json.loads(args.trace.read_text()), args.out, args.start, args.end, kinds, args.title)
    except ValueError as e:
        raise SystemExit(f"plot.py: {e}")
    print(f"make trace: wrote {args.out}")


if __name__ == "__main__":
    main()
