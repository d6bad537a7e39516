// SPDX-License-Identifier: MIT
// Every system-register encoding against the ARM Architecture Reference Manual
// (DDI 0406C.d, B3.17 and B4.1; 64-bit registers in B4.1 "Accessing 64-bit registers").
#include <gtest/gtest.h>

#include "arch.hpp"

using namespace mv;

namespace {

struct Expected {
    const Sysreg& reg;
    unsigned opc1, crn, crm, opc2;  // for wide registers: opc1 and CRm only
    bool wide;
};

// Transcribed from the manual's register summaries, independent of sysregs.hpp.
const Expected manual[] = {
    {reg::MIDR, 0, 0, 0, 0, false},       {reg::MPIDR, 0, 0, 0, 5, false},
    {reg::SCTLR, 0, 1, 0, 0, false},      {reg::CPACR, 0, 1, 0, 2, false},
    {reg::TTBR0, 0, 0, 2, 0, true},       {reg::TTBR1, 1, 0, 2, 0, true},
    {reg::TTBCR, 0, 2, 0, 2, false},      {reg::DACR, 0, 3, 0, 0, false},
    {reg::DFSR, 0, 5, 0, 0, false},       {reg::IFSR, 0, 5, 0, 1, false},
    {reg::DFAR, 0, 6, 0, 0, false},       {reg::IFAR, 0, 6, 0, 2, false},
    {reg::PRRR, 0, 10, 2, 0, false},      {reg::NMRR, 0, 10, 2, 1, false},
    {reg::VBAR, 0, 12, 0, 0, false},      {reg::CONTEXTIDR, 0, 13, 0, 1, false},
    {reg::TPIDRURW, 0, 13, 0, 2, false},  {reg::TPIDRURO, 0, 13, 0, 3, false},
    {reg::TPIDRPRW, 0, 13, 0, 4, false},  {reg::VPIDR, 4, 0, 0, 0, false},
    {reg::VMPIDR, 4, 0, 0, 5, false},     {reg::HSCTLR, 4, 1, 0, 0, false},
    {reg::HCR, 4, 1, 1, 0, false},        {reg::HDCR, 4, 1, 1, 1, false},
    {reg::HCPTR, 4, 1, 1, 2, false},      {reg::HSTR, 4, 1, 1, 3, false},
    {reg::HTCR, 4, 2, 0, 2, false},       {reg::VTCR, 4, 2, 1, 2, false},
    {reg::HTTBR, 4, 0, 2, 0, true},       {reg::VTTBR, 6, 0, 2, 0, true},
    {reg::HSR, 4, 5, 2, 0, false},        {reg::HDFAR, 4, 6, 0, 0, false},
    {reg::HIFAR, 4, 6, 0, 2, false},      {reg::HPFAR, 4, 6, 0, 4, false},
    {reg::HMAIR0, 4, 10, 2, 0, false},    {reg::HMAIR1, 4, 10, 2, 1, false},
    {reg::HVBAR, 4, 12, 0, 0, false},     {reg::HTPIDR, 4, 13, 0, 2, false},
    {reg::CCSIDR, 1, 0, 0, 0, false},     {reg::CLIDR, 1, 0, 0, 1, false},
    {reg::ACTLR, 0, 1, 0, 1, false},      {reg::DCISW, 0, 7, 6, 2, false},
    {reg::DCCSW, 0, 7, 10, 2, false},     {reg::DCCISW, 0, 7, 14, 2, false},
    {reg::PMCR, 0, 9, 12, 0, false},      {reg::PMCNTENSET, 0, 9, 12, 1, false},
    {reg::PMCCNTR, 0, 9, 13, 0, false},   {reg::PMUSERENR, 0, 9, 14, 0, false},
    {reg::TLBIALLH, 4, 8, 7, 0, false},   {reg::TLBIALLNSNH, 4, 8, 7, 4, false},
    {reg::ICIALLU, 0, 7, 5, 0, false},    {reg::BPIALL, 0, 7, 5, 6, false},
    {reg::TLBIALLIS, 0, 8, 3, 0, false},
    {reg::ADFSR, 0, 5, 1, 0, false},      {reg::AIFSR, 0, 5, 1, 1, false},
    {reg::PAR, 0, 0, 7, 0, true},         {reg::CSSELR, 2, 0, 0, 0, false},
    {reg::CNTFRQ, 0, 14, 0, 0, false},    {reg::CNTKCTL, 0, 14, 1, 0, false},
    {reg::CNTV_CTL, 0, 14, 3, 1, false},  {reg::CNTV_CVAL, 3, 0, 14, 0, true},
    {reg::CNTVOFF, 4, 0, 14, 0, true},    {reg::CNTPCT, 0, 0, 14, 0, true},
    {reg::CNTVCT, 1, 0, 14, 0, true},     {reg::CNTHCTL, 4, 14, 1, 0, false},
    {reg::CNTHP_CTL, 4, 14, 2, 1, false}, {reg::CNTHP_CVAL, 6, 0, 14, 0, true},
};

TEST(Sysregs, EncodingsMatchTheArmArm) {
    for (const Expected& e : manual) {
        SCOPED_TRACE(e.reg.name);
        EXPECT_EQ(e.reg.cp, 15);
        EXPECT_EQ(e.reg.wide, e.wide);
        EXPECT_EQ(e.reg.opc1, e.opc1);
        EXPECT_EQ(e.reg.crm, e.crm);
        if (!e.wide) {
            EXPECT_EQ(e.reg.crn, e.crn);
            EXPECT_EQ(e.reg.opc2, e.opc2);
        }
    }
}

TEST(Sysregs, NoTwoNamesShareAnEncoding) {
    for (const Expected& a : manual)
        for (const Expected& b : manual)
            if (&a != &b) {
                EXPECT_FALSE(a.reg == b.reg) << a.reg.name << " and " << b.reg.name;
            }
}

}  // namespace
