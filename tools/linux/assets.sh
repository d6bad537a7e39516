#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab 6's Linux assets, from Debian's archive: the armhf kernel (unmodified),
# its headers and kbuild (for guests/linux/'s module), busybox-static, rt-tests
# and iperf3 with their libraries. Downloaded with `apt-get download` and
# unpacked with `dpkg -x` into a cache outside the source tree, so that a
# second build, or a fresh clone, downloads nothing:
#
#     ${MV_LINUX_CACHE:-~/.cache/microvisor-course/linux}/
#         debs/                  every .deb fetched
#         <abi>/root/            them all unpacked (<abi>: 6.1.0-57-armmp, say)
#         <abi>/VERSION          "<abi> <package version>"
#         current -> <abi>       what the build uses (cmake/cross reads it)
#
# The kernel is whatever the linux-image-armmp metapackage names now: the
# archive drops old kernel ABIs, so no version is written down anywhere.
# Run by `make` (after tools/deps.sh). Quick when the cache is complete.
# Prints the kernel it settled on. Exit status 1, with a message saying what
# to do, if something cannot be had.
set -euo pipefail

CACHE=${MV_LINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/microvisor-course/linux}
mkdir -p "$CACHE/debs"

die() {
    echo "linux-assets: $*" >&2
    exit 1
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo "$@"
    else
        die "need root for: $*  (run it by hand, then make again)"
    fi
}

# Resolve the kernel ABI from the archive's metapackage; "" if apt cannot tell.
resolve_abi() {
    local out
    out=$(apt-cache depends linux-image-armmp:armhf 2>/dev/null) || return 0
    sed -n 's/^ *Depends: linux-image-\(.*-armmp\):armhf$/\1/p' <<<"$out" | head -1
}

abi=""
if [[ " $(dpkg --print-foreign-architectures | tr '\n' ' ') " != *" armhf "* ]]; then
    if [[ -L $CACHE/current && -f $CACHE/current/.complete ]] && ! { [[ $(id -u) -eq 0 ]] || sudo -n true 2>/dev/null; }; then
        echo "linux-assets: dpkg has no armhf architecture; using the cached $(readlink "$CACHE/current")"
        exit 0
    fi
    echo "linux-assets: adding the armhf architecture (dpkg --add-architecture armhf; apt-get update)"
    as_root dpkg --add-architecture armhf
    as_root apt-get update -q >/dev/null
fi
abi=$(resolve_abi)
if [[ -z $abi ]]; then
    echo "linux-assets: apt knows no linux-image-armmp:armhf yet; updating the package lists"
    as_root apt-get update -q >/dev/null || true
    abi=$(resolve_abi)
fi
if [[ -z $abi ]]; then
    [[ -L $CACHE/current && -f $CACHE/current/.complete ]] ||
        die "cannot resolve linux-image-armmp:armhf from Debian's archive, and nothing is cached in $CACHE"
    echo "linux-assets: the archive cannot be asked; using the cached $(readlink "$CACHE/current")"
    exit 0
fi

dir=$CACHE/$abi
if [[ ! -f $dir/.complete ]]; then
    flavour_free=${abi%-armmp}   # 6.1.0-57
    series=${flavour_free%%.0-*} # 6.1
    packages=(
        "linux-image-$abi:armhf" "linux-headers-$abi:armhf" "linux-headers-$flavour_free-common"
        "linux-kbuild-$series"
        busybox-static:armhf
        rt-tests:armhf libnuma1:armhf
        iperf3:armhf libiperf0:armhf libsctp1:armhf libssl3:armhf
        libc6:armhf libgcc-s1:armhf
    )
    echo "linux-assets: fetching Linux $abi and its userland into $CACHE"
    (cd "$CACHE/debs" && apt-get download -q "${packages[@]}" >/dev/null 2>"$CACHE/apt.log") ||
        die "apt-get download failed (see $CACHE/apt.log): $(tail -1 "$CACHE/apt.log")"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp/root"
    for p in "${packages[@]}"; do
        name=${p%%:*}
        deb=$(ls -t "$CACHE"/debs/"${name}"_*.deb 2>/dev/null | head -1)
        [[ -n $deb ]] || die "package $p was not downloaded"
        dpkg -x "$deb" "$dir.tmp/root"
        echo "$name $(dpkg-deb -f "$deb" Version)" >>"$dir.tmp/PACKAGES"
    done
    kernel_version=$(dpkg-deb -f "$(ls -t "$CACHE"/debs/linux-image-"$abi"_*.deb | head -1)" Version)
    echo "$abi $kernel_version" >"$dir.tmp/VERSION"
    # Check each asset the build needs, by the path it needs it at.
    for f in "boot/vmlinuz-$abi" bin/busybox usr/bin/hackbench usr/bin/cyclictest usr/bin/iperf3 \
             "usr/src/linux-headers-$abi/Makefile" "usr/lib/linux-kbuild-$series/scripts/mod/modpost"; do
        [[ -e $dir.tmp/root/$f ]] || die "the packages did not provide $f"
    done
    touch "$dir.tmp/.complete"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
fi
ln -sfn "$abi" "$CACHE/current"
echo "linux-assets: Linux $(cat "$dir/VERSION") (cached in $CACHE)"
