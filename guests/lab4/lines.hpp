// SPDX-License-Identifier: MIT
// Lab 4 test guest: the scenarios between VMs and vCPUs (lines.cpp).
#pragma once

#include "guest.hpp"

/// Runs scenario `selector` (6-12) of lines.cpp and returns true, or returns
/// false if it is not one of them.
bool lines_scenario(guest::u32 selector);

/// With the GIC initialised (virq.cpp): a 1 kHz virtual timer, re-armed at
/// absolute times by its handler, for `periods` ms of virtual time; returns
/// how many of its interrupts were taken.
guest::u32 count_timer_ticks(guest::u32 periods);
