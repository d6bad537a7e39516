#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Pack a Linux initramfs (gzip'd cpio "newc") without root, cpio or fakeroot.

    initramfs.py --out initrd.gz ENTRY...

Each ENTRY is one of
    dir:PATH                      a directory (mode 0755)
    file:PATH=SOURCE[:MODE]       a regular file copied from SOURCE (mode octal, default 0755)
    slink:PATH=TARGET             a symbolic link
    nod:PATH=c|b:MAJOR:MINOR      a device node (mode 0600), e.g. nod:/dev/console=c:5:1
    tree:PATH=SOURCE              every file and link under SOURCE, below PATH
    elf:PATH                      the dynamically linked program PATH of --sysroot, with
                                  its interpreter and every library it needs (transitively),
                                  each at its own path; a library that is missing is an error
Parent directories are added as needed. Every entry is owned by root; times are 0,
so the same inputs give the same bytes (the build and the tests repeat).
"""
import argparse
import gzip
import os
import stat
import subprocess
import sys

LIB_DIRS = ["lib/arm-linux-gnueabihf", "usr/lib/arm-linux-gnueabihf", "lib", "usr/lib"]


class Archive:
    def __init__(self):
        self.entries = {}  # path -> (mode, data, rdev)

    def add(self, path, mode, data=b"", rdev=(0, 0)):
        path = path.strip("/")
        parts = path.split("/")
        for i in range(1, len(parts)):
            self.entries.setdefault("/".join(parts[:i]), (stat.S_IFDIR | 0o755, b"", (0, 0)))
        self.entries[path] = (mode, data, rdev)

    def add_tree(self, dest, source):
        for root, dirs, files in os.walk(source):
            rel = os.path.relpath(root, source)
            base = dest.rstrip("/") if rel == "." else dest.rstrip("/") + "/" + rel
            if base.strip("/"):
                self.add(base, stat.S_IFDIR | 0o755)
            for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
                full = os.path.join(root, name)
                if os.path.islink(full):
                    self.add(base + "/" + name, stat.S_IFLNK | 0o777, os.readlink(full).encode())
                elif os.path.isfile(full):
                    mode = os.stat(full).st_mode & 0o777
                    with open(full, "rb") as f:
                        self.add(base + "/" + name, stat.S_IFREG | mode, f.read())

    def add_file_from(self, sysroot, path):
        """Add sysroot's `path` as it is there: a symbolic link stays one (and its target is added)."""
        full = os.path.join(sysroot, path.lstrip("/"))
        if os.path.islink(full):
            target = os.readlink(full)
            self.add(path, stat.S_IFLNK | 0o777, target.encode())
            resolved = target if target.startswith("/") else os.path.normpath(os.path.join(os.path.dirname(path), target))
            return self.add_file_from(sysroot, resolved)
        with open(full, "rb") as f:
            self.add(path, stat.S_IFREG | (os.stat(full).st_mode & 0o777), f.read())
        return path

    def add_elf(self, sysroot, path, seen=None):
        """Add program or library `path` of sysroot and, transitively, what it needs."""
        seen = set() if seen is None else seen
        if path in seen:
            return
        seen.add(path)
        real = self.add_file_from(sysroot, path)
        full = os.path.join(sysroot, real.lstrip("/"))
        out = subprocess.run(["readelf", "-d", "-l", "-W", full], capture_output=True, text=True)
        if out.returncode != 0:
            raise OSError(f"readelf cannot read {full}: {out.stderr.strip()}")
        for line in out.stdout.splitlines():
            if "Requesting program interpreter:" in line:
                self.add_elf(sysroot, line.split(":", 1)[1].strip(" ]"), seen)
            elif "(NEEDED)" in line:
                lib = line.split("[", 1)[1].rstrip("]")
                for d in LIB_DIRS:
                    if os.path.lexists(os.path.join(sysroot, d, lib)):
                        self.add_elf(sysroot, "/" + d + "/" + lib, seen)
                        break
                else:
                    raise OSError(f"{path} needs {lib}, which is in none of {LIB_DIRS} of {sysroot}"
                                  " (is its Debian package among tools/linux/assets.sh's?)")

    def bytes(self):
        out = bytearray()
        ino = 1
        for path in sorted(self.entries):
            mode, data, rdev = self.entries[path]
            out += header(ino, mode, len(data), rdev, path)
            out += data + b"\0" * (-len(data) % 4)
            ino += 1
        out += header(0, 0, 0, (0, 0), "TRAILER!!!")
        return bytes(out)


def header(ino, mode, size, rdev, name):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name_b), 0]
    h = b"070701" + b"".join(b"%08X" % f for f in fields) + name_b
    return h + b"\0" * (-len(h) % 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sysroot", help="where elf: entries and their libraries are found")
    ap.add_argument("entries", nargs="+")
    args = ap.parse_args()
    ar = Archive()
    for e in args.entries:
        kind, _, rest = e.partition(":")
        path, _, value = rest.partition("=")
        try:
            if kind == "dir":
                ar.add(path, stat.S_IFDIR | 0o755)
            elif kind == "file":
                src, _, mode = value.partition(":")
                with open(src, "rb") as f:
                    ar.add(path, stat.S_IFREG | int(mode or "755", 8), f.read())
            elif kind == "slink":
                ar.add(path, stat.S_IFLNK | 0o777, value.encode())
            elif kind == "nod":
                t, major, minor = value.split(":")
                ar.add(path, (stat.S_IFCHR if t == "c" else stat.S_IFBLK) | 0o600, b"", (int(major), int(minor)))
            elif kind == "elf":
                if not args.sysroot:
                    raise ValueError("elf: entries need --sysroot")
                ar.add_elf(args.sysroot, path)
            elif kind == "tree":
                if not os.path.isdir(value):
                    raise OSError(f"{value}: not a directory")
                ar.add_tree(path, value)
            else:
                raise ValueError(f"unknown kind {kind!r}")
        except (OSError, ValueError) as err:
            sys.exit(f"initramfs: {e}: {err}")
    data = gzip.compress(ar.bytes(), compresslevel=6, mtime=0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
