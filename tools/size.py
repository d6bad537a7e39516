#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""size.py: `make size`. The microvisor's .text/.rodata/.data/.bss and its line count.

Sizes come from the image of the most advanced lab, the one that links every
lab's files: lab6-linux, or lab5-pair where the build has no Linux assets (it
says which; guest sections .vm.* and the boot stack left out). Lines count the microvisor core as this build compiles it: microvisor/
(arch/armv7, config, kernel, mm, vdev, drivers, lib, include, staging) with each lab file taken
from where the build took it (reference-solution/ in a reference build).
Writes <build>/size.json. --check fails above 32 KiB of .text or 5,000 lines
of code: lines that are neither blank nor comments, the measure of OKL4's
9.8 KLOC (SLOCCount's). All lines are reported too.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
IMAGES = ["lab6-linux", "lab5-pair"]  # every lab's code (a demo of an earlier lab would leave some out)
CORE_DIRS = ["arch/armv7", "config", "kernel", "mm", "vdev", "drivers", "lib", "include", "staging"]
SUFFIXES = {".cpp", ".hpp", ".h", ".S", ".ld"}
TEXT_TARGET = 32 * 1024
LINES_TARGET = 5000  # lines of code, as OKL4's 9.8 KLOC counts them


def sections(elf):
    out = subprocess.run(["arm-none-eabi-size", "-A", str(elf)], check=True, capture_output=True,
                         text=True).stdout
    sizes = {}
    for line in out.splitlines():
        m = re.match(r"(\.\S+)\s+(\d+)\s+\d+", line)
        if m:
            sizes[m.group(1)] = int(m.group(2))
    return sizes


def reference_labs(build):
    cache = (build / "CMakeCache.txt").read_text()
    m = re.search(r"^MV_SOLUTION:STRING=(.*)$", cache, re.M)
    solution = m.group(1) if m else ""
    manifest = json.loads((TOP / "labs/manifest.json").read_text())
    ids = [lab["id"] for lab in manifest["labs"]]
    if solution == "" and (TOP / "reference-solution").exists() or solution == "reference":
        chosen = ids
    elif solution in ("", "student"):
        chosen = []
    else:
        chosen = [int(x) for x in re.split(r"[,;]", solution) if x]
    return {f for lab in manifest["labs"] if lab["id"] in chosen for f in lab["files"]}


def count(path):
    lines = path.read_text().splitlines()
    code = [l for l in lines if l.strip() and not re.match(r"\s*(//|/\*|\*|@|#\s*SPDX)", l)]
    return len(lines), len(code)


def symbol(elf, name):
    out = subprocess.run(["arm-none-eabi-nm", str(elf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    sys.exit(f"size: {elf} has no symbol {name} (microvisor/arch/armv7/microvisor.ld defines it)")


def text_used(elf):
    """.text ends on a page boundary (the HYP map's permissions): the code used ends at __text_used."""
    return symbol(elf, "__text_used") - symbol(elf, "__text_start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default="build/default", type=Path)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    image = next((i for i in IMAGES if (args.build_dir / "images" / f"{i}.elf").is_file()), IMAGES[-1])
    elf = args.build_dir / "images" / f"{image}.elf"
    s = sections(elf)
    # .text and .rodata end on page boundaries (the HYP map's permissions): count what is used.
    text = text_used(elf)
    rodata = symbol(elf, "__rodata_used") - (symbol(elf, "__text_end"))
    data = s.get(".data", 0) + s.get(".init_array", 0)
    bss = s.get(".bss", 0)
    from_reference = reference_labs(args.build_dir)
    total = code = files = 0
    for d in CORE_DIRS:
        for p in sorted((TOP / "microvisor" / d).rglob("*")):
            if p.suffix not in SUFFIXES:
                continue
            rel = p.relative_to(TOP / "microvisor").as_posix()
            if rel in from_reference:
                p = TOP / "reference-solution" / rel
            t, c = count(p)
            total, code, files = total + t, code + c, files + 1
    print(f"{'microvisor':<14}{'bytes':>10}   (images/{image}.elf)")
    for name, value in [(".text", text), (".rodata", rodata), (".data", data), (".bss", bss)]:
        print(f"{name:<14}{value:>10}")
    print(f"lines: {total} in {files} files ({code} without blank lines and comments)")
    traced = {}
    # The trace buffer's cost in code (make trace): in the image with every lab's code that a
    # reference build also makes traced (systems/CMakeLists.txt, MV_TRACED_SYSTEMS), else in bench's.
    both = next((i for i in ("lab6-smp", "bench") if (args.build_dir / "images" / f"{i}-trace.elf").is_file()), None)
    if both:
        traced = {"image": both, "text": text_used(args.build_dir / "images" / f"{both}.elf"),
                  "text_traced": text_used(args.build_dir / "images" / f"{both}-trace.elf")}
        print(f"with the trace buffer: .text {traced['text_traced']} for {traced['text']} "
              f"({both}-trace.elf against {both}.elf, +{traced['text_traced'] - traced['text']})")
    print(f"targets: .text <= {TEXT_TARGET} bytes, lines of code <= {LINES_TARGET} (OKL4 2010: 9.8 KLOC, ~35 KiB)")
    out = args.build_dir / "size.json"
    out.write_text(json.dumps({"image": image, "text": text, "rodata": rodata, "data": data, "bss": bss, "lines": total,
                               "code_lines": code, "files": files, "trace_buffer": traced}, indent=2) + "\n")
    print(f"written: {out}")
    if args.check and (text > TEXT_TARGET or code > LINES_TARGET):
        print("size: over target")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
