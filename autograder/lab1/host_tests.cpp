// SPDX-License-Identifier: MIT
// Lab 1 host tests: the lab's functions on the fake arch, one mechanism at a time.
#include <cstdio>
#include <string>

#include "host_fixture.hpp"
#include "kernel/hsr.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/reflect.hpp"
#include "kernel/trap.hpp"
#include "kernel/vm_memory.hpp"
#include "mv/abi.h"

using namespace mv;
using mvtest::hsr;

namespace {

class Lab1 : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        ASSERT_TRUE(vm_memory_build(vm())) << "the test system's stage-2 map";
    }
};

constexpr u32 SVC = 0x13, UND = 0x1b, ABT = 0x17;
constexpr u32 T = 1u << 5, I = 1u << 7, A = 1u << 8, E = 1u << 9;
constexpr u32 RAM = mvtest::RAM_BASE, RAM_END = mvtest::RAM_BASE + mvtest::RAM_SIZE;

// --- decode_hsr ------------------------------------------------------------------
TEST(HsrDecode, SplitsClassLengthAndSyndrome) {
    Hsr h = decode_hsr(0x4a000000);  // HVC #0 from ARM state
    EXPECT_EQ(h.raw, 0x4a000000u);
    EXPECT_EQ(h.ec, Ec::hvc) << "EC is HSR bits 31:26";
    EXPECT_TRUE(h.il) << "IL is HSR bit 25";
    EXPECT_EQ(h.iss, 0u);
    h = decode_hsr(0x91c0005fu);  // data abort from a guest, IL clear
    EXPECT_EQ(h.ec, Ec::dabt_lower);
    EXPECT_FALSE(h.il);
    EXPECT_EQ(h.iss, 0x01c0005fu) << "ISS is HSR bits 24:0";
    EXPECT_EQ(decode_hsr(0xffffffff).iss, 0x01ffffffu);
    EXPECT_EQ(decode_hsr(0xffffffff).ec, static_cast<Ec>(0x3f));
}

TEST(HsrDecode, ConditionOnlyForInstructionClasses) {
    Hsr wfi = decode_hsr(hsr(0x01, (1u << 24) | (0xa << 20)));
    EXPECT_TRUE(wfi.cv) << "class 0x01 carries CV in ISS bit 24";
    EXPECT_EQ(wfi.cond, 0xa) << "class 0x01 carries COND in ISS bits 23:20";
    Hsr cp14 = decode_hsr(hsr(0x0c, (1u << 24) | (0x3 << 20)));
    EXPECT_TRUE(cp14.cv);
    EXPECT_EQ(cp14.cond, 0x3);
    Hsr abort = decode_hsr(hsr(0x24, (1u << 24) | (0xf << 20)));
    EXPECT_FALSE(abort.cv) << "a data abort's bit 24 is ISV, not CV";
    EXPECT_EQ(abort.cond, 0) << "classes above 0x0c have no COND field";
    Hsr hvc = decode_hsr(hsr(0x12, 0xffff));
    EXPECT_FALSE(hvc.cv);
}

// --- handle_trap ------------------------------------------------------------------
TEST_F(Lab1, TrapCountsAndDispatchesHvc) {
    vcpu().r(0) = PSCI_VERSION;
    guest_at(RAM + 0x104);
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().r(0), MV_PSCI_VERSION_1_0) << "an HVC trap must reach handle_hvc()";
    EXPECT_EQ(vcpu().trap_count[0x12], 1u) << "handle_trap() counts every trap by class";
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().trap_count[0x12], 2u);
}

TEST_F(Lab1, TrapRoutesWfiAndSmc) {
    guest_at(RAM + 0x200);
    handle_trap(vcpu(), hsr(0x01));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x204u) << "a WFI trap must reach handle_wfx()";
    EXPECT_EQ(vcpu().trap_count[0x01], 1u);
    cpu().set(reg::VBAR, RAM);
    guest_at(RAM + 0x300);
    handle_trap(vcpu(), hsr(0x13));
    EXPECT_EQ(vcpu().frame.elr, RAM + VECTOR_UNDEF) << "an SMC trap must reach handle_smc()";
    EXPECT_EQ(vcpu().trap_count[0x13], 1u);
}

TEST_F(Lab1, TrapWithoutHandlerIsUndefined) {
    cpu().set(reg::VBAR, RAM);
    for (u32 ec : {0x00u, 0x03u, 0x05u, 0x08u, 0x0cu, 0x2fu, 0x3fu}) {
        guest_at(RAM + 0x400);
        handle_trap(vcpu(), hsr(ec));
        EXPECT_EQ(vcpu().mode(), Mode::und) << "class " << ec << " has no handler: undefined instruction";
        EXPECT_EQ(vcpu().frame.elr, RAM + VECTOR_UNDEF) << "class " << ec;
        EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x404) << "class " << ec;
        EXPECT_EQ(vcpu().trap_count[ec], 1u) << "class " << ec;
    }
}

// --- decode_smccc / handle_hvc ------------------------------------------------------
TEST(Smccc, DecodesFunctionIdFields) {
    SmcccId id = decode_smccc(MV_CALL_CONSOLE_WRITE);
    EXPECT_TRUE(id.fast);
    EXPECT_FALSE(id.smc64);
    EXPECT_EQ(id.owner, MV_SMCCC_OWNER_VENDOR_HYP);
    EXPECT_EQ(id.number, 1);
    EXPECT_TRUE(id.mbz_ok);
    id = decode_smccc(0x44ab1234);
    EXPECT_FALSE(id.fast) << "bit 31 clear: a yielding call";
    EXPECT_TRUE(id.smc64) << "bit 30: SMC64";
    EXPECT_EQ(id.owner, 4);
    EXPECT_EQ(id.number, 0x1234);
    EXPECT_FALSE(id.mbz_ok) << "bits 23:16 must be zero";
    EXPECT_EQ(decode_smccc(0xbf00ffff).owner, 0x3f);
}

TEST_F(Lab1, HypercallUnknownIdsAreNotSupported) {
    for (u32 id : {0x86001234u, 0x8600fffeu, 0x86010000u, 0x83000000u, 0xc6000000u, 0x06000000u,
                   0x8400001fu, 0xbf000000u, 0xffffffffu, 0x0u}) {
        vcpu().r(0) = id;
        handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
        EXPECT_EQ(static_cast<i32>(vcpu().r(0)), MV_NOT_SUPPORTED) << std::hex << "function ID 0x" << id;
    }
}

TEST_F(Lab1, HypercallVendorCalls) {
    vcpu().r(0) = MV_CALL_NULL;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(vcpu().r(0), 0u) << "MV_CALL_NULL";
    vcpu().r(0) = MV_CALL_VM_INFO;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(vcpu().r(0), 0u);
    EXPECT_EQ(vcpu().r(3), 1u) << "MV_CALL_VM_INFO: vCPU count in r3";
    vcpu().r(0) = MV_CALL_REVISION;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(vcpu().r(0), MV_ABI_MAJOR);
    EXPECT_EQ(vcpu().r(1), MV_ABI_MINOR);
    vcpu().trap_count[0x01] = 7;
    vcpu().r(0) = MV_CALL_TRAP_COUNT;
    vcpu().r(1) = 0x01;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(vcpu().r(0), 0u);
    EXPECT_EQ(vcpu().r(1), 7u) << "MV_CALL_TRAP_COUNT is vendor call 9";
}

TEST_F(Lab1, HvcWithImmediateIsUndefined) {
    cpu().set(reg::VBAR, RAM);
    guest_at(RAM + 0x504);  // ELR_hyp points past HVC #1 at RAM + 0x500
    vcpu().r(0) = MV_CALL_NULL;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12, 1)));
    EXPECT_EQ(vcpu().mode(), Mode::und);
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x504) << "LR_und = the HVC + 4";
    EXPECT_EQ(vcpu().r(0), MV_CALL_NULL) << "HVC #1 is no hypercall: r0 must not change";
}

// --- psci_call ------------------------------------------------------------------------
TEST_F(Lab1, PsciVersionAndFeatures) {
    vcpu().r(0) = PSCI_VERSION;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(vcpu().r(0), MV_PSCI_VERSION_1_0);
    for (u32 f : {PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET}) {
        vcpu().r(0) = PSCI_FEATURES;
        vcpu().r(1) = f;
        psci_call(vcpu(), PSCI_FEATURES);
        EXPECT_EQ(vcpu().r(0), 0u) << std::hex << "PSCI_FEATURES(0x" << f << ")";
    }
    for (u32 f : {0x8400001fu, MV_CALL_NULL, 0x0u}) {
        vcpu().r(1) = f;
        psci_call(vcpu(), PSCI_FEATURES);
        EXPECT_EQ(static_cast<i32>(vcpu().r(0)), MV_NOT_SUPPORTED) << std::hex << "PSCI_FEATURES(0x" << f << ")";
    }
}

TEST_F(Lab1, PsciSystemOffAndReset) {
    guest_at(RAM + 0x800);
    vcpu().r(5) = 0x55;
    psci_call(vcpu(), PSCI_SYSTEM_RESET);
    EXPECT_EQ(vm().state, VmState::running);
    EXPECT_EQ(vcpu().frame.elr, vm().config->entry) << "SYSTEM_RESET restarts at the entry point";
    EXPECT_EQ(vcpu().r(5), 0u) << "SYSTEM_RESET starts with fresh registers";
    psci_call(vcpu(), PSCI_SYSTEM_OFF);
    EXPECT_EQ(vm().state, VmState::powered_off);
    EXPECT_NE(vcpu().state, VcpuState::runnable) << "a powered-off VM's vCPU must not run";
}

// --- guest_copy_in / guest_copy_out / console_write -------------------------------------
std::string hex(u32 v) {
    char b[16];
    snprintf(b, sizeof b, "%#x", v);
    return b;
}

// guest_copy_in of `len` bytes at `gpa` must be refused, and leave `dst` alone.
void expect_refused_in(const Vm& vm, u32 gpa, u32 len, const char* why) {
    std::string dst(64, '#');
    EXPECT_FALSE(guest_copy_in(vm, dst.data(), gpa, len)) << "guest_copy_in(gpa " << hex(gpa) << ", len " << hex(len) << "): " << why;
    EXPECT_EQ(dst, std::string(64, '#')) << "a refused copy writes nothing (gpa " << hex(gpa) << ")";
}

TEST_F(Lab1, GuestCopyInChecksEveryByte) {
    poke(RAM, "first");
    poke(RAM_END - 4, "last");
    char buf[16] = {};
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM, 5)) << "the first bytes of RAM";
    EXPECT_EQ(std::string(buf, 5), "first");
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM_END - 4, 4)) << "ends on RAM's last byte (" << hex(RAM_END - 1) << ")";
    EXPECT_EQ(std::string(buf, 4), "last");
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM + 0xffd, 7)) << "any alignment, across a 4 KiB page boundary";
    EXPECT_TRUE(guest_copy_in(vm(), buf, mvtest::READ_ONLY, 16)) << "read-only memory can be read";
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM, 0)) << "length 0 copies nothing and succeeds";
    expect_refused_in(vm(), RAM_END - 4, 5, "one byte past the end of RAM");
    expect_refused_in(vm(), RAM - 1, 2, "one byte before RAM");
    expect_refused_in(vm(), 0x40000000, 4, "the microvisor's memory is not the VM's");
    expect_refused_in(vm(), mvtest::DEVICE_BASE, 4, "a device region is not RAM");
    EXPECT_TRUE(guest_copy_in(vm(), buf, 0xfffffff0, 0x10)) << "ends on the last byte of the address space";
    expect_refused_in(vm(), 0xfffffff0, 0x20, "wraps around 4 GiB, though memory is mapped on both sides");
    expect_refused_in(vm(), RAM + 16, 0xfffffff0, "wraps around 4 GiB");
}

TEST_F(Lab1, GuestCopyFollowsTheStage2Map) {
    // SCATTERED maps to physical 0x48c00000; the block after it to 0x48800000.
    poke(0x48c00000 + 0x10, "guest-physical is not physical");
    char buf[32] = {};
    ASSERT_TRUE(guest_copy_in(vm(), buf, mvtest::SCATTERED + 0x10, 30));
    EXPECT_EQ(std::string(buf, 30), "guest-physical is not physical")
        << "gpa " << hex(mvtest::SCATTERED + 0x10) << " lives at physical 0x48c00010: translate it";
    poke(0x48c00000 + 0x200000 - 3, "abc");
    poke(0x48800000, "def");
    ASSERT_TRUE(guest_copy_in(vm(), buf, mvtest::SCATTERED + 0x200000 - 3, 6));
    EXPECT_EQ(std::string(buf, 6), "abcdef") << "a buffer across " << hex(mvtest::SCATTERED + 0x200000)
                                             << ": its second part lies at physical 0x48800000, before the first";
    ASSERT_TRUE(guest_copy_out(vm(), mvtest::SCATTERED + 0x200000 - 2, "XYZW", 4));
    EXPECT_EQ(std::string(reinterpret_cast<char*>(arch::phys_to_virt(0x48c00000 + 0x200000 - 2)), 2), "XY");
    EXPECT_EQ(std::string(reinterpret_cast<char*>(arch::phys_to_virt(0x48800000)), 2), "ZW")
        << "guest_copy_out follows the map too";
}

TEST_F(Lab1, GuestCopyOutNeedsWritableRam) {
    ASSERT_TRUE(guest_copy_out(vm(), RAM + 0x100, "written", 7));
    EXPECT_EQ(std::string(reinterpret_cast<char*>(arch::phys_to_virt(RAM + 0x100)), 7), "written");
    EXPECT_TRUE(guest_copy_out(vm(), RAM_END - 1, "!", 1)) << "RAM's last byte";
    EXPECT_FALSE(guest_copy_out(vm(), mvtest::READ_ONLY, "x", 1)) << "read-only memory cannot be written";
    EXPECT_FALSE(guest_copy_out(vm(), mvtest::DEVICE_BASE, "x", 1)) << "a device region is not RAM";
    poke(RAM_END - 2, "..");
    EXPECT_FALSE(guest_copy_out(vm(), RAM_END - 2, "abcd", 4)) << "two bytes past the end of RAM";
    EXPECT_EQ(std::string(reinterpret_cast<char*>(arch::phys_to_virt(RAM_END - 2)), 2), "..")
        << "a refused copy writes nothing, not even the part that fits";
    EXPECT_FALSE(guest_copy_out(vm(), 0xfffffffe, "abcd", 4)) << "wraps around 4 GiB, though memory is mapped on both sides";
}

TEST_F(Lab1, ConsoleWriteCopiesAndCounts) {
    poke(RAM + 0x1001, "hello, console\n");
    EXPECT_EQ(console_write(vcpu(), RAM + 0x1001, 15), 15);
    EXPECT_NE(cpu().console.find("hello, console"), std::string::npos) << "console: " << cpu().console;
    EXPECT_EQ(console_write(vcpu(), RAM, 0), 0) << "length 0 writes nothing";
}

TEST_F(Lab1, ConsoleWriteRejectsBadBuffers) {
    EXPECT_EQ(console_write(vcpu(), 0x10000000, 4), MV_INVALID_ADDRESS);
    EXPECT_EQ(console_write(vcpu(), RAM_END - 8, 16), MV_INVALID_ADDRESS);
    EXPECT_EQ(console_write(vcpu(), 0xffffffff, 2), MV_INVALID_ADDRESS);
    EXPECT_EQ(console_write(vcpu(), RAM, MV_CONSOLE_MAX + 1), MV_INVALID_PARAMETERS);
    EXPECT_EQ(console_write(vcpu(), RAM, 0xffffffff), MV_INVALID_PARAMETERS);
    EXPECT_EQ(cpu().console, "") << "a rejected write prints nothing";
    vcpu().r(0) = MV_CALL_CONSOLE_WRITE;
    vcpu().r(1) = 0x40000000;
    vcpu().r(2) = 4;
    handle_hvc(vcpu(), decode_hsr(hsr(0x12)));
    EXPECT_EQ(static_cast<i32>(vcpu().r(0)), MV_INVALID_ADDRESS) << "through the hypercall";
}

// --- handle_wfx / handle_smc --------------------------------------------------------------
TEST_F(Lab1, WfxSkipsTheInstruction) {
    guest_at(RAM + 0x600);
    handle_wfx(vcpu(), decode_hsr(hsr(0x01, 0)));  // WFI, 32-bit
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x604);
    guest_at(RAM + 0x700, SVC | T);
    handle_wfx(vcpu(), decode_hsr(hsr(0x01, 1, false)));  // WFE, 16-bit Thumb
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x702) << "IL = 0: a 16-bit instruction";
    EXPECT_EQ(vcpu().frame.spsr, SVC | T) << "the guest stays where it was";
}

TEST_F(Lab1, SmcIsUndefinedAtTheSmc) {
    cpu().set(reg::VBAR, RAM + 0x8000);
    guest_at(RAM + 0x900);
    handle_smc(vcpu(), decode_hsr(hsr(0x13)));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x8000 + VECTOR_UNDEF);
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x904);
}

// --- inject_* ---------------------------------------------------------------------------------
TEST_F(Lab1, UndefFromArmState) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    u32 old = SVC | 0xf0000000u | (0x3u << 25);  // flags and IT bits set
    guest_at(RAM + 0x40, old);
    inject_undef(vcpu(), RAM + 0x40, false);
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2004) << "VBAR + 0x04";
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x44) << "LR_und = instruction + 4 in ARM state";
    EXPECT_EQ(arch::banked_spsr(Mode::und), old) << "SPSR_und = the interrupted CPSR";
    u32 cpsr = vcpu().frame.spsr;
    EXPECT_EQ(cpsr & 0x1f, UND);
    EXPECT_NE(cpsr & I, 0u) << "IRQs masked";
    EXPECT_EQ(cpsr & A, 0u) << "an undefined instruction leaves A as it was (clear here)";
    EXPECT_EQ(cpsr & T, 0u);
    EXPECT_EQ(cpsr & (0x3u << 25), 0u) << "IT bits cleared";
    EXPECT_EQ(cpsr & 0xf0000000u, 0xf0000000u) << "condition flags kept";
}

TEST_F(Lab1, UndefFromThumbToThumbHandler) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    cpu().set(reg::SCTLR, (1u << 30) | (1u << 25));  // TE, EE
    guest_at(RAM + 0x42, SVC | T | A);
    inject_undef(vcpu(), RAM + 0x42, true);
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x44) << "LR_und = instruction + 2 in Thumb state";
    EXPECT_NE(vcpu().frame.spsr & T, 0u) << "SCTLR.TE: exceptions are taken in Thumb state";
    EXPECT_NE(vcpu().frame.spsr & E, 0u) << "SCTLR.EE: exceptions are taken big-endian";
    EXPECT_NE(vcpu().frame.spsr & A, 0u) << "A stays set";
}

TEST_F(Lab1, HighVectors) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    cpu().set(reg::SCTLR, 1u << 13);  // V
    guest_at(RAM + 0x40);
    inject_undef(vcpu(), RAM + 0x40, false);
    EXPECT_EQ(vcpu().frame.elr, 0xffff0004u) << "SCTLR.V: vectors at 0xffff0000, whatever VBAR says";
}

TEST_F(Lab1, DataAndPrefetchAbortInjection) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    guest_at(RAM + 0x80, SVC | I);
    inject_data_abort(vcpu(), 0x0a000010, 0x808);
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2010) << "VBAR + 0x10";
    EXPECT_EQ(arch::banked_lr(Mode::abt), RAM + 0x88) << "LR_abt = instruction + 8";
    EXPECT_EQ(arch::banked_spsr(Mode::abt), SVC | I);
    EXPECT_EQ(vcpu().frame.spsr & 0x1f, ABT);
    EXPECT_EQ(vcpu().frame.spsr & (A | I), A | I) << "aborts mask A and I";
    EXPECT_EQ(cpu().value_written("DFAR"), 0x0a000010u);
    EXPECT_EQ(cpu().value_written("DFSR"), 0x808u);
    guest_at(0x0a000000, SVC);
    inject_prefetch_abort(vcpu(), 0x0a000000, 0x8);
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x200c) << "VBAR + 0x0c";
    EXPECT_EQ(arch::banked_lr(Mode::abt), 0x0a000004u) << "LR_abt = instruction + 4";
    EXPECT_EQ(cpu().value_written("IFAR"), 0x0a000000u);
    EXPECT_EQ(cpu().value_written("IFSR"), 0x8u);
}

TEST(FaultStatus, ExternalAbortInBothFormats) {
    EXPECT_EQ(external_abort_fsr(false, false, false), 0x008u) << "short format: FS 0b01000";
    EXPECT_EQ(external_abort_fsr(false, false, true), 0x808u) << "WnR is bit 11";
    EXPECT_EQ(external_abort_fsr(false, true, false), 0x00cu) << "short format walk: FS 0b01100";
    EXPECT_EQ(external_abort_fsr(true, false, false), 0x210u) << "LPAE: bit 9, STATUS 0b010000";
    EXPECT_EQ(external_abort_fsr(true, true, false), 0x215u) << "LPAE walk, level 1: STATUS 0b010101";
    EXPECT_EQ(external_abort_fsr(true, false, true), 0xa10u);
}

// --- handle_guest_abort ----------------------------------------------------------------------
TEST_F(Lab1, StrayAccessIsReflected) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    cpu().set(reg::HDFAR, 0x0a000040);
    guest_at(RAM + 0xa0);
    handle_guest_abort(vcpu(), decode_hsr(hsr(0x24, 1u << 6)));  // a write
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2010);
    EXPECT_EQ(cpu().value_written("DFAR"), 0x0a000040u) << "DFAR from HDFAR";
    EXPECT_EQ(cpu().value_written("DFSR"), 0x808u) << "an external abort, WnR from the ISS";
    cpu().set(reg::TTBCR, 1u << 31);
    cpu().set(reg::HIFAR, 0x0a000000);
    guest_at(0x0a000000);
    handle_guest_abort(vcpu(), decode_hsr(hsr(0x20, 1u << 7)));  // the guest's table walk
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x200c);
    EXPECT_EQ(cpu().value_written("IFSR"), 0x215u) << "LPAE format, on a table walk (S1PTW)";
    EXPECT_EQ(vm().state, VmState::running);
}

TEST_F(Lab1, AbortAtTheVectorsOrUnderStopPolicyCrashes) {
    cpu().set(reg::VBAR, 0x0a000000);
    cpu().set(reg::HIFAR, 0x0a000004);
    guest_at(0x0a000004, UND);
    handle_guest_abort(vcpu(), decode_hsr(hsr(0x20)));
    EXPECT_EQ(vm().state, VmState::crashed) << "a fault on the guest's own vectors cannot be reflected";
    EXPECT_NE(cpu().console.find("crashed"), std::string::npos);

    SetUp();
    VmConfig stop = *vm().config;
    stop.on_fault = FaultPolicy::Stop;
    vm().config = &stop;
    cpu().set(reg::VBAR, RAM);
    cpu().set(reg::HDFAR, 0x0a000000);
    guest_at(RAM + 0x10);
    handle_guest_abort(vcpu(), decode_hsr(hsr(0x24)));
    EXPECT_EQ(vm().state, VmState::crashed) << "on_fault = stop";
    EXPECT_FALSE(cpu().was_written("DFAR")) << "a stopped VM is not sent the abort";
    vm().config = &system_config.vms[0];
}

}  // namespace
