#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""plot-bench.py: make bench's figures as a plot, in two panels.

    /usr/bin/python3 tools/plot-bench.py <bench.json> <out.svg|out.png>

Reads what tools/bench.py wrote and draws
  (a) the cost of each path in instructions, one horizontal bar per path
      (the null hypercall in the Lab 1, 3 and 4 systems, the vCPU switch, the
      stage-2 unmap and map, the vIRQ raise to another VM's handler, the
      virtual timer's interrupt to the guest's handler, the maintenance
      interrupt's refill, a channel's ping-pong and the same over a shared
      ring), on a log scale, with its value printed at the bar and its target
      (tools/bench.py's, as bench.json has them) marked where it has one;
  (b) the throughput of a stream of 64 B, 1 KiB and 2 KiB messages in
      B/kinstr: the memcpy bound, the channel and the shared ring side by
      side, each with its share of the bound, and the channel's target at
      2 KiB (45 % of the bound) as a line.
A figure bench.json does not have is left out. Needs Debian's matplotlib
(python3-matplotlib, tools/deps.sh), hence /usr/bin/python3; the output is
the same bytes for the same JSON.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CHANNEL, RING, BOUND = "#1f77b4", "#ff7f0e", "#9e9e9e"
# Panel (a), top to bottom, in the order of the labs: (figure, label, colour).
PATHS = (("null_hypercall_lab1", "null hypercall, Lab 1 system", CHANNEL),
         ("null_hypercall_lab3", "null hypercall, Lab 3 system", CHANNEL),
         ("null_hypercall_lab4", "null hypercall, Lab 4 system", CHANNEL),
         ("vcpu_switch", "vCPU switch (one way)", CHANNEL),
         ("stage2_unmap_map_page", "stage-2 unmap + map of a 4 KiB page", CHANNEL),
         ("virq_raise_to_handler", "vIRQ raise to the other VM's handler", CHANNEL),
         ("vtimer_irq_to_handler", "virtual timer IRQ to the guest's handler", CHANNEL),
         ("maintenance_refill", "maintenance interrupt: one LR refill", CHANNEL),
         ("channel_ping_pong", "channel ping-pong between two VMs", CHANNEL),
         ("shm_virq_ping_pong", "ping-pong over a shared ring + vIRQs", RING))
# Panel (b): the message sizes (figure suffix, label), then the series (prefix, label, colour).
SIZES = (("64", "64 B"), ("1k", "1 KiB"), ("2k", "2 KiB"))
SERIES = (("memcpy_bound_", "memcpy in the guest (bound)", BOUND), ("channel_throughput_", "channel", CHANNEL),
          ("shm_virq_", "shared ring + vIRQs", RING))


def paths(ax, data):
    figures, targets = data["figures"], data.get("targets", {})
    rows = [(name, label, colour) for name, label, colour in PATHS if name in figures]
    ys = range(len(rows))
    values = [figures[name]["value"] for name, _, _ in rows]
    ax.barh(ys, values, 0.65, color=[colour for _, _, colour in rows])
    marked = False
    for y, (name, _, _), value in zip(ys, rows, values):
        target = targets.get(name)
        text = f"{value:,}" + (f"  (target ≤ {target:,})" if target is not None else "")
        # After the bar, or after the target's mark when that is further right.
        ax.annotate(text, (max(value, target or 0), y), xytext=(4, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=8)
        if target is not None:
            ax.vlines(target, y - 0.45, y + 0.45, colors="black", linewidth=1.2,
                      label=None if marked else "target (at most)")
            marked = True
    ax.set_yticks(list(ys))
    ax.set_yticklabels([label for _, label, _ in rows])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(50, max(values) * 3)
    ax.set_xlabel("instructions (log scale)")
    ax.set_title("(a) the cost of each path", fontsize=9, loc="left")
    if marked:
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def throughput(ax, data):
    figures, ratios, min_ratios = data["figures"], data.get("ratios", {}), data.get("min_ratios", {})
    sizes = [(suffix, label) for suffix, label in SIZES if any(p + suffix in figures for p, _, _ in SERIES)]
    width = 0.28
    for j, (prefix, label, colour) in enumerate(SERIES):
        xs, ys, names = [], [], []
        for i, (suffix, _) in enumerate(sizes):
            if prefix + suffix in figures:
                xs.append(i + (j - 1) * width)
                ys.append(figures[prefix + suffix]["value"])
                names.append(prefix + suffix)
        ax.bar(xs, ys, width, label=label, color=colour)
        for x, y, name in zip(xs, ys, names):
            text = f"{y}" + (f"\n{100 * ratios[name]['ratio']:.1f}%" if name in ratios else "")
            ax.annotate(text, (x, y), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=7, linespacing=1.0)
    # A target: at least a share of the bound, as a dashed line over its size's bars.
    for name, share in min_ratios.items():
        bound = ratios.get(name, {}).get("of")
        i = next((i for i, (suffix, _) in enumerate(sizes) if name.endswith("_" + suffix)), None)
        if bound not in figures or i is None:
            continue
        label = next(label for prefix, label, _ in SERIES if name.startswith(prefix))
        ax.hlines(share * figures[bound]["value"], i - 1.6 * width, i + 1.6 * width, colors="black",
                  linestyles="dashed", linewidth=1,
                  label=f"{label}'s target at {sizes[i][1]}: ≥ {100 * share:.0f}% of the bound")
    ax.set_xticks(range(len(sizes)))
    ax.set_xticklabels([f"{label} messages" for _, label in sizes])
    ax.set_ylabel("B/kinstr (= MB/s at 1 instr/ns)")
    top = max((bar.get_height() for bar in ax.patches), default=1)
    ax.set_ylim(0, top * 1.5)
    ax.set_title("(b) streams of messages against the memcpy bound (B/kinstr; % of the bound)", fontsize=9,
                 loc="left")
    handles, labels = ax.get_legend_handles_labels()  # the bars first, then the target
    order = sorted(range(len(handles)), key=lambda k: not isinstance(handles[k], matplotlib.container.BarContainer))
    ax.legend([handles[k] for k in order], [labels[k] for k in order], loc="upper left", ncol=2, fontsize=8,
              frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} <bench.json> <out.svg|out.png>")
    data = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    plt.rcParams.update({"svg.hashsalt": "bench", "svg.fonttype": "none", "font.size": 9})
    # Two subfigures, so that (a)'s long labels do not push (b) to the right.
    fig = plt.figure(figsize=(7.5, 7.0), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.3, 1])
    paths(top.subplots(), data)
    throughput(bottom.subplots(), data)
    fig.suptitle("make bench: QEMU -icount shift=0, instructions counted in the guests (each run repeated bit for bit)",
                 fontsize=9)
    fig.savefig(out, metadata={"Date": None} if out.suffix == ".svg" else None, dpi=150)
    print(f"plot-bench: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
