// SPDX-License-Identifier: MIT
// The scheduler object itself (its policy is Lab 2's kernel/scheduler.cpp).
#include "kernel/scheduler.hpp"

namespace mv {

Scheduler scheduler;

void Scheduler::clear() { *this = Scheduler{}; }

}  // namespace mv
