#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build guests/linux/mvchan out of tree against Debian's armhf headers, with
# Debian's cross compiler (gcc-arm-linux-gnueabihf) and kbuild:
#
#   build-module.sh ASSETS SOURCE_DIR WORK_DIR OUT.ko ABI_INCLUDE [FILE...]
#
# ASSETS is tools/linux/assets.sh's cache entry (<abi>/, with root/ and
# VERSION); the module's sources are copied from SOURCE_DIR into WORK_DIR
# (kbuild writes next to them), then each FILE over them: the lab file of the
# variant this build takes (the student's or the reference's). The headers'
# Makefile names /usr/src/... absolutely: WORK_DIR gets a copy of it pointed
# at the cache instead.
set -euo pipefail
assets=$1 src=$2 work=$3 out=$4 abi_include=$5
shift 5
abi=$(cut -d' ' -f1 "$assets/VERSION")
root=$assets/root
common=${abi%-armmp}-common
series=${abi%%.0-*}
cc=arm-linux-gnueabihf-gcc-12
command -v "$cc" >/dev/null ||
    { echo "build-module: $cc not found: install gcc-arm-linux-gnueabihf (tools/deps.sh does)" >&2; exit 1; }

headers=$work/headers
if [[ ! -f $headers/.ready || $(cat "$headers/.ready") != "$root" ]]; then
    rm -rf "$headers"
    mkdir -p "$headers"
    cp -a "$root/usr/src/linux-headers-$abi/." "$headers/"
    sed -i "s|^include /usr/src/|include $root/usr/src/|" "$headers/Makefile"
    rm -f "$headers/scripts" "$headers/tools"
    ln -s "$root/usr/lib/linux-kbuild-$series/scripts" "$headers/scripts"
    ln -s "$root/usr/lib/linux-kbuild-$series/tools" "$headers/tools"
    [[ -d $root/usr/src/linux-headers-$common ]] || { echo "build-module: no $common headers in $root" >&2; exit 1; }
    echo "$root" >"$headers/.ready"
fi

mod=$work/mvchan
rm -rf "$mod"
mkdir -p "$mod"
cp "$src"/* "$mod/"
for f in "$@"; do cp "$f" "$mod/"; done
if ! make -s -C "$headers" M="$mod" ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- \
        MV_ABI_INCLUDE="$abi_include" KBUILD_MODPOST_WARN= >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "build-module: building the module failed (log: $work/build.log)" >&2
    exit 1
fi
grep -E "warning|error" "$work/build.log" >&2 || true
mkdir -p "$(dirname "$out")"
arm-linux-gnueabihf-strip --strip-debug -o "$out.tmp" "$mod/mvchan.ko"
mv "$out.tmp" "$out"
