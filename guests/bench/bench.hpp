// SPDX-License-Identifier: MIT
// The benchmark guest's parts (bench.cpp, virq.cpp).
#pragma once

#include "guest.hpp"

namespace bench {

/// `@@BENCH <name> <value> <unit>`, a line tools/bench.py reads.
void report(const char* name, guest::u32 value, const char* unit);

// Lab 4 (virq.cpp, systems/bench-virq.toml).
void virq_raise();          ///< selector 6, VM 0: raise the line to VM 1
void virq_partner();        ///< selector 6, VM 1: take the raises, report their latency
void vtimer();              ///< selector 7: the virtual timer's IRQ to the handler
void maintenance_refill();  ///< selector 8: 12 SPIs through 4 list registers

}  // namespace bench
