#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench-linux.py: `make bench-linux`. Debian's kernel and the bench initramfs, natively, on the microvisor and as dom0 on Xen 4.17.

The same kernel (cross/linux/zImage), initramfs (bench.cpio.gz) and QEMU
(Cortex-A15, virt, GICv2), under -icount shift=0,sleep=off: one instruction per
virtual nanosecond, so the figures are virtual time and do not depend on the
host. Three configurations, 256 MiB and one CPU for Linux in each:

  native       QEMU's own loader: -kernel zImage -initrd bench.cpio.gz
  microvisor   images/bench-linux.elf (systems/bench-linux.toml), Linux its one VM
  xen          Debian's Xen 4.17 (cross/linux/xen, tools/linux/assets.sh) as QEMU's
               -kernel, Linux as dom0 (dom0_mem=256M, dom0_max_vcpus=1), its kernel
               and initramfs placed by QEMU's guest-loader devices; dom0's console
               is hvc0, which Xen writes to the PL011

rcS (guests/linux/rootfs) runs the workloads when the kernel command line says
mv.bench: boot to the shell (/proc/uptime), hackbench -g 2 -l 50, cyclictest
-l 500 -i 1000, iperf3 over loopback (64 MiB), each printed on an "mv-bench:"
line, then powers off. A fourth run, images/bench-linux-pair.elf, is iperf3
between two Linux VMs over a channel (16 MiB), which only the microvisor has
here (Xen would need a toolstack to start a second domain).

The kernel's random state changes hackbench's instruction count from boot to
boot (natively by some 6%, through address-space randomisation and the like),
so each configuration boots --runs times and the table shows medians (the JSON
has every run). norandmaps on every command line halves that spread natively. Native Linux and dom0 are seeded by the PL031's time of day
and QEMU's device-tree rng-seed, different at each boot; the microvisor's VMs
have neither, so their runs would all repeat one random state. The kernel also
mixes its command line into its random pool: every command line ends in
mv.run=<two digits>, which nothing reads, and the microvisor's runs boot a copy
of their image with the run's number written there. Runs go --jobs at a time:
virtual time does not see the host's load.

Prints a table (targets: the microvisor against native) and writes
<build>/bench-linux.json and every console to <build>/bench-linux/.
"""
import argparse
import concurrent.futures
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

QEMU = ["qemu-system-arm", "-cpu", "cortex-a15", "-nodefaults", "-display", "none", "-monitor", "none",
        "-serial", "stdio", "-icount", "shift=0,sleep=off", "-no-reboot"]
HYP = ["-M", "virt,virtualization=on,gic-version=2", "-m", "1024M"]
# Linux's command line, the same in each configuration but for its console (as systems/bench-linux.toml has
# it; RUN's two digits are the run's number, written into a copy of the microvisor's image).
BOOTARGS = "mv.bench norandmaps mv.run={:02d}"
RUN = b"mv.run=00"
# Xen: its console on the virt board's PL011; dom0 with Linux's 256 MiB and one vCPU; timestamps on its
# own lines (how long Xen takes before dom0 runs). guest-loader places dom0's kernel and initramfs in RAM
# (0x40000000 up) above Xen (loaded at 0x40010000) and below QEMU's device tree (0x48000000).
XEN_ARGS = "dom0_mem=256M dom0_max_vcpus=1 console=dtuart dtuart=/pl011@9000000 console_timestamps=boot"
XEN_KERNEL_AT, XEN_INITRD_AT, DTB_AT = 0x42000000, 0x44000000, 0x48000000

CONFIGS = ("native", "microvisor", "xen")
NAMES = {"native": "native Linux", "microvisor": "Linux on the microvisor", "xen": "Linux as dom0 on Xen 4.17",
         "pair": "two Linux VMs on the microvisor"}
# (key, label, unit). Units: s and Mbit/s compare as ratios, us as differences.
ROWS = (("boot_s", "boot to shell (s)", "s"),
        ("hackbench_s", "hackbench -g 2 -l 50 (s)", "s"),
        ("cyclictest_avg_us", "cyclictest -l 500 -i 1000: avg (us)", "us"),
        ("cyclictest_max_us", "cyclictest: max (us)", "us"),
        ("iperf3_loopback_mbps", "iperf3 loopback (Mbit/s)", "Mbit/s"),
        ("iperf3_channel_mbps", "iperf3 VM to VM over a channel (Mbit/s)", "Mbit/s"))
# What each run must print.
NEEDS = {"native": ("boot_s", "hackbench_s", "cyclictest_avg_us", "iperf3_loopback_mbps"),
         "pair": ("iperf3_channel_mbps",)}
NEEDS["microvisor"] = NEEDS["native"]
NEEDS["xen"] = NEEDS["native"] + ("xen_start_s",)
# Targets: the microvisor against native (issue 10).
TARGETS = {"boot_s": ("ratio", 1.07), "hackbench_s": ("ratio", 1.05), "cyclictest_avg_us": ("plus", 4)}


# The exception classes (HSR.EC, ARM ARM B3.13.6) a Linux VM's traps fall in.
TRAP_CLASSES = {"irq": "physical interrupts (timer ticks, devices)", "0x1": "WFI/WFE", "0x3": "CP15 (32-bit)",
                "0x4": "CP15 (64-bit)", "0x5": "CP14: ThumbEE (TEEHBR), debug ID",
                "0x7": "VFP/SIMD access (HCPTR)", "0x12": "HVC: PSCI, channel calls", "0x13": "SMC",
                "0x20": "prefetch abort (stage 2)", "0x24": "data abort: emulated devices (UART, GIC distributor)"}


class RunFailed(Exception):
    pass


def figures(console):
    """The mv-bench: lines rcS prints, wherever they start (the microvisor prefixes [<vm>])."""
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
    for kind in ("loopback", "channel"):
        m = re.search(rf"mv-bench: iperf3 {kind} .*?([0-9.]+) Mbits/sec.*receiver", console)
        if m:
            f[f"iperf3_{kind}_mbps"] = float(m.group(1))
    # The microvisor's counters (systems/bench-linux.toml: trap_report = true), the
    # whole run's: "MV: traps linux in 4101 ms: irq 4808, ec 0x5 20215, ...".
    m = re.search(r"MV: traps linux in (\d+) ms: irq (\d+)((?:, ec 0x[0-9a-f]+ \d+)*)", console)
    if m:
        f["run_ms"], f["traps_irq"] = int(m.group(1)), int(m.group(2))
        for ec, n in re.findall(r"ec (0x[0-9a-f]+) (\d+)", m.group(3)):
            f[f"traps_ec_{ec}"] = int(n)
    # Xen's own start, until it hands the processor to dom0 (console_timestamps=boot).
    m = re.search(r"\(XEN\) \[\s*([0-9.]+)\] Freed \d+kB init memory", console)
    if m:
        f["xen_start_s"] = float(m.group(1))
    return f


class Runner:
    def __init__(self, logs, timeout):
        self.logs, self.timeout = logs, timeout
        self.lock, self.procs, self.stopping = threading.Lock(), set(), False

    def run(self, config, index, cmd, image=None):
        """One QEMU run: its figures and host seconds, its console in <logs>/<config>-<index>.log.
        image: a microvisor image to boot (-kernel) with the run's number in its VMs' mv.run=00."""
        log = self.logs / f"{config}-{index}.log"
        copy = None
        if image:
            data = image.read_bytes()
            if RUN not in data:
                raise RunFailed(f"bench-linux: {image} has no {RUN.decode()} in its VMs' command lines "
                                "(systems/bench-linux*.toml): rebuild it (make)")
            copy = self.logs / f"{config}-{index}.elf"
            copy.write_bytes(data.replace(RUN, RUN[:-2] + b"%02d" % index))
            cmd = cmd + ["-kernel", str(copy)]
        with self.lock:
            if self.stopping:
                raise RunFailed("")
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.procs.add(p)
        start, why = time.monotonic(), ""
        try:
            out, _ = p.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            why = f"still running after {self.timeout} s; stopped"
        finally:
            with self.lock:
                self.procs.discard(p)
            if copy:
                copy.unlink()
        wall = time.monotonic() - start
        console = out.decode(errors="replace")
        log.write_text(console)
        f = figures(console)
        missing = [k for k in NEEDS[config] if k not in f]
        if missing and not self.stopping:
            tail = "\n".join(console.splitlines()[-25:])
            raise RunFailed(f"bench-linux: {NAMES[config]} (run {index + 1}): "
                            f"{why or f'QEMU exited with status {p.returncode}'}, "
                            f"no {', '.join(missing)} in its console ({log}); its end:\n{tail}")
        return f, wall

    def stop(self):
        with self.lock:
            self.stopping = True
            for p in self.procs:
                p.kill()


def median(values):
    m = statistics.median(values)
    return int(m) if isinstance(m, float) and m.is_integer() and all(isinstance(v, int) for v in values) else m


def show(value, unit):
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.3f}" if value < 1 else f"{value:.2f}"
    return f"{value:g}" if unit == "us" else f"{value:.0f}"


def change(base, value, unit):
    """value against base: a ratio for s and Mbit/s, a difference for us; None if either is missing."""
    if base is None or value is None:
        return None
    return value - base if unit == "us" else value / base


def show_change(c, unit):
    if c is None:
        return "n/a"
    return f"{c:+g} us" if unit == "us" else f"{(c - 1) * 100:+.1f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--runs", type=int, default=5, help="boots of each configuration (default 5)")
    ap.add_argument("--jobs", type=int, default=2, help="QEMUs at a time (default 2)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds before a run is stopped (default 300)")
    args = ap.parse_args()
    build = args.build_dir.resolve()
    linux = build / "cross" / "linux"
    zimage, initrd, xen = linux / "zImage", linux / "bench.cpio.gz", linux / "xen"
    images = {"microvisor": build / "images" / "bench-linux.elf", "pair": build / "images" / "bench-linux-pair.elf"}
    for f in (zimage, initrd, *images.values()):
        if not f.is_file():
            sys.exit(f"bench-linux: {f} is missing: build first (make), with Lab 6's Linux assets")
    if not xen.is_file() or not (linux / "XEN_VERSION").is_file():
        sys.exit(f"bench-linux: {xen} is missing: Lab 6's Linux assets have no Xen 4.17 (xen-hypervisor-4.17-armhf); "
                 "tools/linux/assets.sh fetches it from Debian's archive (make runs it), then make again")
    for what, f, room in (("kernel", zimage, XEN_INITRD_AT - XEN_KERNEL_AT), ("initramfs", initrd, DTB_AT - XEN_INITRD_AT)):
        if f.stat().st_size > room:
            sys.exit(f"bench-linux: {f} is larger than the {room >> 20} MiB the Xen run has for dom0's {what}")
    version = (linux / "VERSION").read_text().strip()
    xen_version = (linux / "XEN_VERSION").read_text().strip()
    qemu_version = subprocess.run(["qemu-system-arm", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    if args.runs > 100:
        sys.exit("bench-linux: at most 100 runs (mv.run=<two digits>)")

    def command(config, n):
        """The QEMU command of run n of a configuration (the microvisor's: without -kernel, its image)."""
        if config == "native":
            return QEMU + ["-M", "virt,gic-version=2", "-m", "256M", "-kernel", str(zimage), "-initrd", str(initrd),
                           "-append", f"console=ttyAMA0 {BOOTARGS.format(n)}"]
        if config == "xen":
            return QEMU + HYP + ["-kernel", str(xen), "-append", XEN_ARGS,
                                 "-device", f"guest-loader,addr={XEN_KERNEL_AT:#x},kernel={zimage},"
                                            f"bootargs=console=hvc0 {BOOTARGS.format(n)}",
                                 "-device", f"guest-loader,addr={XEN_INITRD_AT:#x},initrd={initrd}"]
        return QEMU + HYP
    configs = CONFIGS + ("pair",)
    cmds = {c: command(c, 0) + (["-kernel", str(images[c])] if c in images else []) for c in configs}
    print(f"bench-linux: Linux {version}, Xen {xen_version}, {qemu_version}")
    print(f"bench-linux: -icount shift=0,sleep=off (1 instruction = 1 ns); {args.runs} run{'s' if args.runs > 1 else ''} of each configuration, "
          f"{args.jobs} at a time")
    logs = build / "bench-linux"
    logs.mkdir(exist_ok=True)
    for old in [*logs.glob("*.log"), *logs.glob("*.elf")]:  # an earlier run's
        old.unlink()
    runner = Runner(logs, args.timeout)
    results = {c: [None] * args.runs for c in configs}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(runner.run, c, i, command(c, i), images.get(c)): (c, i)
                   for i in range(args.runs) for c in configs}
        try:
            for fut in concurrent.futures.as_completed(futures):
                c, i = futures[fut]
                results[c][i] = fut.result()
        except RunFailed as e:
            runner.stop()
            pool.shutdown(cancel_futures=True)
            sys.exit(str(e))
        except BaseException:
            runner.stop()
            raise
    elapsed = time.monotonic() - started

    med, runs = {}, {}
    for c, rs in results.items():
        runs[c] = [dict(f, host_seconds=round(w, 1)) for f, w in rs]
        med[c] = {k: median([f[k] for f, _ in rs]) for k in rs[0][0]}
    # The channel figure is the microvisor's: its second configuration, in its column.
    med["microvisor"]["iperf3_channel_mbps"] = med["pair"]["iperf3_channel_mbps"]

    rows, misses, changes = [], [], {"microvisor": {}, "xen": {}}
    for key, label, unit in ROWS:
        n, m, x = (med[c].get(key) for c in CONFIGS)
        cm, cx = change(n, m, unit), change(n, x, unit)
        if cm is not None:
            changes["microvisor"][key] = cm
        if cx is not None:
            changes["xen"][key] = cx
        goal, ok = "", True
        target = TARGETS.get(key)
        if target and target[0] == "ratio":
            goal, ok = f"<= +{round((target[1] - 1) * 100)}%", m <= n * target[1]
        elif target:
            goal, ok = f"<= native + {target[1]} us", m <= n + target[1]
        if not ok:
            misses.append(label)
        rows.append((label, show(n, unit), show(m, unit), show_change(cm, unit), show(x, unit),
                     show_change(cx, unit), goal + ("" if ok else "  MISSED")))
    head = ("workload", "native", "microvisor", "change", "Xen 4.17", "change", "target (microvisor)")
    width = [max(len(r[i]) for r in rows + [head]) for i in range(6)]
    print()
    for r in [head] + rows:
        print("  ".join([r[0].ljust(width[0])] + [r[i].rjust(width[i]) for i in range(1, 6)] + [r[6]]).rstrip())
    print(f"\nmedians of {args.runs} runs; the spread (min-max):")
    for key, label, unit in ROWS:
        spread = []
        for c in CONFIGS + ("pair",):
            values = [f[key] for f, _ in results[c] if key in f]
            if values:
                spread.append(f"{'microvisor' if c == 'pair' else c} {show(min(values), unit)}-{show(max(values), unit)}")
        print(f"  {label:40} {', '.join(spread)}")
    traps = {k: v for k, v in med["microvisor"].items() if k.startswith("traps_")}
    ms = med["microvisor"].get("run_ms")
    if traps and ms:
        print(f"the microvisor's traps from the Linux VM, whole run ({ms} ms of virtual time; medians):")
        for k, n in sorted(traps.items(), key=lambda kv: -kv[1]):
            cls = k.removeprefix("traps_").removeprefix("ec_")
            print(f"  {TRAP_CLASSES.get(cls, 'exception class ' + cls):55} {n:>8}  {n * 1000 / ms:>8.0f}/s")
    print(f"Xen's own start, before dom0 runs (not in dom0's boot figure): {show(med['xen']['xen_start_s'], 's')} s")
    print(f"bench-linux: {len(configs) * args.runs} runs in {elapsed:.0f} s; consoles in {logs}")

    out = {
        "linux": version,
        "xen": xen_version,
        "qemu": qemu_version,
        "icount": "shift=0,sleep=off",
        "runs": args.runs,
        "statistic": "median",
        # Run 0's; run n has mv.run=<n> (the microvisor's: in a copy of its image).
        "commands": {c: " ".join(cmd) for c, cmd in cmds.items()},
        # Medians by configuration (the microvisor's includes its two-VM channel figure).
        "native": med["native"], "microvisor": med["microvisor"], "xen": med["xen"],
        "microvisor_pair": med["pair"],
        "trap_classes": TRAP_CLASSES,
        "changes": changes,
        "every_run": runs,
        "targets": {k: {"against": "native", "configuration": "microvisor",
                        ("max_ratio" if t[0] == "ratio" else "max_plus_us"): t[1]} for k, t in TARGETS.items()},
        "missed": misses,
        "rows": [{"key": k, "label": label, "unit": unit} for k, label, unit in ROWS],
    }
    (build / "bench-linux.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"bench-linux: wrote {build / 'bench-linux.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
