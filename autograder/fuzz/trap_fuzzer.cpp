// SPDX-License-Identifier: MIT
// The trap fuzzer: libFuzzer feeds inputs; each is one short life of the fuzz
// system (fuzz_system.cpp) on the fake arch, under ASan and UBSan.
//
// A run boots the system, then for each trap of the input (input.hpp):
//   1. the running guest runs for the trap's ticks; the HYP timer interrupts
//      it whenever it fires (run_irq() and run_after_trap(), as mv_hyp_irq does);
//   2. the guest traps: its registers and the syndrome as the record says;
//   3. as mv_hyp_trap does: skip a trapped instruction whose condition failed,
//      else mv::handle_trap(vcpu, hsr); then mv::run_after_trap() (kernel/run.hpp);
//      a HYP timer interrupt already due is taken next;
//   4. every invariant (invariants.hpp) is checked after each of these steps.
// The system ending by itself (every VM off or crashed: arch::exit_system
// throws fake::Exit) or sleeping for hours is an expected end of a run. A
// finding is anything else that stops it: a sanitizer report, a C++ exception,
// a panic of the microvisor, a broken invariant.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "arch.hpp"
#include "input.hpp"
#include "invariants.hpp"
#include "kernel/panic.hpp"
#include "kernel/run.hpp"
#include "kernel/system.hpp"
#include "kernel/trap.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "machine.hpp"
#include "report.hpp"

namespace mvfuzz {
namespace {

// The HYP timer interrupts the guest (the vectors call mv_hyp_irq).
void take_interrupt() {
    where.phase = "a HYP timer interrupt";
    Snapshot before = snapshot(nullptr, nullptr);
    mv::run_irq();
    mv::run_after_trap();
    check_system(before);
    trace("  irq at %llu: vCPU %u of VM %u runs\n", now(), mv::running_vcpu()->id, mv::running_vcpu()->vm->id());
}

// An interrupt that is due when the guest would run is taken at once. If it
// is due again each time, no guest instruction ever runs.
void take_due_interrupts() {
    for (int n = 0; hyp_timer_pending(); ++n) {
        if (n == 8) finding("the HYP timer fires again each time a guest would run: no guest instruction runs");
        take_interrupt();
    }
}

// The guest runs for `ticks`, interrupted each time the HYP timer fires; after
// 8 interrupts the rest of the time passes at once.
void run_guest(u64 ticks) {
    where.phase = "the guest's time";
    u64 until = now() + ticks;
    for (int irqs = 0; irqs < 8; ++irqs) {
        u64 deadline;
        if (!hyp_timer_armed(deadline) || deadline > until) break;
        advance_to(deadline);
        take_interrupt();
    }
    advance_to(until);
    take_due_interrupts();
}

void trap(int index, const Trap& t) {
    where.trap = index;
    where.record = &t;
    run_guest(t.ticks);
    mv::Vcpu& v = mv::current_vcpu();
    guest_ran(v, t);
    trace("trap %d by vCPU %u of VM %u at %llu: HSR %#010x (EC %#04x) r0-r3 %#x %#x %#x %#x ELR %#x SPSR %#x "
          "HDFAR %#x HIFAR %#x HPFAR %#x\n", index, v.id, v.vm->id(), now(), t.hsr, t.hsr >> 26, v.frame.r[0],
          v.frame.r[1], v.frame.r[2], v.frame.r[3], v.frame.elr, v.frame.spsr, mv::arch::read<mv::reg::HDFAR>(),
          mv::arch::read<mv::reg::HIFAR>(), mv::arch::read<mv::reg::HPFAR>());
    Snapshot before = snapshot(&v, &t);
    // As mv_hyp_trap() (kernel/main.cpp, not in host builds) enters the kernel.
    where.phase = "handle_trap";
    serve(v.vm);
    bool skipped = !mv::take_trap(v, t.hsr);
    serve(nullptr);
    check_trapped_instruction(before, v, t.hsr, skipped);
    where.phase = "run_after_trap";
    mv::run_after_trap();
    check_system(before);
    trace("  -> r0-r3 %#x %#x %#x %#x ELR %#x SPSR %#x; vCPU %u of VM %u runs\n", v.frame.r[0], v.frame.r[1],
          v.frame.r[2], v.frame.r[3], v.frame.elr, v.frame.spsr, mv::running_vcpu()->id, mv::running_vcpu()->vm->id());
    take_due_interrupts();
}

void run(const Input& in) {
    where = Where{};
    try {
        boot(in);
        begin_run();
        check_system(snapshot(nullptr, nullptr));
        for (std::size_t i = 0; i < in.traps.size(); ++i) trap(static_cast<int>(i), in.traps[i]);
    } catch (const mv::fake::Exit& e) {
        // The system ended by itself: every VM powered off or crashed (or, in a
        // student's tree, a lab function is still a stub). A panic is a bug.
        if (e.status == static_cast<int>(mv::ExitStatus::panic) || e.status < 0)
            finding("the microvisor stopped the system (status %d): %s", e.status, e.what());
        trace("  the system ended (status %d): %s\n", e.status, e.what());
        if (e.status != static_cast<int>(mv::ExitStatus::lab_todo)) check_system_ended();
    } catch (const Asleep&) {
        trace("  every vCPU sleeps for hours: the run ends\n");
    } catch (const std::exception& e) {
        finding("a C++ exception escaped the microvisor: %s", e.what());
    } catch (...) {
        finding("an unknown C++ exception escaped the microvisor");
    }
    serve(nullptr);
}

}  // namespace
}  // namespace mvfuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    mvfuzz::init_tables();
    mvfuzz::init_invariants();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mvfuzz::run(mvfuzz::decode(data, size));
    return 0;
}
