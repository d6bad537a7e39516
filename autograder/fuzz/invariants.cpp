// SPDX-License-Identifier: MIT
// The invariants checked after every step of a run.
#include "invariants.hpp"

#include <cstdint>
#include <cstring>
#include <string>

#include "arch.hpp"
#include "arch/armv7/lpae.hpp"
#include "config/system_config.hpp"
#include "drivers/gic.hpp"
#include "kernel/context.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/system.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "kernel/vm_memory.hpp"
#include "machine.hpp"
#include "report.hpp"
#include "vdev/vpl011.hpp"

namespace mvfuzz {
namespace {

using mv::fake::cpu;
namespace reg = mv::reg;
const mv::SystemConfig& sys = mv::system_config;

constexpr u32 PAGE = 0x1000;
constexpr u32 HCPTR_VFP = (1u << 10) | (1u << 11);
constexpr u32 HDCR_TPM_TPMCR = (1u << 6) | (1u << 5);

// RunQueues keeps its queues private; the harness reads their representation
// through this mirror of its members (kernel/run_queues.hpp), kept in step by
// the static_assert.
struct QueuesView {
    mv::Vcpu* head[mv::RunQueues::PRIORITIES];
    mv::Vcpu* tail[mv::RunQueues::PRIORITIES];
    u32 nonempty[mv::RunQueues::PRIORITIES / 32];
};
static_assert(sizeof(QueuesView) == sizeof(mv::RunQueues), "RunQueues changed: update QueuesView");

// The microvisor's objects, by the low 32 bits of their host addresses: no
// guest register may come to hold one.
struct Range {
    u32 lo, len;
    const char* what;
};
std::vector<Range> pointer_ranges;

void add_range(const void* p, std::size_t len, const char* what) {
    pointer_ranges.push_back({static_cast<u32>(reinterpret_cast<std::uintptr_t>(p)), static_cast<u32>(len), what});
}

const char* pointer_named(u32 v) {
    if (v < 0x10000) return nullptr;  // small numbers are results, whatever the addresses
    for (const Range& r : pointer_ranges)
        if (v - r.lo < r.len) return r.what;
    return nullptr;
}

u32 low32(const void* p) { return static_cast<u32>(reinterpret_cast<std::uintptr_t>(p)); }

// Names compared by hand, not with memcmp(): libFuzzer watches memcmp() and
// would learn the harness's register names as if they were the microvisor's.
bool starts_with(const std::string& s, const char* prefix) {
    std::size_t i = 0;
    for (; prefix[i] != '\0'; ++i)
        if (i >= s.size() || s[i] != prefix[i]) return false;
    return true;
}
bool is_named(const std::string& s, const char* name) { return starts_with(s, name) && s.size() == std::strlen(name); }

bool in_vcpu_pool(const mv::Vcpu* v) {
    for (u32 i = 0; i < sys.nvcpus; ++i)
        if (v == &sys.vcpu_pool[i]) return true;
    return false;
}

u32 index_of(const mv::Vcpu* v) { return static_cast<u32>(v - sys.vcpu_pool); }

bool guest_mode(u32 psr) {
    for (u32 m : GUEST_MODES)
        if ((psr & 0x1f) == m) return true;
    return false;
}

bool active(const mv::Vcpu& v) { return v.state == mv::VcpuState::runnable || v.state == mv::VcpuState::blocked; }

// Each VM and vCPU is still bound to its place in the description.
void check_bindings() {
    u32 first = 0;
    for (u32 i = 0; i < sys.nvms; ++i) {
        const mv::Vm& vm = sys.vm_pool[i];
        if (vm.config != &sys.vms[i] || vm.vcpus != &sys.vcpu_pool[first])
            finding("VM %u lost its description or its vCPUs", i);
        for (u32 c = 0; c < vm.config->vcpus; ++c)
            if (vm.vcpus[c].vm != &vm || vm.vcpus[c].id != c) finding("vCPU %u of VM %u lost its VM or id", c, i);
        first += vm.config->vcpus;
    }
}

// The run queues hold exactly the runnable vCPUs, each once, in the queue of
// its priority; tails and the bitmap agree with the lists.
void check_queues() {
    QueuesView q;
    std::memcpy(static_cast<void*>(&q), static_cast<const void*>(&mv::run_queues), sizeof q);
    u32 seen[MAX_VCPUS] = {};
    for (u32 p = 0; p < mv::RunQueues::PRIORITIES; ++p) {
        bool bit = ((q.nonempty[p / 32] >> (p % 32)) & 1) != 0;
        if (bit != (q.head[p] != nullptr))
            finding("run queue %u: bitmap bit %d, head %p", p, bit, static_cast<void*>(q.head[p]));
        const mv::Vcpu* last = nullptr;
        u32 n = 0;
        for (const mv::Vcpu* v = q.head[p]; v != nullptr; v = v->next) {
            if (!in_vcpu_pool(v)) finding("run queue %u links %p, which is no vCPU", p, static_cast<const void*>(v));
            if (++n > sys.nvcpus) finding("run queue %u has a cycle", p);
            u32 i = index_of(v);
            if (++seen[i] > 1) finding("vCPU %u is queued twice", i);
            if (v->state != mv::VcpuState::runnable)
                finding("vCPU %u is queued but not runnable (state %d)", i, static_cast<int>(v->state));
            if (!v->queued) finding("vCPU %u is in a queue but not marked queued", i);
            if (v->priority != p) finding("vCPU %u of priority %u is in queue %u", i, v->priority, p);
            last = v;
        }
        if (q.tail[p] != last) finding("run queue %u: tail is not the last vCPU of the list", p);
    }
    for (u32 i = 0; i < sys.nvcpus; ++i) {
        const mv::Vcpu& v = sys.vcpu_pool[i];
        bool runnable = v.state == mv::VcpuState::runnable;
        if (runnable != (seen[i] == 1))
            finding("vCPU %u is %s but %s", i, runnable ? "runnable" : "not runnable",
                    seen[i] ? "queued" : "in no queue");
        if (v.queued != runnable) finding("vCPU %u: queued flag %d, state %d", i, v.queued, static_cast<int>(v.state));
    }
}

// VM and vCPU states agree; every vCPU that may run resumes in a guest mode.
void check_states() {
    for (u32 i = 0; i < sys.nvms; ++i) {
        const mv::Vm& vm = sys.vm_pool[i];
        u32 n = 0;
        for (u32 c = 0; c < vm.config->vcpus; ++c) n += active(vm.vcpus[c]) ? 1 : 0;
        if (vm.state == mv::VmState::idle) finding("VM %u is idle after boot", i);
        if (vm.state == mv::VmState::running && n == 0)
            finding("VM %u is running, but none of its vCPUs may run or waits", i);
        if (vm.finished() && n != 0) finding("VM %u has finished, but %u of its vCPUs may still run", i, n);
    }
    for (u32 i = 0; i < sys.nvcpus; ++i) {
        const mv::Vcpu& v = sys.vcpu_pool[i];
        if (!active(v)) continue;
        if (!guest_mode(v.frame.spsr))
            finding("vCPU %u would resume in mode %#x: not a guest mode (SPSR_hyp %#x)", i, v.frame.spsr & 0x1f,
                    v.frame.spsr);
        u32 own = v.vm->config->priority;
        if (v.state == mv::VcpuState::runnable && v.priority != own && v.priority != 0)
            finding("vCPU %u runs at priority %u, neither its VM's (%u) nor waived (0)", i, v.priority, own);
    }
}

// The hardware is set up for the running vCPU and its VM, and no other.
void check_running(bool switched) {
    mv::Vcpu* r = mv::running_vcpu();
    if (r == nullptr) finding("no vCPU is running after the step");
    if (!in_vcpu_pool(r)) finding("the running vCPU %p is no vCPU", static_cast<void*>(r));
    u32 i = index_of(r);
    if (r->state != mv::VcpuState::runnable)
        finding("the running vCPU %u is not runnable (state %d)", i, static_cast<int>(r->state));
    if (r->vm->state != mv::VmState::running)
        finding("the running vCPU %u belongs to VM %u, which is not running", i, r->vm->id());
    if (mv::run_queues.pick() != r) finding("vCPU %u runs, but the run queues pick another", i);
    if (static_cast<u32>(cpu().get(reg::HTPIDR)) != low32(&r->frame))
        finding("HTPIDR does not point at the running vCPU %u's frame: the next trap would save into another", i);
    u64 vttbr = cpu().get(reg::VTTBR);
    if (vttbr != mv::vm_vttbr(*r->vm) || ((vttbr >> 48) & 0xff) != r->vm->vmid())
        finding("VTTBR %#llx is not VM %u's stage-2 map and VMID", vttbr, r->vm->id());
    if (cpu().get(reg::VMPIDR) != ((1u << 31) | r->id))
        finding("VMPIDR %#llx is not vCPU %u's", cpu().get(reg::VMPIDR), r->id);
    if (cpu().get(reg::CNTVOFF) != r->vm->cntvoff) finding("CNTVOFF is not VM %u's", r->vm->id());
    // The PMU traps (HDCR.TPM, TPMCR) unless the description gives the VM the PMU.
    u32 hdcr = static_cast<u32>(cpu().get(reg::HDCR));
    bool pmu_traps = (hdcr & HDCR_TPM_TPMCR) == HDCR_TPM_TPMCR;
    if (pmu_traps == r->vm->config->pmu || (!pmu_traps && (hdcr & HDCR_TPM_TPMCR) != 0))
        finding("HDCR %#x: the PMU is %s to VM %u, whose description says pmu = %d", hdcr,
                pmu_traps ? "closed" : "open", r->vm->id(), r->vm->config->pmu);

    // The VFP unit is open only to its owner.
    u32 hcptr = static_cast<u32>(cpu().get(reg::HCPTR)) & HCPTR_VFP;
    if (hcptr != 0 && hcptr != HCPTR_VFP) finding("HCPTR traps only one of CP10 and CP11: %#x", hcptr);
    if ((hcptr == 0) != (mv::vfp_owner == r))
        finding("the VFP unit is %s to vCPU %u, but it %s its registers", hcptr == 0 ? "open" : "closed", i,
                mv::vfp_owner == r ? "holds" : "does not hold");
    if (mv::vfp_owner != nullptr && !in_vcpu_pool(mv::vfp_owner)) finding("vfp_owner is no vCPU");

    // The HYP timer is armed, at most one slice ahead: a guest cannot keep the CPU.
    u64 deadline;
    if (!hyp_timer_armed(deadline)) finding("a guest runs with the HYP timer off: it could keep the CPU for ever");
    if (deadline > now() + SLICE_TICKS)
        finding("the HYP timer fires %llu ticks from now, more than a time slice (%llu)", deadline - now(),
                SLICE_TICKS);

    // After a switch the hardware holds the new vCPU's own state (what the harness lets guests change).
    if (!switched) return;
    const mv::GuestContext& c = r->ctx;
#define SAME(field, R)                                                                                        \
    if (cpu().get(reg::R) != c.field)                                                                         \
        finding("after the switch to vCPU %u, " #R " holds %#llx, not its own %#llx", i, cpu().get(reg::R), \
                static_cast<u64>(c.field));
    MV_GUEST_CP15(SAME)
    MV_GUEST_CP15_64(SAME)
    SAME(cntv_ctl, CNTV_CTL)
    SAME(cntv_cval, CNTV_CVAL)
#undef SAME
    for (const auto& b : mv::BANKED_MODES) {
        u32 m = static_cast<u32>(b.mode) & 0x1f;
        const mv::BankedMode& saved = c.*b.field;
        if (cpu().sp[m] != saved.sp || cpu().lr[m] != saved.lr || cpu().spsr[m] != saved.spsr)
            finding("after the switch to vCPU %u, SP, LR or SPSR of mode %#x is not its own", i, m);
    }
    for (u32 n = 0; n < 5; ++n)
        if (cpu().fiq_r8_12[n] != c.r8_12_fiq[n])
            finding("after the switch to vCPU %u, r%u_fiq is not its own", i, n + 8);
}

// No general-purpose register of any vCPU came to hold a microvisor address.
void check_leaks(const Snapshot& before) {
    for (u32 i = 0; i < sys.nvcpus; ++i) {
        const mv::Frame& now_f = sys.vcpu_pool[i].frame;
        for (u32 n = 0; n < 13; ++n) {
            u32 v = now_f.r[n];
            if (v == before.frames[i].r[n]) continue;
            bool passed_on = false;
            for (u32 g : before.guest_values) passed_on = passed_on || g == v;
            const char* what = pointer_named(v);
            if (what != nullptr && !passed_on)
                finding("vCPU %u's r%u now holds %#x: the address of %s in the microvisor", i, n, v, what);
        }
    }
}

const mv::MemRegion* region_of(const mv::VmConfig& c, u32 gpa) {
    for (u32 i = 0; i < c.nregions; ++i)
        if (gpa - c.regions[i].gpa < c.regions[i].size) return &c.regions[i];
    return nullptr;
}

// The stage-2 tables, walked by the harness itself (ARM ARM B3.6: the
// long-descriptor format, as the MMU reads it), not by the microvisor's code.
namespace s2 {

constexpr u64 TYPE = 3, INVALID_MASK = 1;
const u64* pool_begin() { return sys.table_storage; }
const u64* pool_end() { return sys.table_storage + sys.table_pages * 512ul; }

// The table at physical `pa` (the fake arch's physical addresses are host addresses), checked to be a pool table.
const u64* table_at(u64 pa, const mv::Vm& vm, const char* what) {
    auto* t = reinterpret_cast<const u64*>(static_cast<std::uintptr_t>(pa));
    if (t < pool_begin() || t >= pool_end() || (pa & (PAGE - 1)) != 0)
        finding("VM %u's %s at %#llx is no table of the stage-2 pool", vm.id(), what, pa);
    return t;
}

// What the MMU would do for guest-physical `gpa`: the leaf descriptor and its size, or 0.
u64 leaf_of(const mv::Vm& vm, u32 gpa, u32& size) {
    const u64* l1 = table_at(mv::vm_vttbr(vm) & mv::lpae::ADDR_MASK, vm, "level-1 table");
    u64 d = l1[mv::lpae::l1_index(gpa)];
    if ((d & TYPE) != mv::lpae::TABLE) return 0;
    d = table_at(d & mv::lpae::ADDR_MASK, vm, "level-2 table")[mv::lpae::l2_index(gpa)];
    if ((d & TYPE) == mv::lpae::BLOCK) {
        size = mv::lpae::BLOCK_2M;
        return d;
    }
    if ((d & TYPE) != mv::lpae::TABLE) return 0;
    d = table_at(d & mv::lpae::ADDR_MASK, vm, "level-3 table")[mv::lpae::l3_index(gpa)];
    size = PAGE;
    return (d & TYPE) == mv::lpae::PAGE ? d : 0;
}

mv::S2Attrs attrs(u64 d) {
    mv::S2Attrs a;
    a.read = (d & mv::lpae::S2AP_R) != 0;
    a.write = (d & mv::lpae::S2AP_W) != 0;
    a.exec = (d & mv::lpae::XN) == 0;
    a.device = ((d >> 2) & 0xc) == 0;  // MemAttr[3:2] = 0b00: Device
    return a;
}

// A block or page maps [gpa, gpa + size) inside one region, where the region
// says, with no more rights than it gives, and with the access flag set.
void check_leaf(const mv::Vm& vm, u32 gpa, u32 size, u64 d) {
    const mv::MemRegion* r = region_of(*vm.config, gpa);
    u64 pa = d & mv::lpae::ADDR_MASK;
    if (r == nullptr || size > r->size || gpa - r->gpa > r->size - size)
        finding("VM %u maps guest-physical [%#x, +%#x) (to %#llx), which no region of its description holds", vm.id(),
                gpa, size, pa);
    u64 want = static_cast<u64>(r->pa) + (gpa - r->gpa);
    if (pa != want) finding("VM %u maps guest-physical %#x to %#llx, not to %#llx", vm.id(), gpa, pa, want);
    mv::S2Attrs a = attrs(d);
    if ((a.write && !r->writable) || (a.exec && !r->executable) || a.device != (r->kind == mv::MemKind::Device))
        finding("VM %u maps guest-physical %#x with rights its region does not give (descriptor %#llx)", vm.id(), gpa,
                d);
    if ((d & mv::lpae::AF) == 0)
        finding("VM %u maps guest-physical %#x without the access flag: it faults for ever", vm.id(), gpa);
}

// Every VM's tables: well formed, in the pool, none shared, every mapping allowed.
// (Skipped while the pool holds what was checked last: most steps change no map.)
void check_tables() {
    static std::vector<u64> checked, checked_keys;
    std::vector<u64> keys;  // what else the check depends on: each VM's VTTBR and table count
    for (u32 i = 0; i < sys.nvms; ++i) {
        keys.push_back(mv::vm_vttbr(sys.vm_pool[i]));
        keys.push_back(sys.vm_pool[i].stage2.tables_used());
    }
    std::size_t words = static_cast<std::size_t>(pool_end() - pool_begin());
    bool same = checked.size() == words && keys == checked_keys;
    for (std::size_t i = 0; same && i < words; ++i) same = pool_begin()[i] == checked[i];
    if (same) return;
    std::vector<const u64*> seen;
    auto claim = [&](const u64* t, const mv::Vm& vm) {
        for (const u64* s : seen)
            if (s == t)
                finding("VM %u's stage-2 tables use the table at %p twice, or share it with another VM", vm.id(),
                        static_cast<const void*>(t));
        seen.push_back(t);
    };
    for (u32 i = 0; i < sys.nvms; ++i) {
        const mv::Vm& vm = sys.vm_pool[i];
        std::size_t first = seen.size();
        const u64* l1 = table_at(mv::vm_vttbr(vm) & mv::lpae::ADDR_MASK, vm, "level-1 table");
        claim(l1, vm);
        for (u32 i1 = 0; i1 < 512; ++i1) {
            u64 d1 = l1[i1];
            if ((d1 & INVALID_MASK) == 0) continue;
            if (i1 >= 4) finding("VM %u's level-1 entry %u is valid, beyond a 32-bit IPA space", i, i1);
            if ((d1 & TYPE) != mv::lpae::TABLE) finding("VM %u maps a 1 GiB block at level 1: %#llx", i, d1);
            const u64* l2 = table_at(d1 & mv::lpae::ADDR_MASK, vm, "level-2 table");
            claim(l2, vm);
            for (u32 i2 = 0; i2 < 512; ++i2) {
                u64 d2 = l2[i2];
                u32 gpa2 = (i1 << 30) | (i2 << 21);
                if ((d2 & INVALID_MASK) == 0) continue;
                if ((d2 & TYPE) == mv::lpae::BLOCK) {
                    check_leaf(vm, gpa2, mv::lpae::BLOCK_2M, d2);
                    continue;
                }
                const u64* l3 = table_at(d2 & mv::lpae::ADDR_MASK, vm, "level-3 table");
                claim(l3, vm);
                for (u32 i3 = 0; i3 < 512; ++i3) {
                    u64 d3 = l3[i3];
                    if ((d3 & INVALID_MASK) == 0) continue;
                    if ((d3 & TYPE) != mv::lpae::PAGE) finding("VM %u: a reserved level-3 descriptor %#llx", i, d3);
                    check_leaf(vm, gpa2 | (i3 << 12), PAGE, d3);
                }
            }
        }
        // Its quota: the tables its map uses are the ones it is charged for, and no more than it may have.
        auto used = static_cast<u32>(seen.size() - first);
        if (used != vm.stage2.tables_used() || used > vm.config->table_quota)
            finding("VM %u's map uses %u stage-2 tables; it is charged for %u, its quota is %u", i, used,
                    vm.stage2.tables_used(), vm.config->table_quota);
    }
    checked.assign(pool_begin(), pool_end());
    checked_keys = keys;
}

// The microvisor's own translation (what guest_copy_in/out use) agrees with the tables.
void check_translate(const mv::Vm& vm, u32 gpa) {
    u32 size = 0;
    u64 d = leaf_of(vm, gpa, size);
    u64 pa = 0;
    mv::S2Attrs a;
    bool mapped = mv::vm_translate(vm, gpa, pa, a);
    if (mapped != (d != 0))
        finding("VM %u: vm_translate(%#x) says %s, the tables say %s", vm.id(), gpa, mapped ? "mapped" : "unmapped",
                d != 0 ? "mapped" : "unmapped");
    if (!mapped) return;
    u64 want = (d & mv::lpae::ADDR_MASK) + (gpa & (size - 1));
    if (pa != want || !(a == attrs(d)))
        finding("VM %u: vm_translate(%#x) gives %#llx, the tables %#llx (or other rights)", vm.id(), gpa, pa, want);
}

}  // namespace s2

// The tables, and the microvisor's translation of the addresses the step named,
// of the devices that must trap, and of the regions' edges.
void check_stage2(const Snapshot& before) {
    s2::check_tables();
    for (u32 i = 0; i < sys.nvms; ++i) {
        const mv::Vm& vm = sys.vm_pool[i];
        for (u32 gpa : {mv::VPL011_BASE, mv::gic::GICD_BASE, mv::gic::GICC_BASE, 0u, 0xfffff000u})
            s2::check_translate(vm, gpa);
        for (u32 gpa : before.probe_gpas) s2::check_translate(vm, gpa);
        for (u32 n = 0; n < vm.config->nregions; ++n) {
            const mv::MemRegion& r = vm.config->regions[n];
            for (u32 gpa : {r.gpa - 1, r.gpa, r.gpa + r.size - 1, r.gpa + r.size}) s2::check_translate(vm, gpa);
        }
    }
}

// Each complete console line is the microvisor's ("MV...") or a guest's ("[name] "),
// printable: no guest can forge a line of the microvisor or of another VM.
std::size_t console_checked = 0;  // lines before this offset were checked

void check_console() {
    const std::string& out = cpu().console;
    for (std::size_t nl; (nl = out.find('\n', console_checked)) != std::string::npos; console_checked = nl + 1) {
        std::string line = out.substr(console_checked, nl - console_checked);
        bool ok = line.empty() || line.rfind("MV", 0) == 0;
        for (u32 i = 0; i < sys.nvms && !ok; ++i) ok = line.rfind("[" + std::string(sys.vms[i].name) + "] ", 0) == 0;
        if (!ok) finding("a console line belongs to nobody: \"%s\"", line.c_str());
        for (char ch : line) {
            auto c = static_cast<unsigned char>(ch);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) finding("a console line carries the control byte %#x", c);
        }
    }
}

// The harness's own model of conditional execution (ARM ARM A8.3, A2.5.2),
// written from the manual and not from the microvisor's psr.hpp.
namespace cond {

bool passed(u32 c, u32 cpsr) {
    bool n = (cpsr >> 31) & 1, z = (cpsr >> 30) & 1, cf = (cpsr >> 29) & 1, v = (cpsr >> 28) & 1;
    switch (c) {
    case 0x0: return z;             // EQ
    case 0x1: return !z;            // NE
    case 0x2: return cf;            // CS
    case 0x3: return !cf;           // CC
    case 0x4: return n;             // MI
    case 0x5: return !n;            // PL
    case 0x6: return v;             // VS
    case 0x7: return !v;            // VC
    case 0x8: return cf && !z;      // HI
    case 0x9: return !cf || z;      // LS
    case 0xa: return n == v;        // GE
    case 0xb: return n != v;        // LT
    case 0xc: return !z && n == v;  // GT
    case 0xd: return z || n != v;   // LE
    default: return true;           // AL, and 0b1111
    }
}

// ITSTATE: IT[7:2] in CPSR[15:10], IT[1:0] in CPSR[26:25].
u32 it(u32 cpsr) { return (((cpsr >> 10) & 0x3f) << 2) | ((cpsr >> 25) & 3); }

u32 with_it(u32 cpsr, u32 it) {
    cpsr &= ~((0x3fu << 10) | (3u << 25));
    return cpsr | (((it >> 2) & 0x3f) << 10) | ((it & 3) << 25);
}

// ITAdvance(): the block ends when IT[2:0] is 0, else IT[4:0] shifts left.
u32 advance(u32 it) { return (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f); }

// Whether the trapped instruction failed its condition: classes 0x01-0x0c
// carry COND when CV is set; in Thumb without CV, an IT block's condition holds.
bool failed(u32 hsr, u32 cpsr) {
    u32 ec = hsr >> 26;
    if (ec < 0x01 || ec > 0x0c) return false;
    if ((hsr >> 24) & 1) return !passed((hsr >> 20) & 0xf, cpsr);
    u32 state = it(cpsr);
    return state != 0 && !passed(state >> 4, cpsr);
}

}  // namespace cond

}  // namespace

void check_trapped_instruction(const Snapshot& before, const mv::Vcpu& v, u32 hsr, bool skipped) {
    u32 i = index_of(&v);
    const mv::Frame& was = before.frames[i];
    bool failed = cond::failed(hsr, was.spsr);
    if (skipped != failed)
        finding("HSR %#x, CPSR %#x: the microvisor %s the instruction, but its condition %s", hsr, was.spsr,
                skipped ? "skipped" : "handled", failed ? "failed" : "passed");
    u32 ec = hsr >> 26, len = (hsr >> 25) & 1 ? 4 : 2;
    // An exception reflected to the guest writes a banked SPSR: then the guest does not resume after the instruction.
    bool reflected = false;
    for (const auto& w : cpu().writes) reflected = reflected || starts_with(w.name, "SPSR_");
    bool resumed_after = !reflected && v.frame.elr == was.elr + len && (v.frame.spsr & 0x1f) == (was.spsr & 0x1f);
    if (ec < 0x01 || ec > 0x0c || !resumed_after) {
        if (failed)
            finding("a trapped instruction whose condition failed was not skipped: ELR %#x -> %#x", was.elr,
                    v.frame.elr);
        return;
    }
    // Resumed after the trapped instruction: the IT state moves on, as if the CPU had executed it.
    u32 want = cond::with_it(was.spsr, cond::advance(cond::it(was.spsr)));
    if (v.frame.spsr != want)
        finding("after skipping the trapped instruction, SPSR is %#x, not %#x (IT state %#x)", v.frame.spsr, want,
                cond::it(was.spsr));
    if (failed)
        for (u32 n = 0; n < 13; ++n)
            if (v.frame.r[n] != was.r[n]) finding("a trapped instruction whose condition failed changed r%u", n);
}

void init_invariants() {
    auto tables_end = reinterpret_cast<std::uintptr_t>(sys.table_storage + sys.table_pages * 512ul);
    if (tables_end > 0xffffffffu)
        finding("the stage-2 tables lie above 4 GiB (%#lx): link the fuzzer with -no-pie", tables_end);
    add_range(sys.vm_pool, sys.nvms * sizeof(mv::Vm), "the VM objects");
    add_range(sys.vcpu_pool, sys.nvcpus * sizeof(mv::Vcpu), "the vCPU objects");
    add_range(sys.table_storage, sys.table_pages * 4096ul, "the stage-2 tables");
    add_range(&mv::run_queues, sizeof mv::run_queues, "the run queues");
    add_range(mv::fake::ram(), mv::fake::RAM_SIZE, "the (fake) RAM as the microvisor maps it");
    add_range(&cpu(), sizeof(mv::fake::Cpu), "the CPU model");
    int here = 0;
    add_range(reinterpret_cast<char*>(&here) - (1u << 20), 1u << 20, "the microvisor's stack");
    if (sys.nvcpus > MAX_VCPUS) finding("the fuzz system has more than %u vCPUs", MAX_VCPUS);
}

void begin_run() { console_checked = 0; }

Snapshot snapshot(const mv::Vcpu* trapping, const Trap* t) {
    Snapshot s;
    for (u32 i = 0; i < sys.nvcpus; ++i) s.frames[i] = sys.vcpu_pool[i].frame;
    if (trapping != nullptr) std::memcpy(s.guest_values, trapping->frame.r, sizeof s.guest_values);
    if (t != nullptr) {
        u32 ipa = (t->hpfar >> 4) << 12;
        s.probe_gpas = {t->r[1], t->r[1] + t->r[2] - 1, t->r[1] + t->r[2], ipa};
        if (trapping != nullptr) s.probe_gpas.push_back(trapping->frame.r[1]);
    }
    cpu().writes.clear();  // to see whether the step switched vCPUs
    return s;
}

void check_system(const Snapshot& before) {
    bool switched = false;
    for (const auto& w : cpu().writes) switched = switched || is_named(w.name, "HTPIDR");
    check_bindings();
    check_queues();
    check_states();
    check_running(switched);
    check_leaks(before);
    check_stage2(before);
    check_console();
}

void check_system_ended() {
    for (u32 i = 0; i < sys.nvms; ++i)
        if (!sys.vm_pool[i].finished()) finding("the system ended, but VM %u has not finished", i);
    s2::check_tables();
    check_console();
}

}  // namespace mvfuzz
