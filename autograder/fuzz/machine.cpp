// SPDX-License-Identifier: MIT
// The machine around the fake arch (machine.hpp says why and what).
#include "machine.hpp"

#include <bitset>
#include <cstring>

#include "arch.hpp"
#include "drivers/gic.hpp"
#include "kernel/console_input.hpp"
#include "kernel/context.hpp"
#include "kernel/run.hpp"
#include "kernel/run_queues.hpp"
#include "kernel/system.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "report.hpp"

namespace mvfuzz {
namespace {

using mv::fake::cpu;
namespace reg = mv::reg;

constexpr u32 PAGE = 0x1000;
constexpr u32 RAM_PAGES = mv::fake::RAM_SIZE / PAGE;
constexpr u32 CNTHP_ENABLE = 1u << 0, CNTHP_IMASK = 1u << 1;
constexpr u32 CNTV_ENABLE = 1u << 0, CNTV_IMASK = 1u << 1, CNTV_ISTATUS = 1u << 2;

// What the board's CPU reports after reset: a Cortex-A15 r2p1 with 6 PMU counters.
constexpr u32 MIDR_A15 = 0x412fc0f1, SCTLR_RESET = 0x00c50078, PMCR_A15 = 0x410f3000;

std::bitset<RAM_PAGES> dirty;  // pages of the fake RAM a run wrote (or let the microvisor touch)
const mv::Vm* serving = nullptr;

void mark_dirty(u32 pa) {
    u32 page = (pa - mv::fake::RAM_BASE) / PAGE;
    if (page < RAM_PAGES) dirty.set(page);
}

void clean_ram() {
    for (u32 page = 0; page < RAM_PAGES; ++page)
        if (dirty.test(page)) std::memset(mv::fake::ram() + static_cast<std::size_t>(page) * PAGE, 0, PAGE);
    dirty.reset();
}

// The RAM region of `vm`'s description that holds physical `pa`, or nullptr.
const mv::MemRegion* ram_region_of_pa(const mv::Vm& vm, u32 pa) {
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const mv::MemRegion& r = vm.config->regions[i];
        if (r.kind == mv::MemKind::Ram && pa - r.pa < r.size) return &r;
    }
    return nullptr;
}

// Where guest-physical `gpa` of `vm` lies in the fake RAM by its description, or nullptr.
mv::u8* ram_of_gpa(const mv::Vm& vm, u32 gpa) {
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const mv::MemRegion& r = vm.config->regions[i];
        if (r.kind == mv::MemKind::Ram && gpa - r.gpa < r.size) {
            u32 pa = r.pa + (gpa - r.gpa);
            mark_dirty(pa);
            return mv::fake::ram() + (pa - mv::fake::RAM_BASE);
        }
    }
    return nullptr;
}

// A value for the `k`th CP15 register the guest wrote before trap `t`.
u32 scribble(const Trap& t, u32 k) { return (t.vbar ^ t.ttbcr) * 0x9e3779b9u + k * 0x01000193u; }

// The console input state lives in statics of kernel/console_input.cpp: "x" ends a
// pending Ctrl-A, then Ctrl-A 0 gives VM 0 the focus with nothing queued.
void reset_console_input() {
    cpu().console_input = std::string("x\x01" "0");
    mv::console_input_poll();
}

}  // namespace

void boot(const Input& in) {
    serving = nullptr;
    cpu() = mv::fake::Cpu{};
    clean_ram();
    cpu().set(reg::CNTFRQ, CNTFRQ_HZ);
    cpu().set(reg::CNTPCT, BOOT_COUNT);
    cpu().set(reg::MIDR, MIDR_A15);
    cpu().set(reg::SCTLR, SCTLR_RESET);
    cpu().set(reg::PMCR, PMCR_A15);

    const mv::SystemConfig& sys = mv::system_config;
    for (u32 i = 0; i < sys.nvms; ++i) sys.vm_pool[i] = mv::Vm{};  // every console line closed, too
    for (u32 i = 0; i < sys.nvcpus; ++i) sys.vcpu_pool[i] = mv::Vcpu{};
    reset_console_input();
    mv::run_queues.clear();
    mv::forget_running();
    mv::vfp_owner = nullptr;
    mv::system_init();
    mv::run_start();

    cpu().console.clear();
    cpu().writes.clear();
    cpu().console_input = in.console_input;
    const mv::Vm& vm = sys.vm_pool[in.memory_vm];
    for (std::size_t i = 0; i < in.memory.size(); ++i)
        if (mv::u8* p = ram_of_gpa(vm, in.memory_gpa + static_cast<u32>(i))) *p = in.memory[i];
}

u64 now() { return cpu().get(reg::CNTPCT); }

void advance_to(u64 count) {
    if (count > now()) cpu().set(reg::CNTPCT, count);
}

bool hyp_timer_armed(u64& deadline) {
    u32 ctl = static_cast<u32>(cpu().get(reg::CNTHP_CTL));
    deadline = cpu().get(reg::CNTHP_CVAL);
    return (ctl & CNTHP_ENABLE) != 0 && (ctl & CNTHP_IMASK) == 0;
}

bool hyp_timer_pending() {
    u64 deadline;
    return hyp_timer_armed(deadline) && now() >= deadline;
}

void serve(const mv::Vm* vm) { serving = vm; }

void guest_ran(mv::Vcpu& v, const Trap& t) {
    mv::Frame& f = v.frame;
    if ((t.update & UPDATE_R0_R3) != 0) std::memcpy(f.r, t.r, 4 * sizeof(u32));
    if ((t.update & UPDATE_R4_R12) != 0) std::memcpy(f.r + 4, t.r + 4, 9 * sizeof(u32));
    if ((t.update & UPDATE_SP_LR_USR) != 0) {
        f.sp_usr = t.sp_usr;
        f.lr_usr = t.lr_usr;
    }
    if ((t.update & UPDATE_ELR_SPSR) != 0) {
        f.spsr = t.spsr;
        f.elr = t.elr;
        if (t.elr_in_ram) {
            const mv::MemRegion& ram = v.vm->config->regions[0];
            f.elr = (ram.gpa + t.elr % ram.size) & ((t.spsr & (1u << 5)) != 0 ? ~1u : ~3u);  // Thumb: halfwords
        }
    }
    if ((t.update & UPDATE_BANKED) != 0) {
        for (int m = 0; m < 5; ++m) {
            u32 i = BANKED_MODES[m] & 0x1f;
            cpu().sp[i] = t.banked_sp[m];
            cpu().lr[i] = t.banked_lr[m];
            cpu().spsr[i] = t.banked_spsr[m];
        }
        std::memcpy(cpu().fiq_r8_12, t.fiq_r8_12, sizeof t.fiq_r8_12);
    }
    if ((t.update & UPDATE_CP15) != 0) {
        // Every CP15 register a guest owns (kernel/context.hpp's list) gets a value of
        // this trap, so that one left behind by a switch shows; SCTLR, VBAR and TTBCR,
        // which change how exceptions are reflected, come from the record itself.
        u32 k = 0;
#define GUEST_WRITES(field, r) cpu().set(reg::r, scribble(t, k++));
#define GUEST_WRITES_64(field, r)                                       \
    {                                                                   \
        u64 hi = scribble(t, k++);                                      \
        cpu().set(reg::r, hi << 32 | scribble(t, k++));                 \
    }
        MV_GUEST_CP15(GUEST_WRITES)
        MV_GUEST_CP15_64(GUEST_WRITES_64)
#undef GUEST_WRITES
#undef GUEST_WRITES_64
        cpu().set(reg::SCTLR, t.sctlr);
        cpu().set(reg::VBAR, t.vbar);
        cpu().set(reg::TTBCR, t.ttbcr);
    }
    // The virtual timer: the guest sets ENABLE and IMASK and the compare value;
    // the hardware computes ISTATUS from the virtual count (physical - CNTVOFF).
    u64 vcount = now() - cpu().get(reg::CNTVOFF);
    u32 ctl = static_cast<u32>(cpu().get(reg::CNTV_CTL));
    u64 cval = cpu().get(reg::CNTV_CVAL);
    if ((t.update & UPDATE_TIMER) != 0) {
        ctl = t.cntv_ctl & (CNTV_ENABLE | CNTV_IMASK);
        u64 small = t.cntv_cval & 0xfffff;
        switch (t.cval_kind) {
        case Cval::soon: cval = vcount + small; break;
        case Cval::past: cval = vcount > small ? vcount - small : 0; break;
        case Cval::raw: cval = t.cntv_cval; break;
        case Cval::low: cval = t.cntv_cval & 0xffffffffu; break;
        }
    }
    ctl &= ~CNTV_ISTATUS;
    if ((ctl & CNTV_ENABLE) != 0 && vcount >= cval) ctl |= CNTV_ISTATUS;
    cpu().set(reg::CNTV_CTL, ctl);
    cpu().set(reg::CNTV_CVAL, cval);

    // The trap's syndrome and fault addresses.
    cpu().set(reg::HSR, t.hsr);
    cpu().set(reg::HDFAR, t.hdfar);
    cpu().set(reg::HPFAR, t.hpfar);
    u32 hifar = t.hifar;
    if (t.hifar_near_vectors) {
        u32 sctlr = static_cast<u32>(cpu().get(reg::SCTLR));
        hifar += (sctlr & (1u << 13)) != 0 ? 0xffff0000u : static_cast<u32>(cpu().get(reg::VBAR));
    }
    cpu().set(reg::HIFAR, hifar);
}

}  // namespace mvfuzz

// --- the model linked in place of the fake arch's (ld --wrap) -------------------------

using mvfuzz::u32;
using mvfuzz::u8;

extern "C" {

u8* __real__ZN2mv4arch12phys_to_virtEj(u32 pa);

// mv::gic::ack(): the physical GIC has the HYP timer's interrupt while it is due.
u32 __wrap__ZN2mv3gic3ackEv() {
    return mvfuzz::hyp_timer_pending() ? mv::gic::PPI_HYP_TIMER : mv::gic::SPURIOUS;
}

// mv::arch::wait_for_interrupt(): time passes until the HYP timer fires.
void __wrap__ZN2mv4arch18wait_for_interruptEv() {
    mvfuzz::u64 deadline;
    if (!mvfuzz::hyp_timer_armed(deadline))
        mvfuzz::finding("WFI in HYP mode with the HYP timer off or masked: the CPU would sleep for ever");
    if (deadline > mvfuzz::now() && deadline - mvfuzz::now() > mvfuzz::FAR_FUTURE) throw mvfuzz::Asleep{};
    mvfuzz::advance_to(deadline);
}

// mv::arch::phys_to_virt(): only RAM of the VM being served, and only during its trap.
u8* __wrap__ZN2mv4arch12phys_to_virtEj(u32 pa) {
    if (mvfuzz::serving == nullptr)
        mvfuzz::finding("the microvisor touched physical %#x while serving no trap", pa);
    if (mvfuzz::ram_region_of_pa(*mvfuzz::serving, pa) == nullptr)
        mvfuzz::finding("the microvisor touched physical %#x, which is no RAM of VM %u (the VM it serves)", pa,
                        mvfuzz::serving->id());
    mvfuzz::mark_dirty(pa);
    mvfuzz::mark_dirty(pa + mvfuzz::PAGE);  // a copy that overran its page would spill here
    return __real__ZN2mv4arch12phys_to_virtEj(pa);
}

}  // extern "C"
