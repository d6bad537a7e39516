#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the book: Doxygen XML of the ABI header, then Sphinx HTML through Breathe.
#
#   book/build.sh <outdir>     writes <outdir>/doxygen (XML) and <outdir>/html
#
# Any warning from either tool fails the build (exit status non-zero).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 <outdir>" >&2
    exit 2
fi

book_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
out_dir=$(cd "$1" && pwd)

for tool in doxygen /usr/bin/sphinx-build dot; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' not found; install: sudo apt-get install doxygen python3-sphinx python3-breathe graphviz" >&2
        exit 1
    fi
done

# Doxygen: paths in the Doxyfile are relative to book/, the output goes to
# $MV_DOXYGEN_OUT (expanded by Doxygen). WARN_AS_ERROR = YES makes the first
# warning fatal.
rm -rf "$out_dir/doxygen"
mkdir -p "$out_dir/doxygen"
(cd "$book_dir" && MV_DOXYGEN_OUT="$out_dir/doxygen" doxygen Doxyfile)

# Sphinx: conf.py reads the XML location from MV_DOXYGEN_XML.
MV_DOXYGEN_XML="$out_dir/doxygen/xml" \
    /usr/bin/sphinx-build -W --keep-going -n -q -E -a -b html \
    -d "$out_dir/doctrees" "$book_dir" "$out_dir/html"

echo "book: $out_dir/html/index.html"
