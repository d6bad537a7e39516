// SPDX-License-Identifier: MIT
// Lab 2 host tests: the run_queues's decisions and the vCPU operations on the fake arch.
//
// The vCPU operations (on_hyp_timer, block_until_event, vcpu_yield,
// priority_waive, psci_cpu_*) move vCPUs through the run queues, which are
// the student's code too. Their tests run against a stand-in of RunQueues
// (below), so that a run-queue bug costs only the Queues.* tests and each
// message names the function under test.
#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fakes.hpp"
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

// The tests look inside the run queues: the bitmap, and a head_ the bitmap says is empty.
namespace mv {
struct RunQueuesProbe {
    static Vcpu*& head(RunQueues& q, u32 p) { return q.head_[p]; }
    static u32 word(const RunQueues& q, u32 w) { return q.nonempty_[w]; }
};
}  // namespace mv

namespace {

std::string hex(u64 v) { return fake::hex(v); }

// --- stand-ins, through the fakes of autograder/lab2/fakes.cpp ----------------------------

// A model of the run queues: one deque per priority. It keeps the contract of
// run_queues.hpp (queued, next) and notes a call that breaks a caller's side
// of it (a priority changed while queued).
namespace stand_in {

std::deque<Vcpu*> q[RunQueues::PRIORITIES];
std::vector<std::string> misuse;  // what the code under test did wrong, in order

void reset() {
    for (auto& d : q) d.clear();
    misuse.clear();
}

// Where v is: its own queue, else (its priority was changed in place) any queue.
std::deque<Vcpu*>* find(Vcpu& v, const char* op) {
    auto in = [&](std::deque<Vcpu*>& d) { return std::find(d.begin(), d.end(), &v) != d.end(); };
    if (in(q[v.priority])) return &q[v.priority];
    for (u32 p = 0; p < RunQueues::PRIORITIES; ++p)
        if (in(q[p])) {
            misuse.push_back(std::string("run_queues.") + op + "(vCPU " + std::to_string(&v - system_config.vcpu_pool) +
                             "): it is queued at priority " + std::to_string(p) + " but its priority is now " +
                             std::to_string(v.priority) +
                             ": never change a queued vCPU's priority in place (remove, change, add)");
            return &q[p];
        }
    return nullptr;
}

void add(Vcpu& v) {
    if (v.queued) {
        find(v, "add");
        return;
    }
    q[v.priority].push_back(&v);
    v.queued = true;
    v.next = nullptr;
}

void remove(Vcpu& v) {
    if (!v.queued) return;
    if (auto* d = find(v, "remove")) d->erase(std::find(d->begin(), d->end(), &v));
    v.queued = false;
    v.next = nullptr;
}

void rotate(Vcpu& v) {
    if (!v.queued) return;
    if (auto* d = find(v, "rotate")) {
        d->erase(std::find(d->begin(), d->end(), &v));
        d->push_back(&v);
    }
}

Vcpu* pick() {
    for (u32 p = RunQueues::PRIORITIES; p-- > 0;)
        if (!q[p].empty()) return q[p].front();
    return nullptr;
}

// arch::vfp_save and vfp_load: HCPTR must no longer trap the unit, and an ISB
// must follow the write that untrapped it, when the microvisor touches it.
void touch_unit(const char* what) {
    const auto& ev = fake::cpu().events;
    u64 hcptr = fake::cpu().get(reg::HCPTR);
    if ((hcptr & 0xc00) != 0)
        misuse.push_back(std::string(what) + " with HCPTR = " + hex(hcptr) +
                         ": TCP10/TCP11 still set, the microvisor's own VFP access would trap; clear them first");
    auto last =
        std::find_if(ev.rbegin(), ev.rend(), [](const std::string& e) { return e.rfind("write HCPTR", 0) == 0; });
    if (last != ev.rend() && std::find(ev.rbegin(), last, "isb") == last)
        misuse.push_back(std::string(what) + " after \"" + *last + "\" with no ISB in between");
    fake::cpu().event(what);
}

/// While alive: RunQueues::add/remove/rotate/pick are the model's (model_queues),
/// and the VFP unit's save and load are watched (always).
class Installed {
public:
    explicit Installed(bool model_queues) {
        reset();
        if (model_queues) {
            add_.emplace([](RunQueues*, Vcpu& v) { add(v); });
            remove_.emplace([](RunQueues*, Vcpu& v) { remove(v); });
            rotate_.emplace([](RunQueues*, Vcpu& v) { rotate(v); });
            pick_.emplace([](const RunQueues*) { return pick(); });
        }
    }

private:
    std::optional<mvtest::Fake<&RunQueues::add>> add_;
    std::optional<mvtest::Fake<&RunQueues::remove>> remove_;
    std::optional<mvtest::Fake<&RunQueues::rotate>> rotate_;
    std::optional<mvtest::Fake<&RunQueues::pick>> pick_;
    mvtest::Fake<&arch::vfp_save> save_{[](VfpState& s) {
        touch_unit("vfp_save");
        mvtest::Fakeable<&arch::vfp_save>::real(s);
    }};
    mvtest::Fake<&arch::vfp_load> load_{[](const VfpState& s) {
        touch_unit("vfp_load");
        mvtest::Fakeable<&arch::vfp_load>::real(s);
    }};
};

}  // namespace stand_in
}  // namespace

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
    // "v[3]", or "nullptr": what pick() returned, readable in a failure.
    std::string who(const Vcpu* p) const {
        if (p == nullptr) return "nullptr";
        if (p >= v && p < v + 8) return "v[" + std::to_string(p - v) + "]";
        return "a vCPU that is no v[i] (" + hex(reinterpret_cast<uintptr_t>(p)) + ")";
    }
    // The bitmap's eight words, "w7 ... w0" in hex.
    std::string bitmap() const {
        std::string out;
        for (u32 w = RunQueues::PRIORITIES / 32; w-- > 0;) out += hex(RunQueuesProbe::word(*s, w)) + (w ? " " : "");
        return out;
    }
};

TEST_F(Queues, EmptyPicksNothing) { EXPECT_EQ(who(s->pick()), "nullptr"); }

TEST_F(Queues, HighestPriorityFirst) {
    s->add(at(0, 10));
    s->add(at(1, 200));
    s->add(at(2, 31));
    s->add(at(3, 32));
    EXPECT_EQ(who(s->pick()), "v[1]") << "priority 200 before 32, 31 and 10";
    s->remove(v[1]);
    EXPECT_EQ(who(s->pick()), "v[3]") << "priority 32 (bitmap word 1) before 31 (word 0)";
    s->remove(v[3]);
    EXPECT_EQ(who(s->pick()), "v[2]");
    s->remove(v[2]);
    EXPECT_EQ(who(s->pick()), "v[0]");
    s->remove(v[0]);
    EXPECT_EQ(who(s->pick()), "nullptr") << "every queue empty again";
}

TEST_F(Queues, ExtremePriorities) {
    s->add(at(0, 0));
    EXPECT_EQ(who(s->pick()), "v[0]") << "priority 0 is a priority too (bit 0 of word 0: does pick() scan word 0?)";
    s->add(at(1, 255));
    EXPECT_EQ(who(s->pick()), "v[1]") << "priority 255, the last bit of the bitmap (bit 31 of word 7)";
    s->remove(v[1]);
    EXPECT_EQ(who(s->pick()), "v[0]") << "queue 255 is empty again: remove() clears bit 31 of word 7; bitmap "
                                      << bitmap();
    s->remove(v[0]);
    EXPECT_EQ(who(s->pick()), "nullptr") << "every queue empty again; bitmap " << bitmap();
}

TEST_F(Queues, BitmapHasOneBitPerNonEmptyQueue) {
    // The priorities at both ends of each word boundary, and 255, the last queue.
    const u32 prios[] = {0, 31, 32, 223, 224, 255};
    u32 want[RunQueues::PRIORITIES / 32] = {};
    auto check = [&](const std::string& after) {
        for (u32 w = 0; w < RunQueues::PRIORITIES / 32; ++w)
            EXPECT_EQ(RunQueuesProbe::word(*s, w), want[w])
                << "after " << after << ": bitmap word " << w << " is " << hex(RunQueuesProbe::word(*s, w))
                << ", expected " << hex(want[w])
                << " (bit p % 32 of word p / 32 set exactly while queue p is not empty)";
    };
    for (u32 i = 0; i < 6; ++i) {
        s->add(at(i, prios[i]));
        want[prios[i] / 32] |= 1u << (prios[i] % 32);
        check("add() at priority " + std::to_string(prios[i]));
    }
    s->add(at(6, 255));  // a second vCPU in queue 255
    s->remove(v[5]);
    check("remove() of one of the two vCPUs of queue 255 (the other one is still queued)");
    for (u32 i : {6u, 0u, 4u, 3u, 2u, 1u}) {
        s->remove(v[i]);
        want[v[i].priority / 32] &= ~(1u << (v[i].priority % 32));
        check("remove() of the last vCPU of queue " + std::to_string(v[i].priority));
    }
}

TEST_F(Queues, PickReadsTheBitmapNotTheQueues) {
    s->add(at(0, 10));
    // A stale head in queue 250, whose bit is clear: the bitmap alone says which queues count.
    RunQueuesProbe::head(*s, 250) = &v[7];
    Vcpu* got = s->pick();
    RunQueuesProbe::head(*s, 250) = nullptr;
    EXPECT_EQ(who(got), "v[0]")
        << "pick() returned the head of queue 250, whose bit in nonempty_ is clear: pick() must "
           "find the queue through the bitmap (scan its 8 words from the top, __builtin_clz), "
           "not walk the 256 queues";
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
    s->remove(v[1]);   // middle
    s->remove(v[3]);   // tail
    s->add(at(4, 7));  // must follow v[2], not the removed tail
    std::vector<u32> order;
    for (Vcpu* h = s->pick(); h != nullptr; h = s->pick()) {
        order.push_back(h->id);
        s->remove(*h);  // head
    }
    EXPECT_EQ(order, (std::vector<u32>{0, 2, 4}));
    EXPECT_FALSE(v[1].queued);
    EXPECT_FALSE(v[0].queued);
}

TEST_F(Queues, RemoveClearsNextAndQueued) {
    for (u32 i = 0; i < 5; ++i) s->add(at(i, 40));
    const char* where[] = {"the head", "the middle", "the tail"};
    u32 which[] = {0, 2, 4};
    for (u32 k = 0; k < 3; ++k) {
        s->remove(v[which[k]]);
        EXPECT_EQ(v[which[k]].next, nullptr) << "remove() of " << where[k] << " (vCPU " << which[k]
                                             << ") leaves its next set: clear next when it leaves the queue";
        EXPECT_FALSE(v[which[k]].queued) << "remove() of " << where[k] << " clears queued";
    }
    EXPECT_EQ(v[3].next, nullptr) << "vCPU 3 is the tail now: its next is nullptr";
    s->add(v[0]);
    EXPECT_EQ(v[3].next, &v[0]) << "add() links the new tail after the old one";
    EXPECT_EQ(v[0].next, nullptr) << "add(): the new tail's next is nullptr";
}

TEST_F(Queues, AddTwiceAndRemoveUnqueuedChangeNothing) {
    s->add(at(0, 5));
    s->add(at(1, 5));
    s->add(v[0]);         // already queued
    s->remove(at(2, 5));  // never queued
    s->rotate(v[1]);      // already the tail
    s->rotate(at(3, 5));  // not queued
    EXPECT_FALSE(v[3].queued) << "rotate() of a vCPU that is not queued leaves it out of the queues";
    EXPECT_EQ(who(s->pick()), "v[0]");
    s->rotate(v[0]);
    EXPECT_EQ(who(s->pick()), "v[1]");
    s->remove(v[1]);
    EXPECT_EQ(who(s->pick()), "v[0]") << "vCPU 3 was never queued: vCPU 0 is alone";
    s->rotate(v[0]);  // alone in its queue
    EXPECT_EQ(who(s->pick()), "v[0]");
    s->remove(v[0]);
    EXPECT_EQ(who(s->pick()), "nullptr") << "every queue empty: a rotate() must not have queued vCPU 3";
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
        ASSERT_EQ(who(s->pick()), who(want))
            << "after step " << step << " (pick() is wrong: which vCPU heads which queue)";
    }
}

// --- the vCPU operations on the fake CPU --------------------------------------------

class Lab2 : public mvtest::HostTest {
protected:
    // Vcpus: 0-1 of VM "a" (priority 100), 2 of "b" (200), 3 of "c" (100).
    // The run queues are the stand-in: these tests do not depend on run_queues.cpp.
    void SetUp() override {
        mvtest::HostTest::SetUp();
        installed.emplace(true);
        cpu().events.clear();
    }
    void TearDown() override { installed.reset(); }
    std::optional<stand_in::Installed> installed;

    void runnable(u32 i) {
        vcpu(i).state = VcpuState::runnable;
        run_queues.add(vcpu(i));
    }
    void timer(u32 i, u32 ctl, u64 cval) {
        vcpu(i).ctx.cntv_ctl = ctl;
        vcpu(i).ctx.cntv_cval = cval;
    }
    // The queue of a priority, as vCPU numbers of the system (0-3), head first.
    std::vector<u32> queue(u32 prio) {
        std::vector<u32> ids;
        for (Vcpu* v : stand_in::q[prio]) ids.push_back(static_cast<u32>(v - &vcpu(0)));
        return ids;
    }
    // "vCPU 2", or "nullptr": what pick() returned, readable in a failure.
    std::string who(const Vcpu* p) {
        if (p == nullptr) return "nullptr";
        return "vCPU " + std::to_string(p - &vcpu(0));
    }
    static std::string ids(const std::vector<u32>& v) {
        std::string s = "[";
        for (u32 i : v) s += (s.size() > 1 ? ", " : "") + std::to_string(i);
        return s + "]";
    }
    // The stand-ins saw no call that breaks their contract (the queues, the VFP unit).
    ::testing::AssertionResult kept_the_rules(const char* fn) {
        std::vector<std::string> broken = stand_in::misuse;
        for (u32 p = 0; p < RunQueues::PRIORITIES; ++p)
            for (const Vcpu* v : stand_in::q[p])
                if (v->priority != p)
                    broken.push_back(who(v) + " is queued at priority " + std::to_string(p) +
                                     " but its priority is now " + std::to_string(v->priority) +
                                     ": never change a queued vCPU's priority in place (remove, change, add)");
        if (broken.empty()) return ::testing::AssertionSuccess();
        auto r = ::testing::AssertionFailure() << fn << ":";
        for (const auto& m : broken) r << "\n  " << m;
        return r;
    }
    // on_hyp_timer calls your timer_deadline: it is checked first on every
    // vCPU, so that its mistake is not blamed on on_hyp_timer.
    ::testing::AssertionResult deadlines_right() {
        for (u32 i = 0; i < system_config.nvcpus; ++i) {
            const Vcpu& v = vcpu(i);
            u64 want = NEVER, got = timer_deadline(v);
            if ((v.ctx.cntv_ctl & CNTV_CTL_ENABLE) != 0 && v.ctx.cntv_cval <= NEVER - v.vm->cntvoff)
                want = v.ctx.cntv_cval + v.vm->cntvoff;
            if (got != want)
                return ::testing::AssertionFailure()
                       << "timer_deadline(vCPU " << i << ") is " << hex(got) << ", expected " << hex(want)
                       << " (CNTV_CTL " << hex(v.ctx.cntv_ctl) << ", CNTV_CVAL " << hex(v.ctx.cntv_cval) << ", CNTVOFF "
                       << hex(v.vm->cntvoff)
                       << "): on_hyp_timer is tested through your timer_deadline; fix it first (Lab2.TimerDeadline)";
        }
        return ::testing::AssertionSuccess();
    }
    // The index of the last event starting with `prefix`, or -1.
    int last_event(const std::string& prefix) {
        const auto& ev = cpu().events;
        for (int i = static_cast<int>(ev.size()); i-- > 0;)
            if (ev[i].rfind(prefix, 0) == 0) return i;
        return -1;
    }
    // An "isb" comes after the last write to `reg`.
    ::testing::AssertionResult isb_after_write(const std::string& reg) {
        int w = last_event("write " + reg + " ");
        if (w < 0) return ::testing::AssertionFailure() << reg << " is never written";
        const auto& ev = cpu().events;
        if (std::find(ev.begin() + w, ev.end(), "isb") == ev.end())
            return ::testing::AssertionFailure() << "no ISB after \"" << ev[w] << "\" (arch::isb())";
        return ::testing::AssertionSuccess();
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
    const Sysreg* regs32[] = {&reg::SCTLR,    &reg::CPACR,    &reg::TTBCR,  &reg::DACR,       &reg::DFSR,
                              &reg::IFSR,     &reg::ADFSR,    &reg::AIFSR,  &reg::DFAR,       &reg::IFAR,
                              &reg::PRRR,     &reg::NMRR,     &reg::VBAR,   &reg::CONTEXTIDR, &reg::TPIDRURW,
                              &reg::TPIDRURO, &reg::TPIDRPRW, &reg::CSSELR, &reg::CNTKCTL,    &reg::CNTV_CTL};
    const Sysreg* regs64[] = {&reg::TTBR0, &reg::TTBR1, &reg::PAR, &reg::CNTV_CVAL};
    for (const Sysreg* r : regs32) c.set(*r, 0xc0000000u + 0x100u * ++k);
    for (const Sysreg* r : regs64) c.set(*r, 0x1234500000000ull + ++k);
    const fake::Cpu before = c;
    Frame& f = vcpu(0).frame;
    for (u32 n = 0; n < 13; ++n) f.r[n] = 0x5000 + n;
    f.elr = fake::RAM_BASE + 0x40;
    f.spsr = 0x1d3;
    const Frame frame = f;

    vm(0).cntvoff = 0x777;
    save_context(vcpu(0));
    EXPECT_EQ(hex(c.get(reg::CNTV_CTL)), hex(0u)) << "save_context leaves the virtual timer disabled";
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
        EXPECT_EQ(hex(c.sp[i]), hex(before.sp[i])) << "SP of mode " << hex(i);
        EXPECT_EQ(hex(c.lr[i]), hex(before.lr[i])) << "LR of mode " << hex(i);
        EXPECT_EQ(hex(c.spsr[i]), hex(before.spsr[i])) << "SPSR of mode " << hex(i);
    }
    for (unsigned n = 0; n < 5; ++n) EXPECT_EQ(hex(c.fiq_r8_12[n]), hex(before.fiq_r8_12[n])) << "r" << n + 8 << "_fiq";
    for (const Sysreg* r : regs32) EXPECT_EQ(hex(c.get(*r)), hex(before.get(*r))) << r->name;
    for (const Sysreg* r : regs64) EXPECT_EQ(hex(c.get(*r)), hex(before.get(*r))) << r->name;
    EXPECT_EQ(hex(c.get(reg::CNTVOFF)), hex(0x777u)) << "restore_context loads the VM's CNTVOFF";
    // What the two functions leave alone: the frame (the vectors), VFP (vfp.cpp), switch_to's registers.
    EXPECT_EQ(std::memcmp(&f, &frame, sizeof f), 0) << "save_context and restore_context do not touch vcpu.frame";
    EXPECT_EQ(c.vfp_saves + c.vfp_loads, 0u) << "the VFP registers are vfp.cpp's: not in save/restore_context";
    for (const char* r : {"VTTBR", "VMPIDR", "VPIDR", "HDCR", "HCPTR"})
        EXPECT_FALSE(c.was_written(r)) << r << " is switch_to's (or vfp.cpp's), not restore_context's";
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
    EXPECT_TRUE(isb_after_write("CNTV_CTL")) << "restore_context finishes with an ISB";
}

TEST_F(Lab2, TimerDeadline) {
    vm(0).cntvoff = 1000;
    timer(1, 0, 50);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(NEVER)) << "a disabled timer never fires";
    timer(1, CNTV_CTL_IMASK | CNTV_CTL_ISTATUS, 50);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(NEVER))
        << "CNTV_CTL " << hex(CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)
        << ": ENABLE (bit 0) is clear, so the timer is off whatever the other bits say";
    timer(1, CNTV_CTL_ENABLE | CNTV_CTL_IMASK, 50);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(1050u))
        << "CVAL is in the VM's virtual time: add CNTVOFF (IMASK does not matter)";
    vm(0).cntvoff = 0x200000000ull;
    timer(1, CNTV_CTL_ENABLE, 0x100000005ull);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(0x300000005ull)) << "CNTV_CVAL and CNTVOFF are 64-bit: add all of both";
    timer(1, CNTV_CTL_ENABLE, NEVER - 1 - 0x200000000ull);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(NEVER - 1))
        << "CVAL + CNTVOFF = " << hex(NEVER - 1) << " does not overflow";
    timer(1, CNTV_CTL_ENABLE, NEVER - 0x200000000ull + 1);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(NEVER)) << "CVAL + CNTVOFF is 2^64 exactly: it overflows, NEVER";
    vm(0).cntvoff = 1000;
    timer(1, CNTV_CTL_ENABLE, ~0ull - 10);
    EXPECT_EQ(hex(timer_deadline(vcpu(1))), hex(NEVER)) << "CVAL + CNTVOFF overflows: never";
}

TEST_F(Lab2, TimerWakesOnlyDueBlockedVcpus) {
    runnable(0);
    vcpu(1).state = VcpuState::blocked;
    timer(1, CNTV_CTL_ENABLE, 600);
    vcpu(3).state = VcpuState::blocked;
    timer(3, CNTV_CTL_ENABLE, 601);
    vcpu(2).state = VcpuState::off;  // it did CPU_OFF with its timer on
    timer(2, CNTV_CTL_ENABLE, 100);
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 600, false);
    EXPECT_EQ(vcpu(1).state, VcpuState::runnable) << "deadline 600 <= now 600: woken";
    EXPECT_TRUE(vcpu(1).queued) << "a woken vCPU joins the run queues (run_queues.add)";
    EXPECT_EQ(vcpu(3).state, VcpuState::blocked) << "deadline 601 > now 600: still asleep";
    EXPECT_FALSE(vcpu(3).queued);
    EXPECT_EQ(vcpu(2).state, VcpuState::off) << "only a blocked vCPU wakes: an off one stays off, whatever its timer";
    EXPECT_FALSE(vcpu(2).queued);
    EXPECT_EQ(queue(100), (std::vector<u32>{0, 1})) << "no slice over: the running vCPU stays at the head";
    vcpu(2).state = VcpuState::stopped;  // its VM crashed
    on_hyp_timer(nullptr, 601, false);
    EXPECT_EQ(vcpu(3).state, VcpuState::runnable) << "vCPU 3, the last of system_config.vcpu_pool, deadline 601 <= now "
                                                     "601, current nullptr (an idle core): woken";
    EXPECT_TRUE(vcpu(3).queued);
    EXPECT_EQ(vcpu(2).state, VcpuState::stopped) << "a stopped vCPU does not wake";
    EXPECT_FALSE(vcpu(2).queued);
    EXPECT_TRUE(kept_the_rules("on_hyp_timer"));
}

TEST_F(Lab2, TimerLeavesRunnableVcpusInPlace) {
    for (u32 i : {0u, 3u, 1u}) runnable(i);
    timer(3, CNTV_CTL_ENABLE, 10);  // due, but vCPU 3 runs at its VM's priority already
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 1000, false);
    EXPECT_EQ(queue(100), (std::vector<u32>{0, 3, 1}))
        << "on_hyp_timer moved a runnable vCPU that was not waived: queue 100 is " << ids(queue(100));
    EXPECT_TRUE(kept_the_rules("on_hyp_timer"));
}

TEST_F(Lab2, SliceOverRotates) {
    runnable(0);
    runnable(3);  // same priority 100
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 10, false);
    EXPECT_EQ(who(run_queues.pick()), "vCPU 0");
    on_hyp_timer(&vcpu(0), 20, true);
    EXPECT_EQ(who(run_queues.pick()), "vCPU 3") << "the slice is over: the next vCPU of the priority";
    EXPECT_EQ(queue(100), (std::vector<u32>{3, 0})) << "the current vCPU goes to the tail (run_queues.rotate)";
}

TEST_F(Lab2, WakeFirstThenRotate) {
    runnable(0);
    vcpu(3).state = VcpuState::blocked;  // same priority 100
    timer(3, CNTV_CTL_ENABLE, 500);
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 500, true);
    EXPECT_EQ(queue(100), (std::vector<u32>{3, 0}))
        << "vCPU 3 woke as vCPU 0's slice ended: queue 100 is " << ids(queue(100))
        << ". on_hyp_timer wakes first and rotates second, so the woken vCPU runs before the one whose slice ended";
}

TEST_F(Lab2, TimerSkipsTheRunningVcpu) {
    vcpu(0).priority = 0;  // it waived its priority, and runs because nothing else can
    runnable(0);
    timer(0, CNTV_CTL_ENABLE, 100);  // stale: vCPU 0's live timer is in the hardware
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 1000, false);
    EXPECT_EQ(vcpu(0).priority, 0u) << "on_hyp_timer used the running vCPU's vcpu.ctx, which is stale while it runs: "
                                       "skip `current`";
    EXPECT_EQ(queue(0), (std::vector<u32>{0}));
    EXPECT_TRUE(kept_the_rules("on_hyp_timer"));
}

TEST_F(Lab2, WokenVcpuGetsItsPriorityBack) {
    runnable(0);           // "a", priority 100
    vcpu(2).priority = 0;  // "b" (200) waived its priority, then waited in WFI
    vcpu(2).state = VcpuState::blocked;
    timer(2, CNTV_CTL_ENABLE, 700);
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 700, false);
    EXPECT_EQ(vcpu(2).state, VcpuState::runnable);
    EXPECT_EQ(vcpu(2).priority, 200u) << "a woken vCPU runs at its VM's priority (vm->config->priority), "
                                         "not the waived 0 it had when it blocked";
    EXPECT_EQ(who(run_queues.pick()), "vCPU 2") << "priority 200 before 100";
    EXPECT_TRUE(kept_the_rules("on_hyp_timer"));
}

TEST_F(Lab2, BlockUntilEvent) {
    runnable(0);
    vcpu(0).frame.elr = fake::RAM_BASE + 0x204;  // handle_wfx stepped over the WFI already
    cpu().set(reg::CNTV_CTL, CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS | CNTV_CTL_IMASK);
    block_until_event(vcpu(0));
    EXPECT_EQ(vcpu(0).state, VcpuState::runnable)
        << "CNTV_CTL " << hex(CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS | CNTV_CTL_IMASK)
        << ": the timer's condition is met (IMASK does not matter): WFI returns at once";
    EXPECT_TRUE(vcpu(0).queued);
    cpu().set(reg::CNTV_CTL, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
    vcpu(0).ctx.cntv_ctl = CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS;  // stale: the live timer is in the hardware
    block_until_event(vcpu(0));
    EXPECT_EQ(vcpu(0).state, VcpuState::blocked) << "CNTV_CTL " << hex(CNTV_CTL_ENABLE | CNTV_CTL_IMASK)
                                                 << " in the hardware (ISTATUS clear): block; read CNTV_CTL from the "
                                                    "hardware, not the stale vcpu.ctx";
    EXPECT_FALSE(vcpu(0).queued) << "a blocked vCPU leaves the run queue";
    EXPECT_EQ(hex(vcpu(0).frame.elr), hex(fake::RAM_BASE + 0x204u)) << "block_until_event does not touch the frame";
    EXPECT_EQ(vcpu(0).priority, 100u) << "block_until_event does not change the priority";

    runnable(3);
    cpu().set(reg::CNTV_CTL, CNTV_CTL_ISTATUS);  // the condition, but the timer is off
    block_until_event(vcpu(3));
    EXPECT_EQ(vcpu(3).state, VcpuState::blocked)
        << "CNTV_CTL " << hex(CNTV_CTL_ISTATUS) << ": a disabled timer is no event, whatever ISTATUS says: block";
    EXPECT_FALSE(vcpu(3).queued);
    EXPECT_TRUE(kept_the_rules("block_until_event"));
}

TEST_F(Lab2, YieldGoesToTheTail) {
    for (u32 i : {0u, 3u, 1u}) runnable(i);
    vcpu_yield(vcpu(0));
    EXPECT_EQ(queue(100), (std::vector<u32>{3, 1, 0})) << "vcpu_yield: to the tail of its queue (run_queues.rotate)";
    EXPECT_EQ(vcpu(0).state, VcpuState::runnable) << "a yielding vCPU stays runnable";
    EXPECT_EQ(vcpu(0).priority, 100u);
    EXPECT_TRUE(kept_the_rules("vcpu_yield"));
}

TEST_F(Lab2, PriorityWaiveLastsUntilTheTimer) {
    runnable(2);  // "b", priority 200
    runnable(0);  // "a", priority 100
    priority_waive(vcpu(2));
    EXPECT_TRUE(kept_the_rules("priority_waive"));
    EXPECT_EQ(vcpu(2).priority, 0u) << "priority_waive: priority 0";
    EXPECT_EQ(vcpu(2).state, VcpuState::runnable) << "priority_waive: a waiver stays runnable";
    EXPECT_EQ(queue(0), (std::vector<u32>{2})) << "priority_waive: the waiver is in queue 0 now";
    EXPECT_EQ(who(run_queues.pick()), "vCPU 0") << "after priority_waive, priority 100 beats the waiver";
    timer(2, CNTV_CTL_ENABLE, 700);
    ASSERT_TRUE(deadlines_right());
    on_hyp_timer(&vcpu(0), 699, false);
    EXPECT_EQ(vcpu(2).priority, 0u) << "its timer (700) has not fired yet at 699";
    on_hyp_timer(&vcpu(0), 700, false);
    EXPECT_EQ(vcpu(2).priority, 200u) << "its timer fired at 700: the VM's priority again (on_hyp_timer)";
    EXPECT_EQ(who(run_queues.pick()), "vCPU 2");
    EXPECT_TRUE(kept_the_rules("on_hyp_timer"));
}

TEST_F(Lab2, CpuOnStartsAStoppedVcpu) {
    runnable(0);
    // vCPU 1 ran before and left state behind: CPU_ON must start it fresh (Vcpu::reset).
    Vcpu& t = vcpu(1);
    t.frame.r[1] = 0xdead0001;
    t.frame.r[12] = 0xdead000c;
    t.frame.sp_usr = 0xdead000d;
    t.frame.lr_usr = 0xdead000e;
    t.ctx.ttbr0 = 0xdead00000000ull;
    t.ctx.sctlr = 0xdead;
    t.vfp.d[5] = 0xdead;
    t.priority = 0;
    t.overrun = 9;
    vfp_owner = &t;  // the unit still holds its old registers
    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE + 0x100, 0xabcd), MV_OK);
    EXPECT_EQ(t.state, VcpuState::runnable);
    EXPECT_TRUE(t.queued) << "a started vCPU joins the run queues";
    EXPECT_EQ(hex(t.frame.elr), hex(fake::RAM_BASE + 0x100)) << "it starts at the entry point";
    EXPECT_EQ(hex(t.r(0)), hex(0xabcdu)) << "with the context ID in r0";
    EXPECT_EQ(hex(t.frame.spsr), hex(0x1d3u)) << "SVC mode, ARM state, A, I and F masked (Vcpu::reset)";
    for (u32 n = 1; n < 13; ++n) EXPECT_EQ(hex(t.frame.r[n]), hex(0u)) << "r" << n << " of a fresh vCPU (reset())";
    EXPECT_EQ(hex(t.frame.sp_usr), hex(0u)) << "SP_usr of a fresh vCPU (reset())";
    EXPECT_EQ(hex(t.frame.lr_usr), hex(0u)) << "LR_usr of a fresh vCPU (reset())";
    EXPECT_EQ(hex(t.ctx.ttbr0), hex(0u)) << "a fresh GuestContext (reset())";
    EXPECT_EQ(hex(t.ctx.sctlr), hex(guest_reset_sctlr())) << "a fresh GuestContext (reset())";
    EXPECT_EQ(hex(t.vfp.d[5]), hex(0u)) << "a fresh VFP state (reset())";
    EXPECT_EQ(vfp_owner, nullptr) << "a reset vCPU no longer owns the VFP unit (reset())";
    EXPECT_EQ(t.priority, 100u) << "its VM's priority, not a waived 0 left from before (reset())";
    EXPECT_EQ(t.overrun, 0u) << "no overrun carried over (reset())";
    EXPECT_EQ(queue(100), (std::vector<u32>{0, 1})) << "the caller goes on running; the new vCPU waits at the tail";

    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE, 0), MV_ALREADY_ON);
    EXPECT_EQ(psci_cpu_on(vcpu(0), 0, fake::RAM_BASE, 0), MV_ALREADY_ON) << "the caller itself is on";
    EXPECT_EQ(psci_cpu_on(vcpu(0), 2, fake::RAM_BASE, 0), MV_INVALID_PARAMETERS)
        << "VM \"a\" has vCPUs 0 and 1 only: MPIDR 2 is not one of them";
    for (u32 mpidr : {0x101u, 0x10001u, 0x800001u, 0xff01u})
        EXPECT_EQ(psci_cpu_on(vcpu(0), mpidr, fake::RAM_BASE, 0), MV_INVALID_PARAMETERS)
            << "MPIDR " << hex(mpidr) << ": bits 23:8 (affinity levels 1 and 2) must be 0";

    run_queues.remove(t);
    t.state = VcpuState::off;
    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE + 0x201, 0), MV_OK);
    EXPECT_EQ(hex(t.frame.elr), hex(fake::RAM_BASE + 0x200))
        << "an odd entry point is Thumb code at entry & ~1 (reset())";
    EXPECT_EQ(hex(t.frame.spsr & psr::T), hex(psr::T)) << "an odd entry point starts in Thumb state (SPSR.T)";
    EXPECT_TRUE(kept_the_rules("psci_cpu_on"));
}

TEST_F(Lab2, MpidrBits31To24AreIgnored) {
    runnable(0);
    EXPECT_EQ(psci_cpu_on(vcpu(0), 0x80000001u, fake::RAM_BASE, 7), MV_OK)
        << "MPIDR 0x80000001 (bit 31 set, as read from MPIDR) names vCPU 1: bits 31:24 are ignored";
    EXPECT_EQ(vcpu(1).state, VcpuState::runnable);
    EXPECT_EQ(psci_affinity_info(vcpu(0), 0xff000001u, 0), 0)
        << "AFFINITY_INFO(0xff000001) names vCPU 1, which is ON: bits 31:24 are ignored";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 0x80000000u, 0), 0) << "AFFINITY_INFO(0x80000000) names vCPU 0, the caller";
}

TEST_F(Lab2, CpuOffAndAffinityInfo) {
    runnable(0);
    ASSERT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE, 0), MV_OK);
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 0), 0) << "ON";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 1), MV_INVALID_PARAMETERS) << "level 0 only";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 2, 0), MV_INVALID_PARAMETERS) << "VM \"a\" has vCPUs 0 and 1 only";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 0x101, 0), MV_INVALID_PARAMETERS) << "bits 23:8 must be 0";
    vcpu(1).r(0) = 0x5a5a5a5a;
    psci_cpu_off(vcpu(1));
    EXPECT_EQ(vcpu(1).state, VcpuState::off);
    EXPECT_FALSE(vcpu(1).queued);
    EXPECT_EQ(hex(vcpu(1).r(0)), hex(0x5a5a5a5au)) << "CPU_OFF does not return: psci_cpu_off leaves r0 alone";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 0), 1) << "OFF";
    EXPECT_EQ(vm(0).state, VmState::running) << "vCPU 0 still runs";
    psci_cpu_off(vcpu(0));
    EXPECT_EQ(vm(0).state, VmState::powered_off) << "the last vCPU off powers the VM off";
    EXPECT_TRUE(kept_the_rules("psci_cpu_off"));
}

TEST_F(Lab2, BlockedVcpuIsOn) {
    runnable(0);
    Vcpu& t = vcpu(1);  // started earlier, now waits in WFI
    t.state = VcpuState::blocked;
    t.frame.elr = fake::RAM_BASE + 0x1234;
    EXPECT_EQ(psci_cpu_on(vcpu(0), 1, fake::RAM_BASE, 0), MV_ALREADY_ON)
        << "vCPU 1 is blocked in WFI, which is on: CPU_ON starts only a vCPU that is off";
    EXPECT_EQ(t.state, VcpuState::blocked) << "a refused CPU_ON leaves the target alone";
    EXPECT_FALSE(t.queued) << "a refused CPU_ON leaves the target alone";
    EXPECT_EQ(hex(t.frame.elr), hex(fake::RAM_BASE + 0x1234u)) << "a refused CPU_ON does not reset the target";
    EXPECT_EQ(psci_affinity_info(vcpu(0), 1, 0), 0) << "AFFINITY_INFO of a blocked vCPU: 0 (ON)";
    psci_cpu_off(vcpu(0));
    EXPECT_EQ(vcpu(0).state, VcpuState::off);
    EXPECT_EQ(vm(0).state, VmState::running)
        << "vCPU 1 is blocked, not off: psci_cpu_off of vCPU 0 must not power the VM off";
    EXPECT_EQ(psci_affinity_info(vcpu(1), 0, 0), 1) << "vCPU 0 is off now: 1 (OFF)";
    EXPECT_TRUE(kept_the_rules("psci_cpu_on/off"));
}

TEST_F(Lab2, LazyVfpSwitch) {
    vfp_trap_update(vcpu(0));
    EXPECT_EQ(hex(cpu().get(reg::HCPTR) & 0xc00), hex(0xc00u)) << "no owner yet: VFP accesses trap (TCP10, TCP11)";
    Hsr h = mvtest::decoded(0x07);
    cpu().vfp.d[3] = 0x3333;
    handle_vfp_trap(vcpu(0), h);
    EXPECT_EQ(hex(cpu().get(reg::HCPTR) & 0xc00), hex(0u)) << "the trap is gone for the new owner";
    EXPECT_EQ(cpu().vfp_loads, 1u) << "vCPU 0's registers are loaded";
    EXPECT_EQ(cpu().vfp_saves, 0u) << "no owner before: nothing to save";
    EXPECT_EQ(vfp_owner, &vcpu(0)) << "vCPU 0 owns the unit now (vfp_owner)";
    cpu().vfp.d[3] = 0x4444;  // vCPU 0 computes
    vfp_trap_update(vcpu(3));
    EXPECT_EQ(hex(cpu().get(reg::HCPTR) & 0xc00), hex(0xc00u)) << "vCPU 3 does not own the unit: trap";
    EXPECT_EQ(cpu().vfp_saves, 0u) << "lazy: nothing saved until vCPU 3 touches the unit";
    handle_vfp_trap(vcpu(3), h);
    EXPECT_EQ(cpu().vfp_saves, 1u) << "vCPU 3 touched the unit that vCPU 0 owns: vCPU 0's registers are saved, once";
    EXPECT_EQ(hex(vcpu(0).vfp.d[3]), hex(0x4444u)) << "vCPU 0's registers were saved into vcpu.vfp";
    vfp_trap_update(vcpu(3));
    EXPECT_EQ(hex(cpu().get(reg::HCPTR) & 0xc00), hex(0u)) << "the owner runs untrapped";
}

TEST_F(Lab2, HcptrReadModifyWriteThenIsb) {
    // Other HCPTR bits the microvisor set (TCPAC, TTA, TASE, TCP0-9): only TCP10 and TCP11 are VFP's.
    const u32 other = 0x801083ffu;
    cpu().set(reg::HCPTR, other);
    Hsr h = mvtest::decoded(0x07);
    auto hcptr = [&] { return static_cast<u32>(cpu().get(reg::HCPTR)); };
    vfp_trap_update(vcpu(0));
    EXPECT_EQ(hex(hcptr()), hex(other | 0xc00u)) << "vfp_trap_update of a non-owner, HCPTR was " << hex(other)
                                                 << ": read-modify-write, set only TCP10 and TCP11";
    EXPECT_TRUE(isb_after_write("HCPTR")) << "vfp_trap_update: an ISB after writing HCPTR";
    cpu().events.clear();
    vcpu(0).frame.elr = fake::RAM_BASE + 0x300;
    handle_vfp_trap(vcpu(0), h);
    EXPECT_EQ(hex(hcptr()), hex(other)) << "handle_vfp_trap, HCPTR was " << hex(other | 0xc00u)
                                        << ": read-modify-write, clear only TCP10 and TCP11";
    EXPECT_TRUE(isb_after_write("HCPTR")) << "handle_vfp_trap: an ISB after writing HCPTR";
    EXPECT_EQ(hex(vcpu(0).frame.elr), hex(fake::RAM_BASE + 0x300u))
        << "handle_vfp_trap does not skip the instruction: the guest executes it again, untrapped";
    cpu().events.clear();
    vfp_trap_update(vcpu(0));
    EXPECT_EQ(hex(hcptr()), hex(other)) << "vfp_trap_update of the owner, HCPTR was " << hex(other)
                                        << ": read-modify-write, clear only TCP10 and TCP11";
    EXPECT_TRUE(isb_after_write("HCPTR")) << "vfp_trap_update: an ISB after writing HCPTR";
    vfp_trap_update(vcpu(3));
    cpu().events.clear();
    handle_vfp_trap(vcpu(3), h);  // saves vCPU 0's registers, loads vCPU 3's
    EXPECT_EQ(cpu().vfp_saves, 1u) << "vCPU 3 touched the unit that vCPU 0 owns: vCPU 0's registers are saved, once";
    EXPECT_TRUE(kept_the_rules("handle_vfp_trap")) << "untrap (HCPTR, then ISB) before touching the unit";
}

TEST_F(Lab2, ResetVcpuOwnsNoVfp) {
    Hsr h = mvtest::decoded(0x07);
    vfp_trap_update(vcpu(0));
    handle_vfp_trap(vcpu(0), h);
    ASSERT_EQ(vfp_owner, &vcpu(0)) << "handle_vfp_trap makes vCPU 0 the owner (vfp_owner in kernel/vcpu.hpp)";
    cpu().vfp.d[3] = 0x4444;        // vCPU 0 computes
    vcpu(0).reset(fake::RAM_BASE);  // SYSTEM_RESET, or CPU_OFF then CPU_ON: Vcpu::reset clears vfp_owner
    vfp_trap_update(vcpu(0));
    EXPECT_EQ(hex(cpu().get(reg::HCPTR) & 0xc00), hex(0xc00u))
        << "vCPU 0 was reset: the unit holds its old registers, so it is no owner any more and its VFP accesses "
           "trap. Keep the owner in vfp_owner (kernel/vcpu.hpp), which Vcpu::reset clears, not in a copy of your own";
    unsigned saves = cpu().vfp_saves, loads = cpu().vfp_loads;
    handle_vfp_trap(vcpu(0), h);
    EXPECT_EQ(cpu().vfp_loads, loads + 1) << "the reset vCPU's fresh VFP state is loaded";
    EXPECT_EQ(cpu().vfp_saves, saves) << "no owner after the reset: the old registers are not saved";
    EXPECT_EQ(hex(cpu().vfp.d[3]), hex(0u)) << "d3 after the reset: the old registers survived";
    EXPECT_EQ(vfp_owner, &vcpu(0));
}

}  // namespace
