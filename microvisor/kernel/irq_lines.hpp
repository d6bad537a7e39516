// SPDX-License-Identifier: MIT
// OKL4's virtual interrupt lines between VMs (Lab 4): the pending payload
// word of each line of the system description (SystemConfig::irq_lines, a
// guest names one by its index, its handle), and raising and fetching it.
// The hypercalls (MV_CALL_VIRQ_RAISE, MV_CALL_VIRQ_FETCH in mv/abi.h) are
// registered in kernel/virq_services.cpp.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// MV_CALL_VIRQ_RAISE from VM `caller`: OR `payload` into line `handle` and
/// make the line's virtual SPI pending in its target VM's distributor, as an
/// edge (a payload of 0 raises too). MV_OK; MV_INVALID_PARAMETERS if `handle`
/// is not a line of the system; MV_DENIED if `caller` is not its source.
/// A failed raise changes nothing.
i32 irq_line_raise(const Vm& caller, u32 handle, u32 payload);

/// MV_CALL_VIRQ_FETCH from VM `caller`: `payload` gets the line's payload,
/// which becomes 0. MV_OK; MV_INVALID_PARAMETERS if `handle` is not a line
/// of the system; MV_DENIED if `caller` is not its target. On failure
/// `payload` is 0 and the line's payload stays. The virtual SPI is left alone.
i32 irq_line_fetch(const Vm& caller, u32 handle, u32& payload);

/// Every line's payload is 0 (boot has them so; host tests start from it).
void irq_lines_reset();

}  // namespace mv
