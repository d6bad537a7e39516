// SPDX-License-Identifier: MIT
// Lab 2 test guest: sharing the CPU. One image per VM base address; the
// selector picks the scenario, the VM id the role in it (systems/lab2-*.toml).
#include "guest.hpp"

using namespace guest;

namespace {


u32 vm_id() { return hvc(MV_CALL_VM_INFO).r1; }

/// Spin until `until_us` of virtual time, counting iterations; also the
/// longest gap between two consecutive reads of the counter (time away).
struct Spin {
    u64 count = 0, max_gap_us = 0;
};
Spin spin_until(u64 until_us) {
    Spin s;
    u64 last = now_us();
    for (u64 t = last; t < until_us; t = now_us()) {
        if (t - last > s.max_gap_us) s.max_gap_us = t - last;
        last = t;
        ++s.count;
    }
    return s;
}

// 1: three VMs of one priority share the CPU evenly.
void fairness() {
    Spin s = spin_until(200000);
    char name[16] = "count.vm0";
    name[8] = static_cast<char>('0' + vm_id());
    mvt::value(name, static_cast<long long>(s.count));
}

// 2: the higher priority runs alone until it is done.
void strict_priority() {
    if (vm_id() == 0) {  // priority 200
        spin_until(50000);
        mvt::value("hi_end_us", static_cast<long long>(now_us()));
    } else {             // priority 100
        mvt::value("lo_start_us", static_cast<long long>(now_us()));
    }
}

// 3: a guest that never gives the CPU away is preempted.
void preemption() {
    if (vm_id() == 0) {
        spin_until(100000);
    } else {
        mvt::value("vm1_start_us", static_cast<long long>(now_us()));
    }
}

// 4: a guest in WFI does not burn its slices; its timer wakes it in time.
void wfi_idle() {
    if (vm_id() == 0) {
        timer_at_us(50000);
        asm volatile("dsb\n wfi");
        mvt::value("wake_late_us", static_cast<long long>(now_us()) - 50000);
        timer_off();
    } else {
        u64 start = now_us();
        Spin s = spin_until(45000);
        mvt::value("spinner_start_us", static_cast<long long>(start));
        mvt::value("spinner_max_gap_us", static_cast<long long>(s.max_gap_us));
    }
}

// 7: PSCI SYSTEM_RESET under the scheduler: the VM restarts with fresh state.
[[gnu::section(".noinit")]] u32 boots;

void reset_under_scheduler() {
    if (vm_id() != 0) {
        spin_until(20000);
        return;
    }
    if (boots != 0x5ee0002) {
        boots = 0x5ee0002;
        asm volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(0x1234u));  // TPIDRURW: must not survive
        spin_until(3000);  // a few slices, so the other VM's state is live in between
        reset();
    }
    boots = 0;
    u32 tpidr;
    asm volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(tpidr));
    mvt::expect(tpidr == 0, "reset_under_scheduler", "TPIDRURW is %#x after SYSTEM_RESET, expected 0", tpidr);
}

// 8: OKL4's priority waive: give the CPU away until the timer fires.
void priority_waive() {
    if (vm_id() == 0) {  // priority 200
        timer_at_us(30000);
        hvc(MV_CALL_PRIORITY_WAIVE);
        mvt::value("waiver_back_us", static_cast<long long>(now_us()));
        timer_off();
    } else {             // priority 100
        mvt::value("other_start_us", static_cast<long long>(now_us()));
        spin_until(60000);
    }
}

// 9: every vCPU waits for nothing: the microvisor says so and stops.
void deadlock() {
    timer_off();
    asm volatile("dsb\n wfi");
    mvt::fail("deadlock", "WFI returned although nothing could wake the vCPU");
}

}  // namespace

void regs_survive();           // regs.cpp: 5
void smp();                    // smp.cpp: 6
void secondary_main(u32 ctx);  // smp.cpp

int main() {
    switch (param_selector()) {
    case 1: fairness(); break;
    case 2: strict_priority(); break;
    case 3: preemption(); break;
    case 4: wfi_idle(); break;
    case 5: regs_survive(); break;
    case 6: smp(); break;
    case 7: reset_under_scheduler(); break;
    case 8: priority_waive(); break;
    case 9: deadlock(); break;
    default:
        mvt::fail("selector", "no scenario %u: boot with one, e.g. make qemu SYSTEM=lab2-fair SELECTOR=1",
                  param_selector());
        break;
    }
    mvt::done();
    return 0;
}
