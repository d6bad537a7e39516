// SPDX-License-Identifier: MIT
// Lab 2 test guest, scenario 5: every register a vCPU owns survives thousands
// of switches. Each VM fills its banked registers, CP15 state, virtual timer
// and VFP registers with patterns of its own, then yields and spins (and is
// preempted) over and over, checking all of them each time.
#include "guest.hpp"

using namespace guest;

extern "C" char guest_vectors[];  // runtime/crt0.S

namespace {

#define MSR_BANKED(reg, v) asm volatile("msr " #reg ", %0" ::"r"(v))
#define MRS_BANKED(reg, v) asm volatile("mrs %0, " #reg : "=r"(v))
#define MCR(op1, crn, crm, op2, v) asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"(v))
#define MRC(op1, crn, crm, op2, v) asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v))

constexpr u32 N_BANKED = 17, N_CP15 = 19;

struct State {
    u32 banked[N_BANKED];
    u32 cp15[N_CP15];
    u64 cntv_cval;
    u32 cntv_ctl, spsr_svc, fpscr;
    u64 d[32];
};

const char* const banked_names[N_BANKED] = {"SP_abt", "LR_abt", "SPSR_abt", "SP_und", "LR_und", "SPSR_und",
                                             "SP_irq", "LR_irq", "SPSR_irq", "SP_fiq", "LR_fiq", "SPSR_fiq",
                                             "r8_fiq", "r9_fiq", "r10_fiq", "r11_fiq", "r12_fiq"};
const char* const cp15_names[N_CP15] = {"TPIDRURW", "TPIDRURO", "TPIDRPRW", "CONTEXTIDR", "DACR",
                                        "TTBR0", "TTBR1", "TTBCR", "PRRR", "NMRR",
                                        "DFAR", "IFAR", "DFSR", "IFSR", "CPACR",
                                        "VBAR", "CNTKCTL", "PAR", "CSSELR"};

State expected(u32 seed) {
    State s{};
    for (u32 i = 0; i < N_BANKED; ++i) s.banked[i] = seed * 0x01010101u + i * 0x1000u;
    // SPSRs hold valid CPSR values: a PL1 mode, masks set, flags from the seed
    s.banked[2] = 0x000001d7u | (seed << 28);
    s.banked[5] = 0x000001dbu | (seed << 28);
    s.banked[8] = 0x000001d2u | (seed << 28);
    s.banked[11] = 0x000001d1u | (seed << 28);
    for (u32 i = 0; i < N_CP15; ++i) s.cp15[i] = seed * 0x00100100u + i * 0x40u;
    s.cp15[3] = seed;                            // CONTEXTIDR: ASID = seed
    s.cp15[5] &= ~0x7fu;                         // TTBR0: table base, aligned
    s.cp15[6] &= ~0x3fffu;                       // TTBR1: aligned
    s.cp15[7] = seed & 7;                        // TTBCR.N (EAE = 0; the MMU stays off)
    s.cp15[12] = 0x008 | ((seed & 1) << 11);     // DFSR: a plausible status
    s.cp15[13] = 0x008;                          // IFSR
    s.cp15[14] = 0xfu << 20;                     // CPACR: CP10/CP11 on (VFP is in use)
    s.cp15[15] = reinterpret_cast<u32>(guest_vectors);  // VBAR: the runtime's vectors
    s.cp15[16] = seed & 3;                       // CNTKCTL: PL0 counter access bits
    s.cp15[17] = (seed << 12) & 0xfffff000u;     // PAR: a physical address, F = 0
    s.cp15[18] = (seed & 1) << 1;                // CSSELR: L1 or L2 cache, data
    s.cntv_cval = 0x1000000000ull * seed + 0x12345;
    s.cntv_ctl = 2;                              // disabled, masked: only its value must survive
    s.spsr_svc = 0x000001d3u | (seed << 28);
    s.fpscr = (seed & 3) << 22;                  // rounding mode
    for (u32 i = 0; i < 32; ++i) s.d[i] = (static_cast<u64>(seed) << 40) ^ (0x0101010101010101ull * i);
    return s;
}

void load(const State& s) {
    MSR_BANKED(sp_abt, s.banked[0]); MSR_BANKED(lr_abt, s.banked[1]); MSR_BANKED(spsr_abt, s.banked[2]);
    MSR_BANKED(sp_und, s.banked[3]); MSR_BANKED(lr_und, s.banked[4]); MSR_BANKED(spsr_und, s.banked[5]);
    MSR_BANKED(sp_irq, s.banked[6]); MSR_BANKED(lr_irq, s.banked[7]); MSR_BANKED(spsr_irq, s.banked[8]);
    MSR_BANKED(sp_fiq, s.banked[9]); MSR_BANKED(lr_fiq, s.banked[10]); MSR_BANKED(spsr_fiq, s.banked[11]);
    MSR_BANKED(r8_fiq, s.banked[12]); MSR_BANKED(r9_fiq, s.banked[13]); MSR_BANKED(r10_fiq, s.banked[14]);
    MSR_BANKED(r11_fiq, s.banked[15]); MSR_BANKED(r12_fiq, s.banked[16]);
    MCR(0, c13, c0, 2, s.cp15[0]); MCR(0, c13, c0, 3, s.cp15[1]); MCR(0, c13, c0, 4, s.cp15[2]);
    MCR(0, c13, c0, 1, s.cp15[3]); MCR(0, c3, c0, 0, s.cp15[4]); MCR(0, c2, c0, 0, s.cp15[5]);
    MCR(0, c2, c0, 1, s.cp15[6]); MCR(0, c2, c0, 2, s.cp15[7]); MCR(0, c10, c2, 0, s.cp15[8]);
    MCR(0, c10, c2, 1, s.cp15[9]); MCR(0, c6, c0, 0, s.cp15[10]); MCR(0, c6, c0, 2, s.cp15[11]);
    MCR(0, c5, c0, 0, s.cp15[12]); MCR(0, c5, c0, 1, s.cp15[13]);
    MCR(0, c1, c0, 2, s.cp15[14]); MCR(0, c12, c0, 0, s.cp15[15]); MCR(0, c14, c1, 0, s.cp15[16]);
    MCR(0, c7, c4, 0, s.cp15[17]); MCR(2, c0, c0, 0, s.cp15[18]);
    asm volatile("mcrr p15, 3, %0, %1, c14" ::"r"(static_cast<u32>(s.cntv_cval)),
                 "r"(static_cast<u32>(s.cntv_cval >> 32)));
    MCR(0, c14, c3, 1, s.cntv_ctl);
    asm volatile("msr spsr_fsxc, %0" ::"r"(s.spsr_svc));
    asm volatile(".fpu neon-vfpv4\n vmsr fpscr, %0" ::"r"(s.fpscr));
    const u64* d = s.d;
    asm volatile(".fpu neon-vfpv4\n vldmia %0!, {d0-d15}\n vldmia %0, {d16-d31}" : "+r"(d)::"memory");
    asm volatile("isb");
}

State read() {
    State s{};
    MRS_BANKED(sp_abt, s.banked[0]); MRS_BANKED(lr_abt, s.banked[1]); MRS_BANKED(spsr_abt, s.banked[2]);
    MRS_BANKED(sp_und, s.banked[3]); MRS_BANKED(lr_und, s.banked[4]); MRS_BANKED(spsr_und, s.banked[5]);
    MRS_BANKED(sp_irq, s.banked[6]); MRS_BANKED(lr_irq, s.banked[7]); MRS_BANKED(spsr_irq, s.banked[8]);
    MRS_BANKED(sp_fiq, s.banked[9]); MRS_BANKED(lr_fiq, s.banked[10]); MRS_BANKED(spsr_fiq, s.banked[11]);
    MRS_BANKED(r8_fiq, s.banked[12]); MRS_BANKED(r9_fiq, s.banked[13]); MRS_BANKED(r10_fiq, s.banked[14]);
    MRS_BANKED(r11_fiq, s.banked[15]); MRS_BANKED(r12_fiq, s.banked[16]);
    MRC(0, c13, c0, 2, s.cp15[0]); MRC(0, c13, c0, 3, s.cp15[1]); MRC(0, c13, c0, 4, s.cp15[2]);
    MRC(0, c13, c0, 1, s.cp15[3]); MRC(0, c3, c0, 0, s.cp15[4]); MRC(0, c2, c0, 0, s.cp15[5]);
    MRC(0, c2, c0, 1, s.cp15[6]); MRC(0, c2, c0, 2, s.cp15[7]); MRC(0, c10, c2, 0, s.cp15[8]);
    MRC(0, c10, c2, 1, s.cp15[9]); MRC(0, c6, c0, 0, s.cp15[10]); MRC(0, c6, c0, 2, s.cp15[11]);
    MRC(0, c5, c0, 0, s.cp15[12]); MRC(0, c5, c0, 1, s.cp15[13]);
    MRC(0, c1, c0, 2, s.cp15[14]); MRC(0, c12, c0, 0, s.cp15[15]); MRC(0, c14, c1, 0, s.cp15[16]);
    MRC(0, c7, c4, 0, s.cp15[17]); MRC(2, c0, c0, 0, s.cp15[18]);
    u32 lo, hi;
    asm volatile("mrrc p15, 3, %0, %1, c14" : "=r"(lo), "=r"(hi));
    s.cntv_cval = (static_cast<u64>(hi) << 32) | lo;
    MRC(0, c14, c3, 1, s.cntv_ctl);
    s.cntv_ctl &= 3;  // ISTATUS depends on the time
    asm volatile("mrs %0, spsr" : "=r"(s.spsr_svc));
    asm volatile(".fpu neon-vfpv4\n vmrs %0, fpscr" : "=r"(s.fpscr));
    s.fpscr &= 3u << 22;
    u64* d = s.d;
    asm volatile(".fpu neon-vfpv4\n vstmia %0!, {d0-d15}\n vstmia %0, {d16-d31}" : "+r"(d)::"memory");
    return s;
}

// The first register that differs, or nullptr.
const char* differs(const State& want, const State& got, u32& w, u32& g) {
    for (u32 i = 0; i < N_BANKED; ++i)
        if (want.banked[i] != got.banked[i]) return w = want.banked[i], g = got.banked[i], banked_names[i];
    for (u32 i = 0; i < N_CP15; ++i)
        if (want.cp15[i] != got.cp15[i]) return w = want.cp15[i], g = got.cp15[i], cp15_names[i];
    if (want.cntv_cval != got.cntv_cval)
        return w = static_cast<u32>(want.cntv_cval), g = static_cast<u32>(got.cntv_cval), "CNTV_CVAL";
    if (want.cntv_ctl != got.cntv_ctl) return w = want.cntv_ctl, g = got.cntv_ctl, "CNTV_CTL";
    if (want.spsr_svc != got.spsr_svc) return w = want.spsr_svc, g = got.spsr_svc, "SPSR_svc";
    if (want.fpscr != got.fpscr) return w = want.fpscr, g = got.fpscr, "FPSCR";
    for (u32 i = 0; i < 32; ++i)
        if (want.d[i] != got.d[i])
            return w = static_cast<u32>(want.d[i]), g = static_cast<u32>(got.d[i]), "d0-d31";
    return nullptr;
}

}  // namespace

void regs_survive() {
    u32 id = hvc(MV_CALL_VM_INFO).r1;
    // VFP on: CPACR full access to CP10/CP11, then FPEXC.EN (the first VFP
    // access traps to the microvisor, which hands the unit over lazily).
    asm volatile("mcr p15, 0, %0, c1, c0, 2\n isb" ::"r"(0xfu << 20));
    asm volatile(".fpu neon-vfpv4\n vmsr fpexc, %0\n isb" ::"r"(1u << 30));
    const State saved = read();  // the runtime's own stacks, restored at the end
    const State want = expected(id + 1);
    load(want);
    u32 rounds = 0;
    for (; rounds < 1500; ++rounds) {
        hvc(MV_CALL_VCPU_YIELD);
        for (u64 until = now_us() + 37; now_us() < until;) {
        }
        u32 w = 0, g = 0;
        if (const char* name = differs(want, read(), w, g)) {
            load(saved);
            mvt::fail("regs_survive", "VM %u, round %u: %s is %#x, expected %#x", id, rounds, name, g, w);
            return;
        }
    }
    load(saved);
    mvt::pass("regs_survive");
    mvt::value(id == 0 ? "rounds.vm0" : id == 1 ? "rounds.vm1" : "rounds.vm2", rounds);
}
