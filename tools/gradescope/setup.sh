#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Gradescope's setup.sh (make gradescope): runs once, as root, when Gradescope builds the
# autograder image. Installs the Debian packages (tools/deps.sh) and builds the tree with the
# handout's stubs, so that grading a submission only recompiles its lab files.
set -euo pipefail
src=${MV_AUTOGRADER_ROOT:-/autograder}/source
cd "$src"
tools/deps.sh
lab=$(cat tools/gradescope/lab)
cmake --preset default -DMV_CROSS_LABS="$lab" >/dev/null  # only the images lab $lab's tests boot
cmake --build --preset default --target "autograder-lab$lab"
