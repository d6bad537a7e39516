// SPDX-License-Identifier: MIT
// A vCPU gives the CPU away: it waits for an event, yields, or waives its priority (Lab 2).
#pragma once

namespace mv {

class Vcpu;

/// The running vCPU executed WFI: unless its virtual timer's condition is
/// already met (an event is pending), it blocks. (Lab 2)
void block_until_event(Vcpu& vcpu);

/// MV_CALL_VCPU_YIELD: the rest of the slice goes to the next vCPU of the same priority. (Lab 2)
void vcpu_yield(Vcpu& vcpu);

/// MV_CALL_PRIORITY_WAIVE: run at priority 0 until the vCPU's timer fires (OKL4's priority_waive). (Lab 2)
void priority_waive(Vcpu& vcpu);

}  // namespace mv
