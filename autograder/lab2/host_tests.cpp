// SPDX-License-Identifier: MIT
// Lab 2 host tests: the run_queues's decisions and the vCPU operations on the fake arch.
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/waking.hpp"
#include "kernel/psci_cpu.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/vfp.hpp"
#include "kernel/waiting.hpp"
#include "kernel/trap.hpp"
#include "mv/abi.h"

using namespace mv;

namespace {

// --- RunQueues: the run queues on their own ------------------------------------------

struct Queues : ::testing::Test {
    std::unique_ptr<RunQueues> s = std::make_unique<RunQueues>();
    Vcpu v[8];
    void SetUp() override {
        for (u32 i = 0; i < 8; ++i) v[i].id = i;
    }
    Vcpu& at(u32 i, u32 prio) {
        v[i].priority = prio;
        return v[i];
    }
};

TEST_F(Queues, EmptyPicksNothing) { EXPECT_EQ(s->pick(), nullptr); }

TEST_F(Queues, HighestPriorityFirst) {
    s->add(at(0, 10));
    s->add(at(1, 200));
    s->add(at(2, 31));
    s->add(at(3, 32));
    EXPECT_EQ(s->pick(), &v[1]) << "priority 200 before 32, 31 and 10";
    s->remove(v[1]);
    EXPECT_EQ(s->pick(), &v[3]) << "priority 32 (bitmap word 1) before 31 (word 0)";
    s->remove(v[3]);
    EXPECT_EQ(s->pick(), &v[2]);
    s->remove(v[2]);
    EXPECT_EQ(s->pick(), &v[0]);
    s->remove(v[0]);
    EXPECT_EQ(s->pick(), nullptr) << "every queue empty again";
}

TEST_F(Queues, ExtremePriorities) {
    s->add(at(0, 0));
    EXPECT_EQ(s->pick(), &v[0]) << "priority 0 is a priority too";
    s->add(at(1, 255));
    EXPECT_EQ(s->pick(), &v[1]) << "priority 255, the last bit of the bitmap";
}

TEST_F(Queues, RoundRobinWithinAPriority) {
    for (u32 i = 0; i < 3; ++i) s->add(at(i, 100));
    std::vector<u32> order;
    for (int n = 0; n < 6; ++n) {
        Vcpu* head = s->pick();
        ASSERT_NE(head, nullptr);
        order.push_back(head->id);
        s->rotate(*head);
    }
    EXPECT_EQ(order, (std::vector<u32>{0, 1, 2, 0, 1, 2})) << "FIFO order, rotate moves the head to the tail";
}

TEST_F(Queues, RemoveFromHeadMiddleAndTail) {
    for (u32 i = 0; i < 4; ++i) s->add(at(i, 7));
    s->remove(v[1]);  // middle
    s->remove(v[3]);  // tail
    s->add(at(4, 7)); // must follow v[2], not the removed tail
    std::vector<u32> order;
    for (Vcpu* h = s->pick(); h != nullptr; h = s->pick()) {
        order.push_back(h->id);
        s->remove(*h);  // head
    }
    EXPECT_EQ(order, (std::vector<u32>{0, 2, 4}));
    EXPECT_FALSE(v[1].queued);
    EXPECT_FALSE(v[0].queued);
}

TEST_F(Queues, AddTwiceAndRemoveUnqueuedChangeNothing) {
    s->add(at(0, 5));
    s->add(at(1, 5));
    s->add(v[0]);  // already queued
    s->remove(at(2, 5));  // never queued
    s->rotate(v[1]);      // already the tail
    EXPECT_EQ(s->pick(), &v[0]);
    s->rotate(v[0]);
    EXPECT_EQ(s->pick(), &v[1]);
    s->remove(v[1]);
    EXPECT_EQ(s->pick(), &v[0]);
    s->rotate(v[0]);  // alone in its queue
    EXPECT_EQ(s->pick(), &v[0]);
}

// A model of the queues (one deque per priority) against the real thing, on random operations.
TEST_F(Queues, AgreesWithAModelOnRandomOperations) {
    std::mt19937 rng(12345);
    std::vector<std::deque<u32>> model(RunQueues::PRIORITIES);
    const u32 prios[] = {0, 1, 31, 32, 63, 100, 200, 255};
    for (u32 i = 0; i < 8; ++i) at(i, prios[rng() % 8]);
    for (int step = 0; step < 20000; ++step) {
        u32 i = rng() % 8, p = v[i].priority;
        auto& q = model[p];
        auto it = std::find(q.begin(), q.end(), i);
        switch (rng() % 3) {
        case 0:
            s->add(v[i]);
            if (it == q.end()) q.push_back(i);
            break;
        case 1:
            s->remove(v[i]);
            if (it != q.end()) q.erase(it);
            break;
        default:
            s->rotate(v[i]);
            if (it != q.end()) {
                q.erase(it);
                q.push_back(i);
            }
            break;
        }
        Vcpu* want = nullptr;
        for (u32 pr = RunQueues::PRIORITIES; pr-- > 0;)
            if (!model[pr].empty()) {
                want = &v[model[pr].front()];
                break;
            }
        ASSERT_EQ(s->pick(), want) << "after step " << step;
    }
}

// --- the vCPU operations on the fake CPU --------------------------------------------

class Lab2 : public mvtest::HostTest {
protected:
    // Vcpus: 0-1 of VM "a" (priority 100), 2 of "b" (200), 3 of "c" (100).
    void runnable(u32 i) {
        vcpu(i).state = VcpuState::runnable;
        run_queues.add(vcpu(i));
    }
    void timer(u32 i, u32 ctl, u64 cval) {
        vcpu(i).ctx.cntv_ctl = ctl;
        vcpu(i).ctx.cntv_cval = cval;
    }
};

TEST_F(Lab2, SaveAndRestoreEveryRegister) {
    // Fill the fake CPU with a pattern, save, overwrite everything, restore, compare.
    fake::Cpu& c = cpu();
    const Mode modes[] = {Mode::svc, Mode::abt, Mode::und, Mode::irq, Mode::fiq};
    u32 k = 1;
    for (Mode m : modes) {
        arch::set_banked_sp(m, 0x1000 * ++k);
        arch::set_banked_lr(m, 0x1000 * ++k + 1);
        arch::set_banked_spsr(m, 0x1d0 | ++k);
    }
    for (unsigned n = 8; n <= 12; ++n) arch::set_fiq_reg(n, 0xf1000000 + n);
    const Sysreg* regs32[] = {&reg::SCTLR, &reg::CPACR, &reg::TTBCR, &reg::DACR, &reg::DFSR, &reg::IFSR,
                              &reg::ADFSR, &reg::AIFSR, &reg::DFAR, &reg::IFAR, &reg::PRRR, &reg::NMRR,
                              &reg::VBAR, &reg::CONTEXTIDR, &reg::TPIDRURW, &reg::TPIDRURO, &reg::TPIDRPRW,
                              &reg::CSSELR, &reg::CNTKCTL, &reg::CNTV_CTL};
    const Sysreg* regs64[] = {&reg::TTBR0, &reg::TTBR1, &reg::PAR, &reg::CNTV_CVAL};
    for (const Sysreg* r : regs32) c.set(*r, 0xc0000000u + 0x100u * ++k);
    for (const Sysreg* r : regs64) c.set(*r, 0x1234500000000ull + ++k);
    const fake::Cpu before = c;

    vm(0).cntvoff = 0x777;
    save_context(vcpu(0));
    EXPECT_EQ(c.get(reg::CNTV_CTL), 0u) << "save_context leaves the virtual timer disabled";
    for (Mode m : modes) {
        arch::set_banked_sp(m, 0);
        arch::set_banked_lr(m, 0);
        arch::set_banked_spsr(m, 0);
    }
    for (unsigned n = 8; n <= 12; ++n) arch::set_fiq_reg(n, 0);
    for (const Sysreg* r : regs32) c.set(*r, 0);
    for (const Sysreg* r : regs64) c.set(*r, 0);

    restore_context(vcpu(0));
    for (Mode m : modes) {
        unsigned i = static_cast<unsigned>(m) & 0x1f;
        EXPECT_EQ(c.sp[i], before.sp[i]) << "SP of mode " << std::hex << i;
        EXPECT_EQ(c.lr[i], before.lr[i]) << "LR of mode " << std::hex << i;
        EXPECT_EQ(c.spsr[i], before.spsr[i]) << "SPSR of mode " << std::hex << i;
    }
    for (unsigned n = 0; n < 5; ++n) EXPECT_EQ(c.fiq_r8_12[n], before.fiq_r8_12[n]) << "r" << n + 8 << "_fiq";
    for (const Sysreg* r : regs32) EXPECT_EQ(c.get(*r), before.get(*r)) << r->name;
    for (const Sysreg* r : regs64) EXPECT_EQ(c.get(*r), before.get(*r)) << r->name;
    EXPECT_EQ(c.get(reg::CNTVOFF), 0x777u) << "restore_context loads the VM's CNTVOFF";
}

TEST_F(Lab2, RestoreProgramsTheTimerInOrder) {
    vm(0).cntvoff = 5;
    vcpu(0).ctx.cntv_cval = 100;
    vcpu(0).ctx.cntv_ctl = CNTV_CTL_ENABLE;
    restore_context(vcpu(0));
    int off = -1, cval = -1, ctl = -1;
    for (int i = 0; i < static_cast<int>(cpu().writes.size()); ++i) {
        const std::string& n = cpu().writes[i].name;
        if (n == "CNTVOFF") off = i;
        if (n == "CNTV_CVAL") cval = i;
        if (n == "CNTV_CTL") ctl = i;
    }
    ASSERT_TRUE(off >= 0 && cval >= 0 && ctl >= 0) << "CNTVOFF, CNTV_CVAL and CNTV_CTL are all written";
    EXPECT_LT(off, cval) << "CNTVOFF before CNTV_CVAL";
    EXPECT_LT(cval, ctl) << "CNTV_CVAL before CNTV_CTL enables the timer";
}

TEST_F(Lab2, TimerDeadline) {
    vm(0).cntvoff = 1000;
    timer(1, 0, 50);
    EXPECT_EQ(timer_deadline(vcpu(1)), NEVER) << "a disabled timer never fires";
    timer(1, CNTV_CTL_ENABLE | CNTV_CTL_IMASK, 50);
    EXPECT_EQ(timer_deadline(vcpu(1)), 1050u) << "CVAL is in the VM's virtual time: add CNTVOFF";
    timer(1, CNTV_CTL_ENABLE, ~0ull - 10);
    EXPECT_EQ(timer_deadline(vcpu(1)), NEVER) << "CVAL + CNTVOFF overflows: never";
}

TEST_F(Lab2, TimerWakesOnlyDueBlockedVcpus) {
    runnable(0);
    vcpu(1).state = VcpuState::blocked;
    timer(1, CNTV_CTL_ENABLE, 500);
    vcpu(3).state = VcpuState::blocked;
    timer(3, CNTV_CTL_ENABLE, 900);
    on_hyp_timer(&vcpu(0), 600, false);
    EXPECT_EQ(vcpu(1).state, VcpuState::runnable) << "deadline 500 <= now 600: woken";
    EXPECT_TRUE(vcpu(1).queued) << "a woken vCPU joins the run_queues";
    EXPECT_EQ(vcpu(3).state, VcpuState::blocked) << "deadline 900 > now 600: still asleep";
    EXPECT_FALSE(vcpu(3).queued);
    EXPECT_EQ(run_queues.pick(), &vcpu(0)) << "no slice over: the running vCPU stays at the head";
}

TEST_F(Lab2, SliceOverRotates) {
    runnable(0);
    runnable(3);  // same priority 100
    on_hyp_timer(&vcpu(0), 10, false);
    EXPECT_EQ(run_queues.pick(), &vcpu(0));
    on_hyp_timer(&vcpu(0), 20, true);
    EXPECT_EQ(run_queues.pick(), &vcpu(3)) << "the slice is over: the next vCPU of the priority";
}

TEST_F(Lab2, BlockUntilEvent) {
    runnable(0);
    cpu().set(reg::CNTV_CTL, CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
    block_until_event(vcpu(0));
    EXPECT_EQ(vcpu(0).state, VcpuState::runnable) << "the timer's condition is met: WFI returns at once";
    EXPECT_TRUE(vcpu(0).queued);
    cpu().set(reg::CNTV_CTL, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
    block_until_event(vcpu(0));
    EXPECT_EQ(vcpu(0).state, VcpuState::blocked);
    EXPECT_FALSE(vcpu(0).queued) << "a blocked vCPU leaves the run queue";
}

TEST_F(Lab2, YieldGoesToTheTail) {
    runnable(0);
    runnable(3);
    vcpu_yield(vcpu(0));
    EXPECT_EQ(run_queues.pick(), &vcpu(3));
}

TEST_F(Lab2, PriorityWaiveLastsUntilTheTimer) {
    runnable(2);  // "b", priority 200
    runnable(0);  // "a", priority 100
    priority_waive(vcpu(2));
    EXPECT_EQ(vcpu(2).priority, 0u);
    EXPECT_EQ(run_queues.pick(), &vcpu(0)) << "after the waive, priority 100 beats the waiver";
    timer(2, CNTV_CTL_ENABLE, 700);
    on_hyp_timer(&vcpu(0), 650, false);
    EXPECT_EQ(vcpu(2).priority, 0u) << "its timer has not fired yet";
    on_hyp_timer(&vcpu(0), 700, false);
    EXPECT_EQ(vcpu(2).priority, 200u) << "its timer fired: the VM's priority again";
    EXPECT_EQ(run_queues.pick(), &vcpu(2));
}

TEST_F(Lab2, CpuOnStartsAStoppedVcpu) {
    runnable(0);
    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE + 0x100, 0xabcd), MV_OK);
    EXPECT_EQ(vcpu(1).state, VcpuState::runnable);
    EXPECT_TRUE(vcpu(1).queued);
    EXPECT_EQ(vcpu(1).frame.elr, fake::RAM_BASE + 0x100) << "it starts at the entry point";
    EXPECT_EQ(vcpu(1).r(0), 0xabcdu) << "with the context ID in r0";
    EXPECT_EQ(vcpu(1).frame.spsr & 0x1f, 0x13u) << "in SVC mode";
    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE, 0), MV_ALREADY_ON);
    EXPECT_EQ(psci_cpu_on(vcpu(0), 2, fake::RAM_BASE, 0), MV_INVALID_PARAMETERS)
        << "VM \"a\" has vCPUs 0 and 1 only: MPIDR 2 is not one of them";
    EXPECT_EQ(psci_cpu_on(vcpu(0), 0x101, fake::RAM_BASE, 0), MV_INVALID_PARAMETERS) << "affinity level 1 is 0";
}

TEST_F(Lab2, CpuOffAndAffinityInfo) {
    runnable(0);
    ASSERT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE, 0), MV_OK);
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 0), 0) << "ON";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 1), MV_INVALID_PARAMETERS) << "level 0 only";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 5, 0), MV_INVALID_PARAMETERS);
    psci_cpu_off(vcpu(1));
    EXPECT_EQ(vcpu(1).state, VcpuState::off);
    EXPECT_FALSE(vcpu(1).queued);
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 0), 1) << "OFF";
    EXPECT_EQ(vm(0).state, VmState::running) << "vCPU 0 still runs";
    psci_cpu_off(vcpu(0));
    EXPECT_EQ(vm(0).state, VmState::powered_off) << "the last vCPU off powers the VM off";
}

TEST_F(Lab2, LazyVfpSwitch) {
    vfp_trap_update(vcpu(0));
    EXPECT_EQ(cpu().get(reg::HCPTR) & 0xc00, 0xc00u) << "no owner yet: VFP accesses trap (TCP10, TCP11)";
    Hsr h = mvtest::decoded(0x07);
    cpu().vfp.d[3] = 0x3333;
    handle_vfp_trap(vcpu(0), h);
    EXPECT_EQ(cpu().get(reg::HCPTR) & 0xc00, 0u) << "the trap is gone for the new owner";
    EXPECT_EQ(cpu().vfp_loads, 1u) << "vCPU 0's registers are loaded";
    cpu().vfp.d[3] = 0x4444;  // vCPU 0 computes
    vfp_trap_update(vcpu(3));
    EXPECT_EQ(cpu().get(reg::HCPTR) & 0xc00, 0xc00u) << "vCPU 3 does not own the unit: trap";
    EXPECT_EQ(cpu().vfp_saves, 0u) << "lazy: nothing saved until vCPU 3 touches the unit";
    handle_vfp_trap(vcpu(3), h);
    EXPECT_EQ(cpu().vfp_saves, 1u);
    EXPECT_EQ(vcpu(0).vfp.d[3], 0x4444u) << "vCPU 0's registers were saved into vcpu.vfp";
    vfp_trap_update(vcpu(3));
    EXPECT_EQ(cpu().get(reg::HCPTR) & 0xc00, 0u) << "the owner runs untrapped";
}

}  // namespace
