#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""plot-bench-linux.py: make bench-linux's figures as a plot, each configuration against native Linux.

    /usr/bin/python3 tools/linux/plot-bench-linux.py <bench-linux.json> <out.svg|out.png>

Reads what tools/linux/bench-linux.py wrote and draws, for each workload that
native Linux has a figure for, one bar per configuration (native, the
microvisor, Xen 4.17): its median divided by native's median, with the
spread of its runs (min to max) as an error bar and the microvisor's target
as a mark. Times and latencies: lower is better; throughput: higher is better.
Needs Debian's matplotlib (python3-matplotlib, tools/deps.sh), hence
/usr/bin/python3; the output is the same bytes for the same JSON.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CONFIGS = (("native", "native", "#9e9e9e"), ("microvisor", "microvisor", "#1f77b4"), ("xen", "Xen 4.17", "#d62728"))
# The plot's short names, and which way is better.
SHORT = {"boot_s": ("boot to shell", "lower"), "hackbench_s": ("hackbench", "lower"),
         "cyclictest_avg_us": ("cyclictest avg", "lower"), "cyclictest_max_us": ("cyclictest max", "lower"),
         "iperf3_loopback_mbps": ("iperf3 loopback", "higher")}


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} <bench-linux.json> <out.svg|out.png>")
    data = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    keys = [r["key"] for r in data["rows"] if r["key"] in SHORT and r["key"] in data["native"]]
    plt.rcParams.update({"svg.hashsalt": "bench-linux", "svg.fonttype": "none", "font.size": 9})
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    width = 0.26
    for j, (config, label, colour) in enumerate(CONFIGS):
        xs, ys, lo, hi = [], [], [], []
        for i, key in enumerate(keys):
            base = data["native"][key]
            runs = [r[key] for r in data["every_run"][config] if key in r]
            y = data[config][key] / base
            xs.append(i + (j - 1) * width)
            ys.append(y)
            lo.append(y - min(runs) / base)
            hi.append(max(runs) / base - y)
        ax.bar(xs, ys, width, label=label, color=colour, yerr=[lo, hi], capsize=2,
               error_kw={"elinewidth": 0.8, "ecolor": "black"})
        if config != "native":  # its bars are 1
            for x, y in zip(xs, ys):
                ax.annotate(f"{y:.2f}", (x, y), xytext=(0, -3), textcoords="offset points", ha="center", va="top",
                            fontsize=7, color="white")
    # The microvisor's targets (against native), as a dash over its bar.
    targets = data.get("targets", {})
    marked = False
    for i, key in enumerate(keys):
        t = targets.get(key)
        if not t:
            continue
        limit = t["max_ratio"] if "max_ratio" in t else (data["native"][key] + t["max_plus_us"]) / data["native"][key]
        ax.hlines(limit, i - 0.5 * width, i + 0.5 * width, colors="black", linestyles="dashed", linewidth=1,
                  label=None if marked else "microvisor's target")
        marked = True
    ax.axhline(1.0, color="black", linewidth=0.5)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([f"{SHORT[k][0]}\n({SHORT[k][1]} is better)" for k in keys])
    ax.set_ylabel("against native Linux (native = 1)")
    top = max(1.0, *(bar.get_height() for bar in ax.patches))
    ax.set_ylim(0, top * 1.25)
    ax.set_title(f"make bench-linux: Linux {data['linux'].split()[0]}, QEMU -icount "
                 f"(medians of {data['runs']} runs, min-max bars)", fontsize=9)
    ax.legend(loc="upper center", ncol=4, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(out, metadata={"Date": None} if out.suffix == ".svg" else None, dpi=150)
    print(f"plot-bench-linux: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
