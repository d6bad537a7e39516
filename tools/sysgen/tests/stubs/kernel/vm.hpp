// SPDX-License-Identifier: MIT
// Test stub of the microvisor's Vm: enough for the generated pools to compile.
#pragma once

namespace mv {
class Vm final {};
}  // namespace mv
