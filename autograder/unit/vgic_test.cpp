// SPDX-License-Identifier: MIT
// The virtual GIC distributor (not a lab file yet): the GICD registers of
// IHI 0048B 4.3 as a Linux 6.1 GICv2 driver uses them, their access widths,
// the banking of private interrupts, SGIs, and the inputs of devices.
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/registry.hpp"
#include "kernel/system.hpp"
#include "vdev/vgic.hpp"

using namespace mv;

namespace {

// GICD offsets (IHI 0048B table 4-1), spelt out here rather than taken from the code under test.
constexpr u32 CTLR = 0x000, TYPER = 0x004, IIDR = 0x008, IGROUPR = 0x080, ISENABLER = 0x100, ICENABLER = 0x180,
              ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300, ICACTIVER = 0x380, IPRIORITYR = 0x400,
              ITARGETSR = 0x800, ICFGR = 0xc00, SGIR = 0xf00, CPENDSGIR = 0xf10, SPENDSGIR = 0xf20;

std::string hex(u64 v) { return fake::hex(v); }

class VgicTest : public ::testing::Test {
protected:
    Vgic g;
    void SetUp() override { g.reset(2); }
    u32 rd(u32 cpu, u32 offset, u32 size = 4) { return g.read(cpu, offset, size); }
    void wr(u32 cpu, u32 offset, u32 value, u32 size = 4) { g.write(cpu, offset, size, value); }
    /// How a failure names an access: "Vgic::read(vCPU 0x1, offset 0x104, size 4)".
    static std::string at(const char* op, u32 cpu, u32 offset, u32 size = 4) {
        return std::string("Vgic::") + op + "(vCPU " + hex(cpu) + ", offset " + hex(offset) + ", size " +
               std::to_string(size) + ")";
    }
    /// Every word register as each vCPU reads it: a write that must change nothing leaves it equal.
    std::vector<u32> snapshot() {
        std::vector<u32> s;
        for (u32 cpu = 0; cpu < g.ncpus(); ++cpu)
            for (u32 off = 0; off < 0x1000; off += 4) s.push_back(rd(cpu, off));
        return s;
    }
    void expect_unchanged(const std::vector<u32>& before, const std::string& what) {
        std::vector<u32> after = snapshot();
        for (size_t i = 0; i < before.size(); ++i)
            if (before[i] != after[i]) {
                ADD_FAILURE() << what << " changed the register at " << hex(4 * (i % 0x400)) << " of vCPU "
                              << hex(i / 0x400) << ": " << hex(before[i]) << " -> " << hex(after[i])
                              << " (it must be ignored)";
                return;
            }
    }
};

TEST_F(VgicTest, TyperAndIidr) {
    for (u32 n : {1u, 2u, 8u}) {
        g.reset(n);
        u32 typer = rd(0, TYPER);
        EXPECT_EQ(hex(typer & 0x1f), hex(2)) << "GICD_TYPER " << hex(typer) << ": ITLinesNumber 2, 96 interrupts";
        EXPECT_EQ(hex((typer >> 5) & 7), hex(n - 1)) << "GICD_TYPER " << hex(typer) << ": CPUNumber is vCPUs - 1 with "
                                                     << n << " vCPUs";
        EXPECT_EQ(hex(typer & ~0xffu), hex(0)) << "GICD_TYPER " << hex(typer) << ": no Security Extensions, no LSPI";
    }
    EXPECT_EQ(hex(rd(0, IIDR) & 0xfff), hex(0x43b)) << "GICD_IIDR: implementer ARM (JEP106 0x43b)";
    wr(0, TYPER, 0xffffffff);
    wr(0, IIDR, 0);
    EXPECT_EQ(hex(rd(0, TYPER)), hex(0xe2)) << "TYPER is read-only (8 vCPUs, from the last reset)";
    EXPECT_NE(rd(0, IIDR), 0u) << "IIDR is read-only";
}

// drivers/irqchip/irq-gic.c (Linux 6.1): gic_dist_init() on the boot CPU, then gic_cpu_init() on each CPU.
TEST_F(VgicTest, LinuxInitSequenceReadsBack) {
    u32 typer = rd(0, TYPER);
    u32 irqs = 32 * ((typer & 0x1f) + 1);
    ASSERT_EQ(irqs, 96u) << "GICD_TYPER " << hex(typer) << " must give 96 interrupts";
    wr(0, CTLR, 0);
    u32 mask = 0;  // gic_get_cpumask(): the boot CPU's own bit, from ITARGETSR0-7
    for (u32 i = 0; i < 32; i += 4) mask |= rd(0, ITARGETSR + i);
    mask |= mask >> 16;
    mask |= mask >> 8;
    ASSERT_EQ(hex(mask & 0xff), hex(0x01)) << "ITARGETSR0-7 of vCPU 0 read its own bit, 0x01 in each byte";
    u32 cpumask = (mask & 0xff) * 0x01010101;
    for (u32 i = 32; i < irqs; i += 4) wr(0, ITARGETSR + i, cpumask);
    for (u32 i = 32; i < irqs; i += 16) wr(0, ICFGR + i / 4, 0);  // gic_dist_config: level-sensitive
    for (u32 i = 32; i < irqs; i += 4) wr(0, IPRIORITYR + i, 0xa0a0a0a0);
    for (u32 i = 32; i < irqs; i += 32) {
        wr(0, ICACTIVER + i / 8, 0xffffffff);
        wr(0, ICENABLER + i / 8, 0xffffffff);
        wr(0, ICPENDR + i / 8, 0xffffffff);
    }
    wr(0, CTLR, 1);
    for (u32 cpu = 0; cpu < 2; ++cpu) {  // gic_cpu_init -> gic_cpu_config, banked
        wr(cpu, ICACTIVER, 0xffffffff);
        wr(cpu, ICENABLER, 0xffff0000);
        wr(cpu, ISENABLER, 0x0000ffff);
        for (u32 i = 0; i < 32; i += 4) wr(cpu, IPRIORITYR + i, 0xa0a0a0a0);
    }
    wr(0, ICFGR + 12, 0xaaaaaaaa);  // irq_set_type: SPIs 48-63 edge-triggered
    wr(0, ISENABLER + 4, 1u << 1);  // enable SPI 33 (the UART)

    EXPECT_EQ(hex(rd(0, CTLR)), hex(1)) << at("read", 0, CTLR);
    for (u32 cpu = 0; cpu < 2; ++cpu) {
        EXPECT_EQ(hex(rd(cpu, ISENABLER)), hex(0x0000ffff)) << at("read", cpu, ISENABLER) << ": SGIs on, PPIs off";
        EXPECT_EQ(hex(rd(cpu, ICENABLER)), hex(0x0000ffff)) << at("read", cpu, ICENABLER) << ": reads as ISENABLER";
        for (u32 i = 0; i < irqs; i += 4)
            EXPECT_EQ(hex(rd(cpu, IPRIORITYR + i)), hex(0xa0a0a0a0)) << at("read", cpu, IPRIORITYR + i);
        for (u32 i = 32; i < irqs; i += 4)
            EXPECT_EQ(hex(rd(cpu, ITARGETSR + i)), hex(0x01010101)) << at("read", cpu, ITARGETSR + i);
        for (u32 i = 0; i < 32; i += 4)
            EXPECT_EQ(hex(rd(cpu, ITARGETSR + i)), hex(0x01010101u << cpu)) << at("read", cpu, ITARGETSR + i)
                                                                           << ": a private one names its vCPU";
        for (u32 n = 0; n < 3; ++n) {
            EXPECT_EQ(hex(rd(cpu, ISPENDR + 4 * n)), hex(0)) << at("read", cpu, ISPENDR + 4 * n);
            EXPECT_EQ(hex(rd(cpu, ISACTIVER + 4 * n)), hex(0)) << at("read", cpu, ISACTIVER + 4 * n);
            EXPECT_EQ(hex(rd(cpu, ICACTIVER + 4 * n)), hex(0)) << at("read", cpu, ICACTIVER + 4 * n);
        }
        EXPECT_EQ(hex(rd(cpu, ICFGR)), hex(0xaaaaaaaa)) << at("read", cpu, ICFGR) << ": SGIs are edge-triggered";
    }
    EXPECT_EQ(hex(rd(1, ISENABLER + 4)), hex(0x2)) << at("read", 1, ISENABLER + 4) << ": SPI 33, for every vCPU";
    EXPECT_EQ(hex(rd(0, ISENABLER + 8)), hex(0)) << at("read", 0, ISENABLER + 8);
    EXPECT_EQ(hex(rd(0, ICFGR + 8)), hex(0)) << at("read", 0, ICFGR + 8) << ": SPIs 32-47 level-sensitive";
    EXPECT_EQ(hex(rd(0, ICFGR + 12)), hex(0xaaaaaaaa)) << at("read", 0, ICFGR + 12) << ": SPIs 48-63 edge";
    EXPECT_EQ(hex(rd(1, ICFGR + 20)), hex(0)) << at("read", 1, ICFGR + 20);
}

// One word-only register: written whole it works; bytes, halfwords and unaligned words do nothing and read 0.
struct WordOnly {
    const char* name;
    u32 setup_offset, setup_value;  // a word write that sets a known state first
    u32 offset, value;              // the register under test, and a word to write it
    u32 read_offset, before, after; // where the state reads, before and after the word write
};

TEST_F(VgicTest, WordOnlyRegistersIgnoreOtherWidths) {
    const WordOnly regs[] = {
        {"CTLR", CTLR, 0, CTLR, 0x3, CTLR, 0, 0x3},
        {"IGROUPR1", IGROUPR + 4, 0, IGROUPR + 4, 0x12345678, IGROUPR + 4, 0, 0x12345678},
        {"ISENABLER1", ICENABLER + 4, ~0u, ISENABLER + 4, 0x00ff00ff, ISENABLER + 4, 0, 0x00ff00ff},
        {"ICENABLER1", ISENABLER + 4, ~0u, ICENABLER + 4, 0x0000ffff, ISENABLER + 4, ~0u, 0xffff0000},
        {"ISPENDR2", ICPENDR + 8, ~0u, ISPENDR + 8, 0x81, ISPENDR + 8, 0, 0x81},
        {"ICPENDR2", ISPENDR + 8, ~0u, ICPENDR + 8, 0xffff, ISPENDR + 8, ~0u, 0xffff0000},
        {"ISACTIVER1", ICACTIVER + 4, ~0u, ISACTIVER + 4, 0x80000001, ISACTIVER + 4, 0, 0x80000001},
        {"ICACTIVER0", ISACTIVER, ~0u, ICACTIVER, 0x0000ff00, ISACTIVER, ~0u, 0xffff00ff},
        {"ICFGR2", ICFGR + 8, 0, ICFGR + 8, 0xaaaa0000, ICFGR + 8, 0, 0xaaaa0000},
        {"ICFGR1 (PPIs)", ICFGR + 4, 0, ICFGR + 4, 0x0000a000, ICFGR + 4, 0, 0x0000a000},
    };
    for (const WordOnly& r : regs) {
        SCOPED_TRACE(r.name);
        wr(0, r.setup_offset, r.setup_value);
        ASSERT_EQ(hex(rd(0, r.read_offset)), hex(r.before)) << at("read", 0, r.read_offset) << " after the setup";
        for (u32 b = 0; b < 4; ++b) {
            wr(0, r.offset + b, 0xff, 1);
            EXPECT_EQ(hex(rd(0, r.read_offset + b, 1)), hex(0)) << at("read", 0, r.read_offset + b, 1)
                                                               << ": a byte read of a word-only register reads 0";
        }
        wr(0, r.offset, 0xffff, 2);
        wr(0, r.offset + 2, 0xffff, 2);
        wr(0, r.offset + 1, 0xffffffff, 4);  // unaligned
        EXPECT_EQ(hex(rd(0, r.read_offset, 2)), hex(0)) << at("read", 0, r.read_offset, 2);
        EXPECT_EQ(hex(rd(0, r.read_offset + 2, 4)), hex(0)) << at("read", 0, r.read_offset + 2, 4) << " (unaligned)";
        EXPECT_EQ(hex(rd(0, r.read_offset)), hex(r.before))
            << at("write", 0, r.offset, 1) << " and halfword or unaligned writes must be ignored";
        wr(0, r.offset, r.value);
        EXPECT_EQ(hex(rd(0, r.read_offset)), hex(r.after)) << at("write", 0, r.offset) << " of " << hex(r.value);
    }
    wr(0, SGIR, 0x02000001, 1);  // a byte of GICD_SGIR: nothing is sent
    wr(0, SGIR + 3, 0x02, 1);
    EXPECT_EQ(hex(rd(0, SPENDSGIR)), hex(0)) << "GICD_SGIR written by bytes sends no SGI";
}

TEST_F(VgicTest, PriorityAndTargetBytes) {
    wr(0, IPRIORITYR + 33, 0x80, 1);
    EXPECT_EQ(hex(rd(0, IPRIORITYR + 32)), hex(0x00008000)) << at("write", 0, IPRIORITYR + 33, 1) << ": SPI 33's byte";
    EXPECT_EQ(hex(rd(1, IPRIORITYR + 33, 1)), hex(0x80)) << at("read", 1, IPRIORITYR + 33, 1) << ": SPIs are shared";
    wr(0, IPRIORITYR + 4, 0x10203040);
    for (u32 b = 0; b < 4; ++b)
        EXPECT_EQ(hex(rd(0, IPRIORITYR + 4 + b, 1)), hex(0x40 - 0x10 * b)) << at("read", 0, IPRIORITYR + 4 + b, 1);
    wr(0, IPRIORITYR + 34, 0xffff, 2);
    EXPECT_EQ(hex(rd(0, IPRIORITYR + 32)), hex(0x00008000)) << "a halfword write of IPRIORITYR is ignored";
    EXPECT_EQ(hex(rd(0, IPRIORITYR + 32, 2)), hex(0)) << "a halfword read of IPRIORITYR reads 0";
    wr(0, IPRIORITYR + 95, 0xff, 1);
    EXPECT_EQ(hex(rd(0, IPRIORITYR + 95, 1)), hex(0xf8)) << "the low three bits of a priority are not kept: an LR holds five";

    wr(0, ITARGETSR + 40, 0x02, 1);
    EXPECT_EQ(hex(rd(0, ITARGETSR + 40)), hex(0x00000002)) << at("write", 0, ITARGETSR + 40, 1);
    wr(0, ITARGETSR + 41, 0xff, 1);
    EXPECT_EQ(hex(rd(0, ITARGETSR + 41, 1)), hex(0x03)) << "ITARGETSR keeps only bits of vCPUs that exist (2)";
    wr(0, ITARGETSR + 44, 0x01020302);
    EXPECT_EQ(hex(rd(1, ITARGETSR + 44)), hex(0x01020302)) << at("write", 0, ITARGETSR + 44);
    wr(0, ITARGETSR + 40, 0x0303, 2);
    EXPECT_EQ(hex(rd(0, ITARGETSR + 40)), hex(0x00000302)) << "a halfword write of ITARGETSR is ignored";
    wr(1, ITARGETSR + 27, 0x01, 1);
    wr(1, ITARGETSR + 24, 0x01010101);
    EXPECT_EQ(hex(rd(1, ITARGETSR + 24)), hex(0x02020202)) << "a private ITARGETSR is read-only: vCPU 1's own bit";
    EXPECT_EQ(hex(rd(1, ITARGETSR + 27, 1)), hex(0x02)) << at("read", 1, ITARGETSR + 27, 1);
}

TEST_F(VgicTest, SgiPendingBytes) {
    wr(1, SPENDSGIR + 5, 0x03, 1);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 5, 1)), hex(0x03)) << at("write", 1, SPENDSGIR + 5, 1) << ": SGI 5 from vCPUs 0, 1";
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 4)), hex(0x0300)) << at("read", 1, SPENDSGIR + 4) << ": SGI 5 is byte 1 of word 1";
    EXPECT_EQ(hex(rd(1, CPENDSGIR + 4)), hex(0x0300)) << at("read", 1, CPENDSGIR + 4) << ": reads as SPENDSGIR";
    EXPECT_EQ(hex(rd(0, SPENDSGIR + 4)), hex(0)) << "SGI pending state is banked: vCPU 0 has none";
    EXPECT_EQ(hex(rd(1, ISPENDR)), hex(1u << 5)) << "GICD_ISPENDR0 shows SGI 5 pending";
    wr(1, SPENDSGIR + 6, 0xfc, 1);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 6, 1)), hex(0)) << "sources beyond the VM's vCPUs (2) are not kept";
    wr(1, CPENDSGIR + 5, 0x0101, 2);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 5, 1)), hex(0x03)) << "a halfword write of CPENDSGIR is ignored";
    wr(1, CPENDSGIR + 5, 0x01, 1);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 5, 1)), hex(0x02)) << at("write", 1, CPENDSGIR + 5, 1) << ": source 0 cleared";
    wr(1, CPENDSGIR + 4, 0x0200);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 4)), hex(0)) << at("write", 1, CPENDSGIR + 4);
    EXPECT_EQ(hex(rd(1, ISPENDR)), hex(0)) << "no SGI pending any more";
    wr(1, SPENDSGIR + 12, 0x01020102);
    EXPECT_EQ(hex(rd(1, SPENDSGIR + 12)), hex(0x01020102)) << at("write", 1, SPENDSGIR + 12) << ": SGIs 12-15";
}

TEST_F(VgicTest, PrivateInterruptsAreBankedPerVcpu) {
    wr(0, ISENABLER, 1u << 27);
    wr(0, IPRIORITYR + 27, 0x20, 1);
    wr(0, ISPENDR, 1u << 27);
    wr(0, ISACTIVER, 1u << 26);
    wr(0, IGROUPR, 1u << 25);
    wr(0, ICFGR + 4, 0x80000000);  // PPI 31 edge
    EXPECT_EQ(hex(rd(0, ISENABLER)), hex(1u << 27));
    EXPECT_EQ(hex(rd(0, ISPENDR)), hex(1u << 27));
    EXPECT_EQ(hex(rd(0, ISACTIVER)), hex(1u << 26));
    EXPECT_EQ(hex(rd(0, IGROUPR)), hex(1u << 25));
    EXPECT_EQ(hex(rd(0, ICFGR + 4)), hex(0x80000000));
    EXPECT_EQ(hex(rd(0, IPRIORITYR + 24)), hex(0x20000000));
    for (u32 off : {ISENABLER, ISPENDR, ISACTIVER, IGROUPR, ICFGR + 4, IPRIORITYR + 24})
        EXPECT_EQ(hex(rd(1, off)), hex(0)) << at("read", 1, off) << ": vCPU 0's private interrupts are its own";
    wr(1, ISENABLER + 4, 1u << 1);
    EXPECT_EQ(hex(rd(0, ISENABLER + 4)), hex(1u << 1)) << "an SPI is shared: enabled by vCPU 1, enabled for vCPU 0";
}

TEST_F(VgicTest, SgirTargetListFilter) {
    g.reset(3);
    auto pending_from = [&](u32 cpu, u32 sgi) { return rd(cpu, SPENDSGIR + sgi, 1); };
    wr(1, SGIR, (0u << 24) | (0x05u << 16) | 3);  // filter 0: the list, vCPUs 0 and 2
    EXPECT_EQ(hex(pending_from(0, 3)), hex(0x02)) << "SGIR filter 0, list 0x5: vCPU 0 has SGI 3 from vCPU 1";
    EXPECT_EQ(hex(pending_from(2, 3)), hex(0x02)) << "SGIR filter 0, list 0x5: vCPU 2 has SGI 3 from vCPU 1";
    EXPECT_EQ(hex(pending_from(1, 3)), hex(0)) << "SGIR filter 0, list 0x5: not vCPU 1";
    wr(1, SGIR, (1u << 24) | (0x02u << 16) | 4);  // filter 1: every vCPU but the sender (the list is ignored)
    EXPECT_EQ(hex(pending_from(0, 4)), hex(0x02)) << "SGIR filter 1 reaches vCPU 0";
    EXPECT_EQ(hex(pending_from(2, 4)), hex(0x02)) << "SGIR filter 1 reaches vCPU 2";
    EXPECT_EQ(hex(pending_from(1, 4)), hex(0)) << "SGIR filter 1 leaves out the sender";
    wr(1, SGIR, (2u << 24) | (0x05u << 16) | 5);  // filter 2: the sender only
    EXPECT_EQ(hex(pending_from(1, 5)), hex(0x02)) << "SGIR filter 2 reaches the sender";
    EXPECT_EQ(hex(pending_from(0, 5) | pending_from(2, 5)), hex(0)) << "SGIR filter 2 reaches nobody else";
    std::vector<u32> before = snapshot();
    wr(1, SGIR, (3u << 24) | (0x07u << 16) | 6);  // reserved
    expect_unchanged(before, "GICD_SGIR with filter 3 (reserved)");
    wr(1, SGIR, (0x08u << 16) | 6);
    expect_unchanged(before, "GICD_SGIR to vCPU 3 of 3");
    wr(0, SGIR, (0x02u << 16) | 9);
    wr(2, SGIR, (0x02u << 16) | 9);
    EXPECT_EQ(hex(pending_from(1, 9)), hex(0x05)) << "SGI 9 pending on vCPU 1 from vCPUs 0 and 2";
    EXPECT_EQ(hex(rd(0, ISPENDR) & 0xffff), hex((1u << 3) | (1u << 4))) << "ISPENDR0 shows vCPU 0's pending SGIs";
    wr(0, ICPENDR, 0xffff);
    wr(0, ISPENDR, 0x0080);
    EXPECT_EQ(hex(rd(0, ISPENDR) & 0xffff), hex((1u << 3) | (1u << 4)))
        << "the SGI bits of ISPENDR0 and ICPENDR0 are read-only: CPENDSGIR and SPENDSGIR change them";
}

TEST_F(VgicTest, ReservedOffsetsReadZeroAndIgnoreWrites) {
    wr(0, CTLR, 1);
    wr(0, ISENABLER + 4, 0xffffffff);
    wr(1, IPRIORITYR, 0x80808080);
    std::vector<u32> before = snapshot();
    const u32 reserved[] = {0x00c, 0x07c, IGROUPR + 12, ISENABLER + 12, ICENABLER + 0x7c, ISPENDR + 12, ICPENDR + 12,
                            ISACTIVER + 12, ICACTIVER + 12, IPRIORITYR + 96, 0x7fc, ITARGETSR + 96, 0xbfc,
                            ICFGR + 24, 0xefc, SGIR + 4, SPENDSGIR + 16, 0xfe8, 0xffc};
    for (u32 off : reserved) {
        EXPECT_EQ(hex(rd(0, off)), hex(0)) << at("read", 0, off) << ": a reserved offset reads 0";
        wr(0, off, 0xffffffff);
        wr(1, off, 0xffffffff);
        wr(0, off, 0xff, 1);
    }
    expect_unchanged(before, "a write to a reserved offset");
    for (u32 off : {0x1000u, 0x1004u, 0xfffffffcu}) {
        EXPECT_EQ(hex(rd(0, off)), hex(0)) << at("read", 0, off) << ": beyond the distributor's 4 KiB";
        wr(0, off, 0xffffffff);
    }
    expect_unchanged(before, "a write beyond the distributor's 4 KiB");
    EXPECT_EQ(hex(rd(2, CTLR)), hex(0)) << "a vCPU the VM does not have reads 0";
    wr(2, ISENABLER, 0xffffffff);
    expect_unchanged(before, "a write by a vCPU the VM does not have");
}

TEST_F(VgicTest, LevelAndEdgeInputs) {
    const u32 word1 = ISPENDR + 4;  // SPIs 32-63
    g.set_line(0, 40, true);
    EXPECT_EQ(hex(rd(0, word1)), hex(1u << 8)) << "a level-sensitive SPI 40 is pending while its line is high";
    wr(0, ICPENDR + 4, 1u << 8);
    EXPECT_EQ(hex(rd(0, word1)), hex(1u << 8)) << "ICPENDR cannot clear a level-sensitive interrupt whose line is high";
    g.set_line(0, 40, false);
    EXPECT_EQ(hex(rd(0, word1)), hex(0)) << "line low: SPI 40 pending no more";
    wr(0, ISPENDR + 4, 1u << 8);
    EXPECT_EQ(hex(rd(0, word1)), hex(1u << 8)) << "ISPENDR latches a level-sensitive one";
    wr(0, ICPENDR + 4, 1u << 8);
    EXPECT_EQ(hex(rd(0, word1)), hex(0)) << "and ICPENDR clears the latch";

    wr(0, ICFGR + 8, 2u << 16);  // SPI 40 edge-triggered
    g.set_line(0, 40, true);
    EXPECT_EQ(hex(rd(0, word1)), hex(1u << 8)) << "a rising edge makes edge-triggered SPI 40 pending";
    wr(0, ICPENDR + 4, 1u << 8);
    EXPECT_EQ(hex(rd(0, word1)), hex(0)) << "ICPENDR clears an edge-triggered one, line high or not";
    g.set_line(0, 40, true);
    EXPECT_EQ(hex(rd(0, word1)), hex(0)) << "a line already high is no new edge";
    g.set_line(0, 40, false);
    g.set_line(0, 40, true);
    EXPECT_EQ(hex(rd(0, word1)), hex(1u << 8)) << "low then high: a new edge";

    g.raise(1, 20);
    EXPECT_EQ(hex(rd(1, ISPENDR)), hex(1u << 20)) << "raise(vCPU 1, PPI 20): vCPU 1's bank";
    EXPECT_EQ(hex(rd(0, ISPENDR)), hex(0)) << "raise(vCPU 1, PPI 20) is not vCPU 0's";
    g.raise(0, 3);
    EXPECT_EQ(hex(rd(0, ISPENDR)), hex(0)) << "an SGI comes only by GICD_SGIR, never by raise()";
    g.raise(0, 96);
    g.set_line(0, 200, true);
    g.raise(5, 40);
    EXPECT_EQ(hex(rd(0, word1 + 4)), hex(0)) << "out-of-range interrupts and vCPUs are ignored";
}

TEST_F(VgicTest, ActiveSpiBelongsToTheVcpuThatActivatedIt) {
    wr(0, ISENABLER + 4, 1u << 8);
    wr(0, ITARGETSR + 40, 0x03, 1);
    wr(0, CTLR, 1);
    wr(1, ISACTIVER + 4, 1u << 8);
    u32 ready0[VGIC_WORDS], ready1[VGIC_WORDS];
    g.ready(0, ready0);
    g.ready(1, ready1);
    EXPECT_EQ(hex(ready0[1]), hex(0)) << "SPI 40, set active by vCPU 1, is not vCPU 0's to end";
    EXPECT_EQ(hex(ready1[1]), hex(1u << 8)) << "SPI 40 goes back to vCPU 1, where it is active";
    wr(0, ICACTIVER + 4, 1u << 8);
    g.raise(0, 40);
    g.ready(0, ready0);
    EXPECT_EQ(hex(ready0[1]), hex(1u << 8)) << "inactive again and pending: either vCPU it targets may take it";
}

}  // namespace
