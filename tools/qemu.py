#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make qemu / make qemu-gdb / make gdb: which system to boot, and booting it.

With SYSTEM= given, that system (and SELECTOR=, default 0). Without it, the most advanced
system the build's finished labs support: a lab is finished when none of the lab files the
build compiles for it (labs/manifest.json; microvisor/, reference-solution/ or the catch-up
objects of catchup/) has an `MV_LAB_TODO(` left. Labs 1..L finished: the demo of lab L (the
highest lab level of DEMOS, read from each description by mv-sysgen --print-lab). Nothing
finished: Lab 1's system, which stops at the first function still to write (status 3).
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# Each lab's demo, most advanced first: (system, selector). The level is the description's.
DEMOS = [("demo-chat", 0), ("demo", 0), ("lab2-fair", 1), ("lab1-traps", 0)]
TODO = re.compile(r"^\s*MV_LAB_TODO\s*\(", re.MULTILINE)


def cache_value(build, name):
    try:
        text = (build / "CMakeCache.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = re.search(rf"^{name}:[A-Z]+=(.*)$", text, re.MULTILINE)
    return m.group(1).strip() if m else None


def catchup_labs(top):
    """The labs catchup/catchup.cmake provides as objects (tools/catchup-kit.sh writes it)."""
    f = top / "catchup" / "catchup.cmake"
    if not f.is_file():
        return set()
    m = re.search(r"set\(MV_CATCHUP_LABS([^)]*)\)", f.read_text(encoding="utf-8"))
    return {int(x) for x in m.group(1).split()} if m else set()


def reference_labs(top, build, ids):
    """The labs the build takes from reference-solution/ (as cmake/Labs.cmake decides)."""
    solution = cache_value(build, "MV_SOLUTION") or ""
    if solution == "":
        solution = "reference" if (top / "reference-solution").is_dir() else "student"
    if solution == "reference":
        return set(ids)
    if solution == "student":
        return set()
    return {int(x) for x in solution.split(",") if x.strip()}


def unfinished(top, build, labs):
    """{lab id: [lab files with an MV_LAB_TODO left]} for the labs the build compiles."""
    ids = [lab["id"] for lab in labs]
    ref, objects = reference_labs(top, build, ids), catchup_labs(top)
    todo = {}
    for lab in labs:
        if lab["id"] in objects:
            continue  # reference objects, handed out by the instructor: finished
        root = top / ("reference-solution" if lab["id"] in ref else "microvisor")
        # A guest's lab files (Lab 6's Linux driver) are named from the top: the
        # reference's under reference-solution/, the student's where they are named.
        guest_root = top / "reference-solution" if lab["id"] in ref else top
        files = [(root / f, f"{root.name}/{f}") for f in lab["files"]]
        files += [(guest_root / f, (guest_root / f).relative_to(top).as_posix()) for f in lab.get("guest_files", [])]
        todo[lab["id"]] = [name for path, name in files
                           if TODO.search(path.read_text(encoding="utf-8", errors="replace"))]
    return todo, objects


def level(build, top, system):
    sysgen = build / "tools" / "sysgen" / "mv-sysgen"
    out = subprocess.run([str(sysgen), "--print-lab", str(top / "systems" / f"{system}.toml")],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def pick(top, build):
    """(system, selector, the lines saying why)."""
    labs = json.loads((top / "labs" / "manifest.json").read_text(encoding="utf-8"))["labs"]
    todo, objects = unfinished(top, build, labs)
    done = 0
    for lab in sorted(labs, key=lambda lab: lab["id"]):
        if todo.get(lab["id"]):
            break
        done = lab["id"]
    why = []
    if objects:
        why.append(f"labs {', '.join(map(str, sorted(objects)))} come from the catch-up objects (catchup/)")
    demos = [(level(build, top, s), s, sel) for s, sel in DEMOS]
    fit = [d for d in demos if d[0] <= done]
    nxt = next((lab for lab in labs if todo.get(lab["id"])), None)
    if nxt:
        files = todo[nxt["id"]]
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        why.append(f"lab {nxt['id']} is not finished: MV_LAB_TODO is left in {shown}")
    if not fit:  # nothing finished: Lab 1's system shows the first function to write
        lab_level, system, selector = min(demos)
        why.append(f"booting SYSTEM={system} (a Lab {lab_level} system): it stops at the first function "
                   f"still to write, with status 3")
        return system, selector, why
    lab_level, system, selector = max(fit)
    why.append(f"labs 1-{done} are written: booting SYSTEM={system} SELECTOR={selector}, "
               f"the demo of lab {lab_level}" if done > 1 else
               f"lab 1 is written: booting SYSTEM={system}, the demo of lab {lab_level}")
    later = [d for d in demos if d[0] > lab_level]
    if nxt and later:
        lab_level, s, sel = min(later)
        why.append(f"next: make qemu SYSTEM={s}" + (f" SELECTOR={sel}" if sel else "")
                   + f" boots lab {lab_level}'s system; it stops at your first lab {nxt['id']} function")
    return system, selector, why


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build-dir", required=True, type=Path)
    p.add_argument("--system", default="")
    p.add_argument("--selector", default="")
    p.add_argument("--gdb", action="store_true", help="QEMU waits for gdb (make qemu-gdb)")
    p.add_argument("--print-system", action="store_true", help="print the system's name only (make gdb)")
    args = p.parse_args(argv)
    top = Path(__file__).resolve().parent.parent
    build = args.build_dir.resolve()
    system, selector, why = args.system, args.selector or "0", []
    if not system:
        try:
            system, picked, why = pick(top, build)
        except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
            print(f"make qemu: cannot tell which labs are finished ({e}): name a system, "
                  f"e.g. make qemu SYSTEM=lab1-traps", file=sys.stderr)
            return 2
        selector = args.selector or str(picked)
    if args.print_system:
        print(system)
        return 0
    for line in why:
        print(f"make qemu: {line}", flush=True)
    image = build / "images" / f"{system}.elf"
    if not image.is_file():
        print(f"make qemu: no image {image}: is there a systems/{system}.toml?", file=sys.stderr)
        return 2
    cmd = [str(build / "autograder" / "harness" / "mv-run"), "--selector", selector]
    cmd += ["--gdb"] if args.gdb else []
    # A Linux VM's shell is for typing into: no timeout when someone is at the keyboard
    # (poweroff, or Ctrl-A x, ends it); piped or scripted, the harness's timeout stays.
    try:
        vms = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))["vms"]
    except (OSError, ValueError, KeyError):
        vms = []
    if sys.stdin.isatty() and any("linux" in vm for vm in vms):
        cmd += ["--timeout", "0"]
    rc = subprocess.run(cmd + [str(image)]).returncode
    if why and rc == 3:
        print("make qemu: status 3: a lab function is not written yet (the MV_LAB_TODO line above names it)")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
