// SPDX-License-Identifier: MIT
// Lab 6: what the microvisor does for a Linux VM beyond a course guest's:
// enter it by the Linux boot protocol (the lab file kernel/linux_boot.cpp).
#include "kernel/linux_boot.hpp"
#include "kernel/registry.hpp"

namespace mv {

MV_LINUX_BOOT(linux_boot);

}  // namespace mv
