#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Dependency check: every Debian package the project uses, and QEMU >= 7.2.
# As root (or with sudo) installs what is missing; otherwise prints the one
# apt command and stops. Quick when everything is there. Idempotent.
set -euo pipefail

PACKAGES=(
    build-essential cmake make g++             # host compiler and build
    gcc-arm-none-eabi libnewlib-arm-none-eabi  # the cross toolchain (freestanding C++20)
    binutils-arm-none-eabi
    qemu-system-arm                            # the board: virt, Cortex-A15, virtualization=on
    gdb-multiarch                              # make gdb
    device-tree-compiler                       # reads back a Linux VM's device tree (lab 6)
    gcc-arm-linux-gnueabihf                    # Lab 6's Linux module (guests/linux/mvchan)
    libgtest-dev libgmock-dev                  # the autograder
    clang-14 libclang-rt-14-dev                # make fuzz: libFuzzer, ASan and UBSan for clang
    libtomlplusplus-dev                        # mv-sysgen: system descriptions
    nlohmann-json3-dev                         # the harness: image sidecars
    python3                                    # tools/grade.py (standard library only)
    python3-sphinx python3-breathe doxygen graphviz  # the book
    python3-matplotlib                         # the plots of make bench, make bench-linux and make trace, the book's trace figures
)
MIN_QEMU=7.2

missing=()
for p in "${PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != *"install ok installed"* ]]; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} > 0)); then
    cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then
        echo "deps: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        # Refresh the package lists once, if they are missing or the install fails on stale ones.
        if ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then apt-get update -q; fi
        apt-get install -y -q --no-install-recommends "${missing[@]}" ||
            { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        echo "deps: installing ${missing[*]} (sudo)"
        sudo DEBIAN_FRONTEND=noninteractive apt-get update -q
        sudo DEBIAN_FRONTEND=noninteractive $cmd
    else
        echo "deps: missing Debian packages: ${missing[*]}" >&2
        echo "deps: install them with:" >&2
        echo "    sudo apt-get update && sudo $cmd" >&2
        exit 1
    fi
fi

qemu_version=$(qemu-system-arm --version | sed -n 's/.*version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
if [[ -z $qemu_version ]] || ! printf '%s\n%s\n' "$MIN_QEMU" "$qemu_version" | sort -V -C; then
    echo "deps: qemu-system-arm ${qemu_version:-?} is too old: the course needs $MIN_QEMU or newer" >&2
    echo "deps: (the virt board's virtualization=on with GICv2 virtualization, and PSCI by SMC from HYP mode)" >&2
    exit 1
fi
