#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab 6's Linux assets, from Debian's archive: the armhf kernel (unmodified),
# its headers and kbuild (for guests/linux/'s module), busybox-static, rt-tests
# and iperf3 with their libraries, and Xen 4.17's armhf hypervisor (make
# bench-linux boots Linux as its dom0). Downloaded with `apt-get download` and
# unpacked with `dpkg -x` into a cache outside the source tree, so that a
# second build, or a fresh clone, downloads nothing:
#
#     ${MV_LINUX_CACHE:-~/.cache/microvisor-course/linux}/
#         debs/                  every .deb fetched
#         <abi>/root/            them all unpacked (<abi>: 6.1.0-57-armmp, say)
#         <abi>/VERSION          "<abi> <package version>"
#         <abi>/XEN_VERSION      "4.17 <package version>" (root/boot/xen-4.17-armhf)
#         <abi>/PACKAGES         "<package> <version>", one a line
#         current -> <abi>       what the build uses (cmake/cross reads it)
#
# The kernel is whatever the linux-image-armmp metapackage names now: the
# archive drops old kernel ABIs, so no version is written down anywhere.
# Xen is the series the benchmark compares against (XEN_SERIES), at whatever
# version the archive has for it. A cache made before Xen was an asset gets
# Xen added, without fetching the rest again.
# Run by `make` (after tools/deps.sh). Quick when the cache is complete.
# Prints the kernel it settled on. Exit status 1, with a message saying what
# to do, if something cannot be had.
set -euo pipefail

CACHE=${MV_LINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/microvisor-course/linux}
mkdir -p "$CACHE/debs"

XEN_SERIES=4.17
XEN_PACKAGE=xen-hypervisor-$XEN_SERIES-armhf
XEN_IMAGE=boot/xen-$XEN_SERIES-armhf  # in the package, and so under <abi>/root/

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

# A cache directory is complete when the Linux assets are (.complete) and Xen is (XEN_VERSION,
# written last when Xen is added). Without Xen, everything but make bench-linux's Xen run works.
no_xen="the cache has no Xen $XEN_SERIES ($XEN_PACKAGE:armhf) yet: make bench-linux cannot run Xen until this script can reach Debian's archive"
complete() {
    [[ -f $1/.complete && -f $1/XEN_VERSION && -e $1/root/$XEN_IMAGE ]]
}

# fetch <package>...: apt-get download into the shared debs/; die with apt's last line.
fetch() {
    (cd "$CACHE/debs" && apt-get download -q "$@" >/dev/null 2>"$CACHE/apt.log") ||
        die "apt-get download failed (see $CACHE/apt.log): $(tail -1 "$CACHE/apt.log")"
}

# The newest downloaded .deb of a package ("name" or "name:arch").
deb_of() {
    local deb
    deb=$(ls -t "$CACHE"/debs/"${1%%:*}"_*.deb 2>/dev/null | head -1)
    [[ -n $deb ]] || die "package $1 was not downloaded"
    echo "$deb"
}

# Xen's package, unpacked into <dir>/root: the hypervisor image, checked, and XEN_VERSION.
add_xen() {
    local dir=$1 deb
    apt-cache show "$XEN_PACKAGE:armhf" >/dev/null 2>&1 ||
        die "Debian's archive has no $XEN_PACKAGE:armhf (Xen $XEN_SERIES for armhf): make bench-linux needs it"
    fetch "$XEN_PACKAGE:armhf"
    deb=$(deb_of "$XEN_PACKAGE")
    dpkg -x "$deb" "$dir/root"
    [[ -e $dir/root/$XEN_IMAGE ]] || die "$XEN_PACKAGE did not provide $XEN_IMAGE"
    sed -i "/^$XEN_PACKAGE /d" "$dir/PACKAGES" 2>/dev/null || true
    echo "$XEN_PACKAGE $(dpkg-deb -f "$deb" Version)" >>"$dir/PACKAGES"
    echo "$XEN_SERIES $(dpkg-deb -f "$deb" Version)" >"$dir/XEN_VERSION"
}

abi=""
if [[ " $(dpkg --print-foreign-architectures | tr '\n' ' ') " != *" armhf "* ]]; then
    if [[ -f $CACHE/current/.complete ]] && ! { [[ $(id -u) -eq 0 ]] || sudo -n true 2>/dev/null; }; then
        echo "linux-assets: dpkg has no armhf architecture; using the cached $(readlink "$CACHE/current")"
        complete "$CACHE/current" || echo "linux-assets: $no_xen" >&2
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
    [[ -f $CACHE/current/.complete ]] ||
        die "cannot resolve linux-image-armmp:armhf from Debian's archive, and nothing is cached in $CACHE"
    echo "linux-assets: the archive cannot be asked; using the cached $(readlink "$CACHE/current")"
    complete "$CACHE/current" || echo "linux-assets: $no_xen" >&2
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
    fetch "${packages[@]}"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp/root"
    for p in "${packages[@]}"; do
        deb=$(deb_of "$p")
        dpkg -x "$deb" "$dir.tmp/root"
        echo "${p%%:*} $(dpkg-deb -f "$deb" Version)" >>"$dir.tmp/PACKAGES"
    done
    kernel_version=$(dpkg-deb -f "$(ls -t "$CACHE"/debs/linux-image-"$abi"_*.deb | head -1)" Version)
    echo "$abi $kernel_version" >"$dir.tmp/VERSION"
    # Check each asset the build needs, by the path it needs it at.
    for f in "boot/vmlinuz-$abi" bin/busybox usr/bin/hackbench usr/bin/cyclictest usr/bin/iperf3 \
             "usr/src/linux-headers-$abi/Makefile" "usr/lib/linux-kbuild-$series/scripts/mod/modpost"; do
        [[ -e $dir.tmp/root/$f ]] || die "the packages did not provide $f"
    done
    add_xen "$dir.tmp"
    touch "$dir.tmp/.complete"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
elif ! complete "$dir"; then
    echo "linux-assets: adding Xen $XEN_SERIES ($XEN_PACKAGE:armhf) to the cached Linux $abi"
    add_xen "$dir"
fi
ln -sfn "$abi" "$CACHE/current"
echo "linux-assets: Linux $(cat "$dir/VERSION"), Xen $(cat "$dir/XEN_VERSION") (cached in $CACHE)"
