#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench-linux.py: `make bench-linux`. The same Debian kernel and initramfs on the
same QEMU, natively and on the microvisor, under -icount shift=0,sleep=off (one
instruction per virtual nanosecond: the figures repeat), running the workloads of
issue 10: boot to the shell, hackbench -g 2 -l 50, cyclictest -l 500 -i 1000.
rcS runs them when the kernel command line says mv.bench (guests/linux/rootfs).
Prints a table and writes <build>/bench-linux.json. Xen 4.17 is not measured yet.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

QEMU = ["qemu-system-arm", "-cpu", "cortex-a15", "-m", "256M", "-nodefaults", "-display", "none",
        "-monitor", "none", "-serial", "stdio", "-icount", "shift=0,sleep=off"]
# Targets: the microvisor against native (issue 10).
TARGETS = {"boot_s": ("ratio", 1.07), "hackbench_s": ("ratio", 1.05), "cyclictest_avg_us": ("plus", 4)}


def run(cmd, timeout):
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                         timeout=timeout)
    return out.stdout + out.stderr


def figures(console, where):
    """The mv-bench: lines rcS prints (prefixed [<vm>] on the microvisor)."""
    f = {}
    m = re.search(r"mv-bench: boot ([0-9.]+)", console)
    if m:
        f["boot_s"] = float(m.group(1))
    m = re.search(r"mv-bench: hackbench Time: ([0-9.]+)", console)
    if m:
        f["hackbench_s"] = float(m.group(1))
    m = re.search(r"mv-bench: cyclictest .*Min:\s*(\d+).*Avg:\s*(\d+).*Max:\s*(\d+)", console)
    if m:
        f["cyclictest_min_us"], f["cyclictest_avg_us"], f["cyclictest_max_us"] = map(int, m.groups())
    missing = [k for k in ("boot_s", "hackbench_s", "cyclictest_avg_us") if k not in f]
    if missing:
        tail = "\n".join(console.splitlines()[-25:])
        sys.exit(f"bench-linux: {where}: no {', '.join(missing)} in its console; its end:\n{tail}")
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    args = ap.parse_args()
    build = args.build_dir.resolve()
    linux = build / "cross" / "linux"
    image = build / "images" / "bench-linux.elf"
    for f in (linux / "zImage", linux / "bench.cpio.gz", image):
        if not f.is_file():
            sys.exit(f"bench-linux: {f} is missing: build first (make), with Lab 6's Linux assets")
    version = (linux / "VERSION").read_text().strip()
    print(f"bench-linux: Linux {version}, QEMU -icount shift=0,sleep=off (1 instruction = 1 ns)")
    native = figures(run(QEMU + ["-M", "virt,gic-version=2", "-kernel", str(linux / "zImage"),
                                 "-initrd", str(linux / "bench.cpio.gz"), "-append", "console=ttyAMA0 mv.bench"],
                         600), "native Linux")
    mv = figures(run(QEMU[:4] + ["1024M"] + QEMU[5:] + ["-M", "virt,virtualization=on,gic-version=2",
                                                         "-kernel", str(image)], 600), "Linux on the microvisor")
    rows, misses = [], []
    for key, label in (("boot_s", "boot to shell (s)"), ("hackbench_s", "hackbench -g 2 -l 50 (s)"),
                       ("cyclictest_avg_us", "cyclictest -l 500 -i 1000: avg (us)"),
                       ("cyclictest_max_us", "cyclictest: max (us)")):
        n, m = native[key], mv[key]
        target = TARGETS.get(key)
        ok, goal = True, ""
        if target and target[0] == "ratio":
            goal, ok = f"<= +{round((target[1] - 1) * 100)}%", m <= n * target[1]
        elif target:
            goal, ok = f"<= native + {target[1]}", m <= n + target[1]
        rows.append((label, n, m, f"{(m / n - 1) * 100:+.1f}%" if n else "-", goal, ok))
        if not ok:
            misses.append(label)
    print(f"{'workload':40} {'native':>10} {'microvisor':>11} {'change':>8}  target")
    for label, n, m, change, goal, ok in rows:
        print(f"{label:40} {n:>10} {m:>11} {change:>8}  {goal}{'' if ok or not goal else '  MISSED'}")
    (build / "bench-linux.json").write_text(json.dumps(
        {"linux": version, "native": native, "microvisor": mv, "missed": misses}, indent=2) + "\n")
    print(f"bench-linux: wrote {build / 'bench-linux.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
