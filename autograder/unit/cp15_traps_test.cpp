// SPDX-License-Identifier: MIT
// Trapped CP15 accesses (not a lab file): set/way maintenance and ACTLR.
#include "host_fixture.hpp"
#include "kernel/registry.hpp"

using namespace mv;

namespace {

// An MCR/MRC trap's HSR (class 0x03): Opc2 19:17, Opc1 16:14, CRn 13:10, Rt 8:5, CRm 4:1, read 0.
u32 cp15(u32 opc1, u32 crn, u32 crm, u32 opc2, u32 rt, bool read) {
    return (0x03u << 26) | (1u << 25) | (1u << 24) | (0xeu << 20) | (opc2 << 17) | (opc1 << 14) | (crn << 10) |
           (rt << 5) | (crm << 1) | (read ? 1u : 0u);
}

class Cp15Traps : public mvtest::HostTest {
protected:
    void trap(u32 raw) { registry().trap[0x03](vcpu(), mvtest::decoded(0x03, raw & 0x01ffffff)); }
};

TEST_F(Cp15Traps, SetWayMaintenanceIsCleanAndInvalidate) {
    ASSERT_NE(registry().trap[0x03], nullptr) << "the microvisor registers class 0x03";
    for (u32 crm : {6u, 10u, 14u}) {  // DCISW, DCCSW, DCCISW
        guest_at(0x48000100);
        vcpu().r(3) = 0x40000042;
        cpu().writes.clear();
        trap(cp15(0, 7, crm, 2, 3, false));
        ASSERT_TRUE(cpu().was_written("DCCISW")) << "c7, c" << crm << ", 2: done by the microvisor as DCCISW";
        EXPECT_EQ(cpu().value_written("DCCISW"), 0x40000042u) << "with the guest's set/way/level";
        EXPECT_FALSE(cpu().was_written("DCISW")) << "never a bare invalidate: other VMs' dirty lines would be lost";
        EXPECT_EQ(vcpu().frame.elr, 0x48000104u) << "and the guest goes on after the instruction";
    }
}

TEST_F(Cp15Traps, ActlrReadsTheRealValueAndIgnoresWrites) {
    cpu().set(reg::ACTLR, 0x40);
    guest_at(0x48000200);
    trap(cp15(0, 1, 0, 1, 5, true));
    EXPECT_EQ(vcpu().r(5), 0x40u) << "MRC ACTLR reads the CPU's value";
    EXPECT_EQ(vcpu().frame.elr, 0x48000204u);
    vcpu().r(5) = 0;
    trap(cp15(0, 1, 0, 1, 5, false));
    EXPECT_FALSE(cpu().was_written("ACTLR")) << "a guest's write to ACTLR is ignored";
    EXPECT_EQ(cpu().get(reg::ACTLR), 0x40u);
    EXPECT_EQ(vcpu().frame.elr, 0x48000208u);
}

}  // namespace
