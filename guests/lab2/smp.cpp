// SPDX-License-Identifier: MIT
// Lab 2 test guest, scenario 6: a VM with several vCPUs starts and stops its
// secondaries with PSCI CPU_ON, CPU_OFF and AFFINITY_INFO.
#include "guest.hpp"

using namespace guest;

namespace {

constexpr u32 CONTEXT = 0xc0de0001;
constexpr i32 AFF_ON = 0, AFF_OFF = 1;

volatile u32 secondary_ran = 0;    // written by vCPU 1
volatile u32 secondary_ctx = 0;
volatile u32 secondary_mpidr = 0;
volatile u32 may_stop = 0;         // written by vCPU 0

i32 affinity(u32 mpidr, u32 level = 0) { return static_cast<i32>(hvc(PSCI_AFFINITY_INFO, mpidr, level).r0); }
i32 cpu_on(u32 mpidr, u32 ctx) {
    return static_cast<i32>(hvc(PSCI_CPU_ON, mpidr, reinterpret_cast<u32>(secondary_entry), ctx).r0);
}

bool check(bool ok, const char* fmt, u32 a = 0, u32 b = 0) {
    if (!ok) mvt::fail("smp", fmt, a, b);
    return ok;
}

// A PSCI call's answer: fails the test unless it is `want`.
bool answer(i32 got, i32 want, const char* call) {
    if (got != want) mvt::fail("smp", "%s returned %d, expected %d", call, got, want);
    return got == want;
}

}  // namespace

void secondary_main(u32 ctx) {
    secondary_ctx = ctx;
    u32 mpidr;
    asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
    secondary_mpidr = mpidr;
    secondary_ran = 1;
    while (may_stop == 0) hvc(MV_CALL_VCPU_YIELD);
    // returning: PSCI CPU_OFF
}

void smp() {
    if (!answer(affinity(1), AFF_OFF, "AFFINITY_INFO(1) before CPU_ON") ||
        !answer(static_cast<i32>(hvc(PSCI_FEATURES, PSCI_CPU_ON).r0), 0, "PSCI_FEATURES(CPU_ON)") ||
        !answer(cpu_on(1, CONTEXT), MV_OK, "CPU_ON(1)") ||
        !answer(cpu_on(1, CONTEXT), MV_ALREADY_ON, "a second CPU_ON(1)") ||
        !answer(cpu_on(9, CONTEXT), MV_INVALID_PARAMETERS, "CPU_ON(9) of a VM with 2 vCPUs") ||
        !answer(affinity(1, 1), MV_INVALID_PARAMETERS, "AFFINITY_INFO(1) at level 1"))
        return;
    for (u32 i = 0; i < 100000 && secondary_ran == 0; ++i) hvc(MV_CALL_VCPU_YIELD);
    if (!check(secondary_ran == 1, "vCPU 1 never ran after CPU_ON") ||
        !check(secondary_ctx == CONTEXT, "vCPU 1 started with r0 = %#x, expected the context ID %#x",
               secondary_ctx, CONTEXT) ||
        !check((secondary_mpidr & 0xff) == 1, "vCPU 1 reads MPIDR %#x: affinity 0 must be 1", secondary_mpidr) ||
        !answer(affinity(1), AFF_ON, "AFFINITY_INFO(1) while it runs"))
        return;
    may_stop = 1;
    for (u32 i = 0; i < 100000 && affinity(1) != AFF_OFF; ++i) hvc(MV_CALL_VCPU_YIELD);
    if (!answer(affinity(1), AFF_OFF, "AFFINITY_INFO(1) after its CPU_OFF") ||
        !answer(cpu_on(1, CONTEXT + 1), MV_OK, "CPU_ON(1) after its CPU_OFF"))
        return;
    for (u32 i = 0; i < 100000 && affinity(1) != AFF_OFF; ++i) hvc(MV_CALL_VCPU_YIELD);
    if (!check(secondary_ctx == CONTEXT + 1, "the restarted vCPU 1 got r0 = %#x", secondary_ctx)) return;
    mvt::pass("smp");
}
