// SPDX-License-Identifier: MIT
// Test stub of the microvisor's Vcpu: enough for the generated pools to compile.
#pragma once

namespace mv {
class Vcpu final {};
}  // namespace mv
