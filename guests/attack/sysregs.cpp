// SPDX-License-Identifier: MIT
// Attacks on system registers from PL1 (ARM ARM DDI 0406C B4, encodings as in Xen's cpregs.h):
// set/way cache maintenance, auxiliary and IMPLEMENTATION DEFINED registers, the PMU, the
// timers, HYP's own registers and ThumbEE. None of them may reach state that another VM or
// the microvisor uses: each is trapped to HYP or undefined at PL1.
#include "attack.hpp"

namespace attack {
namespace {

// One access each: `enc` is the coprocessor operands with %0 for the register.
#define MRC(enc) [] { u32 v = 0; asm volatile("mrc " enc : "+r"(v) : : "memory"); return v; }
#define MCR(enc, val) [] { asm volatile("mcr " enc : : "r"(static_cast<u32>(val)) : "memory"); return 0u; }
#define MRRC(enc)                                                           \
    [] {                                                                    \
        u32 lo = 0, hi = 0;                                                 \
        asm volatile("mrrc " enc : "+r"(lo), "+r"(hi) : : "memory");        \
        return lo ^ hi;                                                     \
    }
#define MCRR(enc, lo, hi)                                                                                \
    [] {                                                                                                 \
        asm volatile("mcrr " enc : : "r"(static_cast<u32>(lo)), "r"(static_cast<u32>(hi)) : "memory");  \
        return 0u;                                                                                       \
    }

}  // namespace

// Set/way operations act on the whole cache, the microvisor's and other VMs' lines
// included: HCR.TSW traps them. HCR.TAC traps ACTLR, HCR.TIDCP the IMPLEMENTATION DEFINED
// CP15 space, HSTR.T15 the CP15 c15 registers.
void cache_maintenance() {
    expect_kept_from_hardware("dcisw_0", probe(MCR("p15, 0, %0, c7, c6, 2", 0)));
    expect_kept_from_hardware("dcisw_level2_way3", probe(MCR("p15, 0, %0, c7, c6, 2", 0xc0000002u)));
    expect_kept_from_hardware("dcisw_all_ones", probe(MCR("p15, 0, %0, c7, c6, 2", 0xffffffffu)));
    expect_kept_from_hardware("dccsw_0", probe(MCR("p15, 0, %0, c7, c10, 2", 0)));
    expect_kept_from_hardware("dccisw_0", probe(MCR("p15, 0, %0, c7, c14, 2", 0)));
    expect_kept_from_hardware("dccisw_all_ones", probe(MCR("p15, 0, %0, c7, c14, 2", 0xffffffffu)));
    const u32 actlr = probe(MRC("p15, 0, %0, c1, c0, 1")).value;
    expect_kept_from_hardware("actlr_write", probe([actlr] {
        asm volatile("mcr p15, 0, %0, c1, c0, 1" : : "r"(actlr ^ 0x40u) : "memory");  // ACTLR.SMP
        return 0u;
    }));
    expect_kept_from_hardware("l2ctlr_read", probe(MRC("p15, 1, %0, c9, c0, 2")));
    expect_kept_from_hardware("l2ectlr_write", probe(MCR("p15, 1, %0, c9, c0, 3", 0)));
    expect_kept_from_hardware("cbar_read_c15", probe(MRC("p15, 4, %0, c15, c0, 0")));
}

// The PMU is one per CPU: PMCR.C/P reset every VM's counters (and `make bench`'s), PMSELR and
// PMUSERENR are state another VM finds. HDCR.TPM/TPMCR trap them; the victim checks its own
// values survived (victim.cpp).
void pmu() {
    expect_kept_from_hardware("pmcr_read", probe(MRC("p15, 0, %0, c9, c12, 0")));
    expect_kept_from_hardware("pmcr_write_reset_counters", probe(MCR("p15, 0, %0, c9, c12, 0", 0x7)));
    expect_kept_from_hardware("pmcntenset_write", probe(MCR("p15, 0, %0, c9, c12, 1", 0x8000000fu)));
    expect_kept_from_hardware("pmccntr_read", probe(MRC("p15, 0, %0, c9, c13, 0")));
    expect_kept_from_hardware("pmccntr_write", probe(MCR("p15, 0, %0, c9, c13, 0", 0)));
    expect_kept_from_hardware("pmselr_write", probe(MCR("p15, 0, %0, c9, c12, 5", 0x1f)));
    expect_kept_from_hardware("pmxevtyper_write", probe(MCR("p15, 0, %0, c9, c13, 1", 0x08000008u)));
    expect_kept_from_hardware("pmuserenr_write", probe(MCR("p15, 0, %0, c9, c14, 0", 1)));
    expect_kept_from_hardware("pmovsr_write", probe(MCR("p15, 0, %0, c9, c12, 3", 0xffffffffu)));
    // Registers every VM has its own copy of: hostile values the victim must not see.
    expect_runs("tpidrurw_write", probe(MCR("p15, 0, %0, c13, c0, 2", 0xa77ac4edu)));
    expect_runs("tpidruro_write", probe(MCR("p15, 0, %0, c13, c0, 3", 0xa77ac4edu)));
    expect_runs("tpidrprw_write", probe(MCR("p15, 0, %0, c13, c0, 4", 0xa77ac4edu)));
    expect_runs("contextidr_write", probe(MCR("p15, 0, %0, c13, c0, 1", 0xa77ac4edu)));
}

// The physical timer is the microvisor's (CNTHCTL.PL1PCEN = 0: trapped); CNTFRQ is
// writable only at the highest privilege; CNTHCTL, CNTVOFF and CNTHP_* are PL2 registers.
void timers() {
    expect_kept_from_hardware("cntp_ctl_read", probe(MRC("p15, 0, %0, c14, c2, 1")));
    expect_kept_from_hardware("cntp_ctl_write", probe(MCR("p15, 0, %0, c14, c2, 1", 1)));
    expect_kept_from_hardware("cntp_tval_write", probe(MCR("p15, 0, %0, c14, c2, 0", 1)));
    expect_kept_from_hardware("cntp_cval_read", probe(MRRC("p15, 2, %0, %1, c14")));
    expect_kept_from_hardware("cntp_cval_write", probe(MCRR("p15, 2, %0, %1, c14", 0, 0)));
    expect_kept_from_hardware("cntfrq_write", probe(MCR("p15, 0, %0, c14, c0, 0", 1000)));
    expect_undef("cnthctl_read", probe(MRC("p15, 4, %0, c14, c1, 0")));
    expect_undef("cnthctl_write", probe(MCR("p15, 4, %0, c14, c1, 0", 3)));
    expect_undef("cntvoff_read", probe(MRRC("p15, 4, %0, %1, c14")));
    expect_undef("cntvoff_write", probe(MCRR("p15, 4, %0, %1, c14", 0, 0)));
    expect_undef("cnthp_ctl_write", probe(MCR("p15, 4, %0, c14, c2, 1", 0)));
    expect_undef("cnthp_tval_write", probe(MCR("p15, 4, %0, c14, c2, 0", 0)));
    expect_undef("cnthp_cval_write", probe(MCRR("p15, 6, %0, %1, c14", 0, 0)));
    // What PL1 may do: read the physical count (CNTHCTL.PL1PCTEN), and its own virtual timer.
    expect_runs("cntpct_read", probe(MRRC("p15, 0, %0, %1, c14")));
    expect_runs("cntv_cval_write_0", probe(MCRR("p15, 3, %0, %1, c14", 0, 0)));
    expect_runs("cntv_ctl_enable_unmasked", probe(MCR("p15, 0, %0, c14, c3, 1", 1)));
    expect_runs("cntv_ctl_off", probe(MCR("p15, 0, %0, c14, c3, 1", 0)));
    expect_runs("cntkctl_write", probe(MCR("p15, 0, %0, c14, c1, 0", 0x3)));
}

// HYP's own registers are UNDEFINED at PL1 (B4.1: "accessible only at PL2").
void hyp_registers() {
    expect_undef("hcr_read", probe(MRC("p15, 4, %0, c1, c1, 0")));
    expect_undef("hcr_write", probe(MCR("p15, 4, %0, c1, c1, 0", 0)));
    expect_undef("hsr_read", probe(MRC("p15, 4, %0, c5, c2, 0")));
    expect_undef("hvbar_write", probe(MCR("p15, 4, %0, c12, c0, 0", NOWHERE)));
    expect_undef("hsctlr_write", probe(MCR("p15, 4, %0, c1, c0, 0", 0)));
    expect_undef("hdcr_write", probe(MCR("p15, 4, %0, c1, c1, 1", 0)));
    expect_undef("hstr_write", probe(MCR("p15, 4, %0, c1, c1, 3", 0)));
    expect_undef("vtcr_write", probe(MCR("p15, 4, %0, c2, c1, 2", 0)));
    expect_undef("vttbr_read", probe(MRRC("p15, 6, %0, %1, c2")));
    expect_undef("vttbr_write", probe(MCRR("p15, 6, %0, %1, c2", VICTIM_RAM_PA, 0x10000)));
    expect_undef("httbr_write", probe(MCRR("p15, 4, %0, %1, c2", 0, 0)));
    expect_undef("htpidr_write", probe(MCR("p15, 4, %0, c13, c0, 2", 0)));
    expect_undef("vmpidr_write", probe(MCR("p15, 4, %0, c0, c0, 5", 0)));
    expect_undef("tlbiallnsnh", probe(MCR("p15, 4, %0, c8, c7, 4", 0)));
}

// ThumbEE's registers are CP14 (B1.14.3: HSTR.TTEE traps them); TEEHBR is state another VM finds.
void thumbee() {
    expect_kept_from_hardware("teecr_read", probe(MRC("p14, 6, %0, c0, c0, 0")));
    expect_kept_from_hardware("teecr_write", probe(MCR("p14, 6, %0, c0, c0, 0", 1)));
    expect_kept_from_hardware("teehbr_read", probe(MRC("p14, 6, %0, c1, c0, 0")));
    expect_kept_from_hardware("teehbr_write", probe(MCR("p14, 6, %0, c1, c0, 0", 0xdead0000u)));
}

// The QEMU 7.2 trigger (issue 7): a virtual compare value near 2^64 under a non-zero CNTVOFF.
void virtual_timer_near_2_64() {
    expect_runs("cntv_cval_near_2_64", probe(MCRR("p15, 3, %0, %1, c14", 0xfffffff0u, 0xffffffffu)));
    expect_runs("cntv_ctl_enable_masked", probe(MCR("p15, 0, %0, c14, c3, 1", 3)));
}

}  // namespace attack
