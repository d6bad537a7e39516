// SPDX-License-Identifier: MIT
// Lab 4 test guest: the scenarios between VMs and vCPUs (lines.cpp).
#pragma once

#include "guest.hpp"

/// Runs scenario `selector` (6-12) of lines.cpp and returns true, or returns
/// false if it is not one of them.
bool lines_scenario(guest::u32 selector);
