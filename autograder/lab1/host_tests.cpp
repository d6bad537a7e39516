// SPDX-License-Identifier: MIT
// Lab 1 host tests: the lab's functions on the fake arch, one function at a time.
//
// A lab function that calls other student functions is tested through fakes
// of them (common/fakes.hpp, autograder/lab1/fakes.cpp) and, for the
// registry's handlers, a RegistryOverride: its tests pass once it is right,
// whatever its callees do, and check which callee it called with what. The
// Lab1EndToEnd suite runs a few paths through the real functions.
#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "fakes.hpp"
#include "host_fixture.hpp"
#include "kernel/console.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/hsr.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/reflect.hpp"
#include "kernel/run.hpp"
#include "kernel/trap.hpp"
#include "kernel/vm_memory.hpp"
#include "mv/abi.h"

using namespace mv;
using mvtest::hsr;
using mvtest::Fake;
using mvtest::Record;

namespace {

class Lab1 : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        ASSERT_TRUE(vm_memory_build(vm())) << "the test system's stage-2 map";
    }
    // The VM with other memory regions (its stage-2 map rebuilt); SetUp's again after the test.
    void with_regions(const MemRegion* regions, u32 n) {
        config_ = *vm().config;
        config_.regions = regions;
        config_.nregions = n;
        vm().config = &config_;
        ASSERT_TRUE(vm_memory_build(vm()));
    }
    void TearDown() override { vm().config = &system_config.vms[0]; }
    VmConfig config_{};
};

constexpr u32 USR = 0x10, FIQ = 0x11, IRQ = 0x12, SVC = 0x13, ABT = 0x17, UND = 0x1b, SYS = 0x1f;
constexpr u32 T = psr::T, F = psr::F, I = psr::I, A = psr::A, E = psr::E, J = psr::J;
constexpr u32 RAM = mvtest::RAM_BASE, RAM_END = mvtest::RAM_BASE + mvtest::RAM_SIZE;
constexpr u32 SCTLR_V = 1u << 13, SCTLR_EE = 1u << 25, SCTLR_TE = 1u << 30;

std::string hex(u32 v) { return fake::hex(v); }

// A correct decode_hsr, for the tests of its callers (they must not depend on the student's).
Hsr good_decode(u32 raw) {
    Hsr h = mvtest::decoded(raw >> 26, raw, (raw & (1u << 25)) != 0);
    h.raw = raw;
    if (raw >> 26 >= 0x01 && raw >> 26 <= 0x0c) {
        h.cv = (raw & (1u << 24)) != 0;
        h.cond = static_cast<u8>((raw >> 20) & 0xf);
    }
    return h;
}

// A correct decode_smccc, for the tests of handle_hvc.
SmcccId good_smccc(u32 fid) {
    return SmcccId{.fast = (fid >> 31) != 0, .smc64 = ((fid >> 30) & 1) != 0, .owner = static_cast<u8>((fid >> 24) & 0x3f),
                   .number = static_cast<u16>(fid & 0xffff), .mbz_ok = (fid & 0x00ff0000u) == 0};
}

std::string fields(const Hsr& h) {
    return "{raw " + hex(h.raw) + ", ec " + hex(static_cast<u32>(h.ec)) + ", il " + std::to_string(h.il) + ", iss " +
           hex(h.iss) + "}";
}

// The guest's registers, to check that a function left them alone.
std::vector<u32> regs(const Vcpu& v, unsigned from) {
    std::vector<u32> r(v.frame.r + from, v.frame.r + 13);
    r.push_back(v.frame.lr_usr);
    r.push_back(v.frame.sp_usr);
    return r;
}
void fill_regs(Vcpu& v) {
    for (unsigned i = 0; i < 13; ++i) v.frame.r[i] = 0xa0000000u + i;
    v.frame.lr_usr = 0xa000000e;
    v.frame.sp_usr = 0xa000000d;
}
// What fill_regs() wrote, from r<from> on (then LR_usr, SP_usr).
std::vector<u32> filled(unsigned from) {
    Vcpu v;
    fill_regs(v);
    return regs(v, from);
}

// --- decode_hsr ------------------------------------------------------------------
TEST(HsrDecode, SplitsClassLengthAndSyndrome) {
    Hsr h = decode_hsr(0x4a000000);  // HVC #0 from ARM state
    EXPECT_EQ(h.raw, 0x4a000000u) << "decode_hsr keeps raw";
    EXPECT_EQ(h.ec, Ec::hvc) << "EC is HSR bits 31:26";
    EXPECT_TRUE(h.il) << "IL is HSR bit 25";
    EXPECT_EQ(h.iss, 0u);
    h = decode_hsr(0x91c0005fu);  // data abort from a guest, IL clear
    EXPECT_EQ(h.ec, Ec::dabt_lower);
    EXPECT_FALSE(h.il);
    EXPECT_EQ(h.iss, 0x01c0005fu) << "ISS is HSR bits 24:0";
    for (u32 raw : {0xffffffffu, 0xfdffffffu, 0x02000000u, 0x03ffffffu, 0xfc000000u, 0x04000001u}) {
        h = decode_hsr(raw);
        EXPECT_EQ(h.raw, raw) << "decode_hsr(" << hex(raw) << ").raw";
        EXPECT_EQ(static_cast<u32>(h.ec), raw >> 26) << "decode_hsr(" << hex(raw) << ").ec: bits 31:26";
        EXPECT_EQ(h.il, (raw >> 25) & 1) << "decode_hsr(" << hex(raw) << ").il: bit 25";
        EXPECT_EQ(h.iss, raw & 0x01ffffffu) << "decode_hsr(" << hex(raw) << ").iss: bits 24:0";
    }
}

TEST(HsrDecode, ConditionOnlyForInstructionClasses) {
    for (u32 ec = 0; ec < 64; ++ec) {
        u32 raw = hsr(ec, (1u << 24) | (0xf << 20) | 0xfffff);
        Hsr h = decode_hsr(raw);
        bool conditional = ec >= 0x01 && ec <= 0x0c;
        EXPECT_EQ(h.cv, conditional) << "decode_hsr(" << hex(raw) << "): class " << hex(ec)
                                     << (conditional ? " carries CV in ISS bit 24"
                                                     : " has no CV field (only classes 0x01-0x0c): cv must be false");
        EXPECT_EQ(h.cond, conditional ? 0xf : 0)
            << "decode_hsr(" << hex(raw) << "): class " << hex(ec)
            << (conditional ? " carries COND in ISS bits 23:20" : " has no COND field (only classes 0x01-0x0c): cond must be 0");
        EXPECT_EQ(h.iss, raw & 0x01ffffffu) << "decode_hsr(" << hex(raw) << "): ISS keeps bits 24:20 for every class";
    }
    for (u32 cond = 0; cond < 16; ++cond) {
        Hsr h = decode_hsr(hsr(0x0c, cond << 20));
        EXPECT_FALSE(h.cv) << "class 0x0c, ISS bit 24 clear";
        EXPECT_EQ(h.cond, cond) << "decode_hsr(" << hex(hsr(0x0c, cond << 20)) << "): COND is bits 23:20";
    }
}

// --- handle_trap (decode_hsr, the registry's handlers and inject_undef are fakes) --------------
// A handler for any class, recording what handle_trap passed it.
struct Handled {
    Vcpu* vcpu;
    Hsr hsr;
};
std::vector<Handled> handled;
void recording_handler(Vcpu& v, const Hsr& h) { handled.push_back({&v, h}); }

class HandleTrap : public Lab1 {
protected:
    void SetUp() override {
        Lab1::SetUp();
        handled.clear();
    }
    Record<&decode_hsr> decode{good_decode};
    Record<&inject_undef> undef;
    Record<&handle_hvc> hvc;
    Record<&handle_wfx> wfx;
    Record<&handle_smc> smc;
    Record<&handle_guest_abort> abort;
};

TEST_F(HandleTrap, CountsAndDispatchesHvc) {
    guest_at(RAM + 0x104);
    handle_trap(vcpu(), 0x4a00abcd);
    ASSERT_EQ(decode.calls.size(), 1u) << "handle_trap must decode the HSR with decode_hsr(), once";
    EXPECT_EQ(std::get<0>(decode.calls[0]), 0x4a00abcdu) << "handle_trap passes decode_hsr() the raw HSR";
    ASSERT_EQ(hvc.calls.size(), 1u) << "handle_trap(hsr " << hex(0x4a00abcd)
                                    << "): class 0x12 must reach registry().trap[0x12] (handle_hvc), once";
    auto [v, h] = hvc.calls[0];
    EXPECT_EQ(v, &vcpu()) << "handle_trap passes the handler its vcpu";
    EXPECT_EQ(h.raw, 0x4a00abcdu) << "handle_trap passes the handler decode_hsr()'s result, got " << fields(h);
    EXPECT_EQ(h.iss, 0xabcdu) << "handle_trap passes the handler decode_hsr()'s result, got " << fields(h);
    EXPECT_TRUE(undef.calls.empty()) << "a class with a handler is not an undefined instruction";
    for (u32 ec = 0; ec < 64; ++ec)
        EXPECT_EQ(vcpu().trap_count[ec], ec == 0x12 ? 1u : 0u) << "handle_trap counts a trap in trap_count[its class] only: class " << hex(ec);
    handle_trap(vcpu(), 0x4a000000);
    EXPECT_EQ(vcpu().trap_count[0x12], 2u) << "handle_trap counts every trap";
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x104u) << "handle_trap itself does not move the guest (its handlers do)";
}

TEST_F(HandleTrap, RoutesWfiAndSmc) {
    struct Case {
        u32 ec;
        std::vector<std::tuple<Vcpu*, Hsr>>* calls;
        const char* handler;
    } cases[] = {{0x01, &wfx.calls, "handle_wfx"}, {0x13, &smc.calls, "handle_smc"},
                 {0x20, &abort.calls, "handle_guest_abort"}, {0x24, &abort.calls, "handle_guest_abort"}};
    std::size_t before_abort = 0;
    for (const Case& c : cases) {
        std::size_t before = c.calls == &abort.calls ? before_abort : 0;
        handle_trap(vcpu(), hsr(c.ec, 0x1234));
        ASSERT_EQ(c.calls->size(), before + 1) << "class " << hex(c.ec) << " must reach " << c.handler
                                               << " (registry().trap[" << hex(c.ec) << "])";
        EXPECT_EQ(static_cast<u32>(std::get<1>(c.calls->back()).ec), c.ec);
        EXPECT_EQ(vcpu().trap_count[c.ec], 1u) << "class " << hex(c.ec) << " counted in trap_count[" << hex(c.ec) << "]";
        if (c.calls == &abort.calls) before_abort = c.calls->size();
    }
    EXPECT_TRUE(hvc.calls.empty()) << "only class 0x12 goes to handle_hvc";
    EXPECT_TRUE(undef.calls.empty()) << "classes with a handler are not undefined instructions";
}

TEST_F(HandleTrap, DispatchesThroughTheRegistry) {
    mvtest::RegistryOverride reg;
    reg.clear();
    reg->trap[0x00] = recording_handler;
    reg->trap[0x07] = recording_handler;
    reg->trap[0x3f] = recording_handler;
    for (u32 ec : {0x00u, 0x07u, 0x3fu}) {
        handled.clear();
        u32 raw = hsr(ec, 0x1abcdef, ec != 0x07);
        handle_trap(vcpu(), raw);
        ASSERT_EQ(handled.size(), 1u) << "handle_trap(" << hex(raw) << ") must call registry().trap[" << hex(ec)
                                      << "], whatever the class: a later lab registers its own";
        EXPECT_EQ(handled[0].vcpu, &vcpu());
        EXPECT_EQ(handled[0].hsr.raw, raw) << fields(handled[0].hsr);
        EXPECT_EQ(handled[0].hsr.il, ec != 0x07) << fields(handled[0].hsr);
        EXPECT_EQ(handled[0].hsr.iss, 0x1abcdefu) << fields(handled[0].hsr);
        EXPECT_EQ(vcpu().trap_count[ec], 1u) << "trap_count[" << hex(ec) << "]";
    }
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_TRUE(hvc.calls.empty()) << "with no handler registered for class 0x12, handle_trap must not call handle_hvc itself";
    EXPECT_EQ(undef.calls.size(), 1u) << "with no handler registered, class 0x12 is an undefined instruction";
}

TEST_F(HandleTrap, WithoutHandlerIsUndefined) {
    mvtest::RegistryOverride reg;
    reg.clear();
    for (u32 ec = 0; ec < 64; ++ec) {
        bool thumb = ec % 2 == 1;
        guest_at(RAM + 0x400 + 2 * ec, SVC | (thumb ? T : 0));
        undef.calls.clear();
        handle_trap(vcpu(), hsr(ec, 0x55));
        ASSERT_EQ(undef.calls.size(), 1u) << "class " << hex(ec) << " has no handler: inject_undef(), once";
        auto [v, at, t] = undef.calls[0];
        EXPECT_EQ(v, &vcpu());
        EXPECT_EQ(at, RAM + 0x400 + 2 * ec) << "class " << hex(ec) << ": the undefined instruction is at vcpu.frame.elr";
        EXPECT_EQ(t, thumb) << "class " << hex(ec) << ": inject_undef's thumb is vcpu.thumb() (SPSR " << hex(vcpu().cpsr()) << ")";
        EXPECT_EQ(vcpu().trap_count[ec], 1u) << "class " << hex(ec) << " is counted too";
    }
}

// --- decode_smccc ------------------------------------------------------------------------
TEST(Smccc, DecodesFunctionIdFields) {
    SmcccId id = decode_smccc(MV_CALL_CONSOLE_WRITE);
    EXPECT_TRUE(id.fast);
    EXPECT_FALSE(id.smc64);
    EXPECT_EQ(id.owner, MV_SMCCC_OWNER_VENDOR_HYP);
    EXPECT_EQ(id.number, 1);
    EXPECT_TRUE(id.mbz_ok);
    id = decode_smccc(0x44ab1234);
    EXPECT_FALSE(id.fast) << "decode_smccc(0x44ab1234): bit 31 clear, a yielding call";
    EXPECT_TRUE(id.smc64) << "decode_smccc(0x44ab1234): bit 30 set, SMC64";
    EXPECT_EQ(id.owner, 4) << "decode_smccc(0x44ab1234): owner is bits 29:24";
    EXPECT_EQ(id.number, 0x1234) << "decode_smccc(0x44ab1234): number is bits 15:0";
    EXPECT_FALSE(id.mbz_ok) << "decode_smccc(0x44ab1234): bits 23:16 must be zero";
    for (u32 owner = 0; owner < 64; ++owner) {
        u32 fid = 0x80000000u | (owner << 24) | 0xffffu;
        EXPECT_EQ(decode_smccc(fid).owner, owner) << "decode_smccc(" << hex(fid) << ").owner: bits 29:24";
        EXPECT_EQ(decode_smccc(fid).number, 0xffff) << "decode_smccc(" << hex(fid) << ").number: bits 15:0";
        EXPECT_FALSE(decode_smccc(fid).smc64) << "decode_smccc(" << hex(fid) << ")";
    }
    for (u32 bit = 16; bit < 24; ++bit) {
        u32 fid = 0x86000000u | (1u << bit);
        SmcccId b = decode_smccc(fid);
        EXPECT_FALSE(b.mbz_ok) << "decode_smccc(" << hex(fid) << "): bit " << bit << " is one of bits 23:16 (MV_SMCCC_MBZ_MASK)";
        EXPECT_EQ(b.number, 0) << "decode_smccc(" << hex(fid) << "): bits 23:16 are not part of the number";
        EXPECT_EQ(b.owner, 6) << "decode_smccc(" << hex(fid) << "): bits 23:16 are not part of the owner";
    }
    EXPECT_TRUE(decode_smccc(0xbf00ffff).mbz_ok) << "decode_smccc(0xbf00ffff): bits 23:16 are zero";
    EXPECT_TRUE(decode_smccc(0xc0000000).smc64) << "decode_smccc(0xc0000000)";
    EXPECT_TRUE(decode_smccc(0xc0000000).fast) << "decode_smccc(0xc0000000)";
}

// --- handle_hvc (psci_call, inject_undef and the registry's vendor calls are fakes) ---------------
struct VendorCall {
    u32 number;
    Vcpu* vcpu;
};
std::vector<VendorCall> vendor_calls;
template <u32 N>
void vendor_handler(Vcpu& v) {
    vendor_calls.push_back({N, &v});
    v.r(0) = 0x1000 + N;
}

class HandleHvc : public Lab1 {
protected:
    void SetUp() override {
        Lab1::SetUp();
        vendor_calls.clear();
        fill_regs(vcpu());
        guest_at(RAM + 0x504);
    }
    // Call handle_hvc for HVC #imm with function ID `fid`.
    void call(u32 fid, u32 imm = 0) {
        vcpu().r(0) = fid;
        handle_hvc(vcpu(), good_decode(hsr(0x12, imm)));
    }
    Fake<&decode_smccc> smccc{good_smccc};
    Record<&psci_call> psci{[](Vcpu& v, u32) { v.r(0) = 0x5c1; }};
    Record<&inject_undef> undef;
};

TEST_F(HandleHvc, UnknownIdsAreNotSupported) {
    mvtest::RegistryOverride reg;
    reg->vendor[0] = vendor_handler<0>;
    std::vector<u32> ids = {0x86001234u, 0x8600fffeu, 0x8600ff02u, 0x8600ff04u, 0x8600ff13u, 0xc6000000u, 0x06000000u,
                            0x46000000u, 0xc4000000u, 0x04000000u, 0xffffffffu, 0x0u};
    for (u32 bit = 16; bit < 24; ++bit) {
        ids.push_back(0x86000000u | (1u << bit));  // vendor call 0 with a bit of 23:16 set
        ids.push_back(0x84000000u | (1u << bit));  // PSCI_VERSION with a bit of 23:16 set
    }
    for (u32 owner = 0; owner < 64; ++owner)
        if (owner != 4 && owner != 6) ids.push_back(0x80000000u | (owner << 24));
    for (u32 id : ids) {
        fill_regs(vcpu());
        call(id);
        EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_NOT_SUPPORTED)) << "handle_hvc(function ID " << hex(id) << "): r0 = MV_NOT_SUPPORTED, got " << hex(vcpu().r(0));
        EXPECT_EQ(regs(vcpu(), 1), filled(1)) << "handle_hvc(" << hex(id) << ") must not touch r1-r12, LR, SP";
    }
    EXPECT_TRUE(psci.calls.empty()) << "handle_hvc called psci_call(" << hex(psci.calls.empty() ? 0 : std::get<1>(psci.calls[0]))
                                    << "): only fast SMC32 calls of owner 4 with bits 23:16 zero go there";
    EXPECT_TRUE(vendor_calls.empty()) << "handle_hvc called vendor call 0 for a function ID it must refuse";
    EXPECT_TRUE(undef.calls.empty()) << "HVC #0 is never an undefined instruction";
}

TEST_F(HandleHvc, VendorCallsByNumber) {
    mvtest::RegistryOverride reg;
    reg.clear();
    reg->vendor[0] = vendor_handler<0>;
    reg->vendor[5] = vendor_handler<5>;
    reg->vendor[Registry::VENDOR_CALLS - 1] = vendor_handler<Registry::VENDOR_CALLS - 1>;
    // What follows vendor[] in memory is not a vendor call: a dispatcher that
    // reads one entry past the table calls garbage.
    reg->psci[0] = {0x84000099u, nullptr};
    reg->npsci = 1;
    for (u32 n : {0u, 5u, Registry::VENDOR_CALLS - 1}) {
        vendor_calls.clear();
        fill_regs(vcpu());
        call(0x86000000u | n);
        ASSERT_EQ(vendor_calls.size(), 1u) << "handle_hvc(" << hex(0x86000000u | n) << ") must call registry().vendor[" << n << "], once";
        EXPECT_EQ(vendor_calls[0].number, n) << "handle_hvc(" << hex(0x86000000u | n) << ") called vendor[" << vendor_calls[0].number << "]";
        EXPECT_EQ(vendor_calls[0].vcpu, &vcpu());
        EXPECT_EQ(vcpu().r(0), 0x1000 + n) << "r0 is what the vendor call answered: handle_hvc must not overwrite it";
        EXPECT_EQ(regs(vcpu(), 1), filled(1)) << "handle_hvc itself touches no register but r0";
    }
    for (u32 n : {1u, Registry::VENDOR_CALLS - 2, Registry::VENDOR_CALLS, Registry::VENDOR_CALLS + 1, 0xff00u, 0xffffu}) {
        vendor_calls.clear();
        call(0x86000000u | n);
        EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_NOT_SUPPORTED))
            << "handle_hvc(" << hex(0x86000000u | n) << "): vendor number " << hex(n)
            << (n < Registry::VENDOR_CALLS ? " has an empty slot" : " is past the table (Registry::VENDOR_CALLS entries)")
            << ": MV_NOT_SUPPORTED";
        EXPECT_TRUE(vendor_calls.empty()) << "vendor number " << hex(n);
    }
    EXPECT_TRUE(psci.calls.empty()) << "vendor calls do not go to psci_call";
}

TEST_F(HandleHvc, RevisionQuery) {
    mvtest::RegistryOverride reg;
    reg.clear();
    for (u32 n = 0; n < Registry::VENDOR_CALLS; ++n) reg->vendor[n] = vendor_handler<0>;
    call(MV_CALL_REVISION);
    EXPECT_EQ(vcpu().r(0), MV_ABI_MAJOR) << "MV_CALL_REVISION (" << hex(MV_CALL_REVISION) << ") answers through hc_revision()";
    EXPECT_EQ(vcpu().r(1), MV_ABI_MINOR) << "MV_CALL_REVISION (" << hex(MV_CALL_REVISION) << ") answers through hc_revision()";
    EXPECT_EQ(regs(vcpu(), 2), filled(2)) << "MV_CALL_REVISION writes r0 and r1 only";
    EXPECT_TRUE(vendor_calls.empty()) << "0xff03 is not an index into the vendor table (0xff03 % 16 = 3)";
}

TEST_F(HandleHvc, PsciGoesToPsciCall) {
    for (u32 fid : {PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF, PSCI_CPU_ON, 0x8400001fu, 0x8400ffffu}) {
        psci.calls.clear();
        fill_regs(vcpu());
        call(fid);
        ASSERT_EQ(psci.calls.size(), 1u) << "handle_hvc(" << hex(fid) << "): owner 4 goes to psci_call(), once";
        EXPECT_EQ(std::get<0>(psci.calls[0]), &vcpu());
        EXPECT_EQ(std::get<1>(psci.calls[0]), fid) << "psci_call() gets the whole function ID";
        EXPECT_EQ(vcpu().r(0), 0x5c1u) << "r0 is psci_call()'s answer: handle_hvc must not overwrite it";
        EXPECT_EQ(regs(vcpu(), 1), filled(1));
    }
}

TEST_F(HandleHvc, ImmediateIsUndefined) {
    for (u32 spsr : {SVC, SVC | T}) {
        for (u32 imm : {1u, 0x8000u, 0xffffu}) {
            undef.calls.clear();
            fill_regs(vcpu());
            guest_at(RAM + 0x504, spsr);
            call(MV_CALL_NULL, imm);
            ASSERT_EQ(undef.calls.size(), 1u) << "HVC #" << hex(imm) << " is not a hypercall: inject_undef(), once";
            auto [v, at, thumb] = undef.calls[0];
            EXPECT_EQ(at, RAM + 0x500u) << "HVC #" << hex(imm) << ": the HVC is the 4 bytes before ELR_hyp ("
                                        << hex(RAM + 0x504) << "), in " << (spsr & T ? "Thumb" : "ARM") << " state too";
            EXPECT_EQ(thumb, (spsr & T) != 0) << "inject_undef's thumb is vcpu.thumb(), SPSR " << hex(spsr);
            EXPECT_EQ(vcpu().r(0), MV_CALL_NULL) << "HVC #" << hex(imm) << ": r0 must not change";
            EXPECT_EQ(vcpu().frame.elr, RAM + 0x504u) << "handle_hvc leaves ELR_hyp to inject_undef";
        }
    }
    EXPECT_TRUE(psci.calls.empty());
    undef.calls.clear();
    call(PSCI_VERSION, 0x1ff0000);  // ISS bits 24:16 of an HVC are not part of the immediate
    EXPECT_TRUE(undef.calls.empty()) << "the immediate is hsr.iss bits 15:0 only: ISS " << hex(0x1ff0000) << " is HVC #0";
    EXPECT_EQ(psci.calls.size(), 1u) << "ISS " << hex(0x1ff0000) << " is HVC #0: a hypercall";
}

// --- psci_call (vm_power_off, vm_reset and the registry's PSCI functions are fakes) ---------------
std::vector<Vcpu*> psci_handled;
void psci_handler(Vcpu& v) {
    psci_handled.push_back(&v);
    v.r(0) = 0x600d;
}

class PsciCall : public Lab1 {
protected:
    void SetUp() override {
        Lab1::SetUp();
        psci_handled.clear();
        fill_regs(vcpu());
    }
    Record<&vm_power_off> off;
    Record<&vm_reset> reset{[](Vm& vm) { vm.vcpus[0].r(0) = 0x5eed; }};  // as if the vCPU were fresh
};

TEST_F(PsciCall, VersionAndFeatures) {
    vcpu().r(0) = PSCI_VERSION;
    psci_call(vcpu(), PSCI_VERSION);
    EXPECT_EQ(vcpu().r(0), MV_PSCI_VERSION_1_0) << "PSCI_VERSION";
    EXPECT_EQ(regs(vcpu(), 1), filled(1)) << "PSCI_VERSION writes r0 only";
    for (u32 f : {PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET}) {
        fill_regs(vcpu());
        vcpu().r(1) = f;
        psci_call(vcpu(), PSCI_FEATURES);
        EXPECT_EQ(vcpu().r(0), 0u) << "PSCI_FEATURES(" << hex(f) << "): implemented, 0";
        EXPECT_EQ(vcpu().r(1), f) << "PSCI_FEATURES writes r0 only";
    }
    for (u32 f : {PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO, 0x84000005u, 0x84000007u, 0x8400000bu,
                  0x8400001fu, 0xc4000003u, 0xc4000008u, 0x04000000u, MV_CALL_NULL, MV_CALL_REVISION, 0x0u, 0xffffffffu}) {
        vcpu().r(1) = f;
        psci_call(vcpu(), PSCI_FEATURES);
        EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_NOT_SUPPORTED))
            << "PSCI_FEATURES(" << hex(f) << "): not implemented in a Lab 1 image, MV_NOT_SUPPORTED; got " << hex(vcpu().r(0));
    }
    EXPECT_TRUE(off.calls.empty() && reset.calls.empty()) << "PSCI_FEATURES only answers: it calls no function";
}

TEST_F(PsciCall, FeaturesOfRegisteredFunctions) {
    mvtest::RegistryOverride reg;
    reg->psci[reg->npsci++] = {PSCI_CPU_ON, psci_handler};
    reg->psci[reg->npsci++] = {0x8400001fu, psci_handler};
    for (u32 f : {PSCI_CPU_ON, 0x8400001fu}) {
        vcpu().r(1) = f;
        psci_call(vcpu(), PSCI_FEATURES);
        EXPECT_EQ(vcpu().r(0), 0u) << "PSCI_FEATURES(" << hex(f) << "): registry().psci_call(" << hex(f) << ") has a handler, 0";
    }
    vcpu().r(1) = PSCI_CPU_OFF;
    psci_call(vcpu(), PSCI_FEATURES);
    EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_NOT_SUPPORTED)) << "PSCI_FEATURES(" << hex(PSCI_CPU_OFF) << "): not registered";
    EXPECT_TRUE(psci_handled.empty()) << "PSCI_FEATURES must not call the function it is asked about";
}

TEST_F(PsciCall, SystemOffAndReset) {
    vcpu().r(0) = 0xabc;
    psci_call(vcpu(), PSCI_SYSTEM_OFF);
    ASSERT_EQ(off.calls.size(), 1u) << "PSCI_SYSTEM_OFF: vm_power_off(*vcpu.vm), once";
    EXPECT_EQ(std::get<0>(off.calls[0]), &vm()) << "vm_power_off() of the caller's VM";
    EXPECT_TRUE(reset.calls.empty()) << "PSCI_SYSTEM_OFF does not reset";
    EXPECT_EQ(vcpu().r(0), 0xabcu) << "PSCI_SYSTEM_OFF does not return: write no result after vm_power_off()";
    psci_call(vcpu(), PSCI_SYSTEM_RESET);
    ASSERT_EQ(reset.calls.size(), 1u) << "PSCI_SYSTEM_RESET: vm_reset(*vcpu.vm), once";
    EXPECT_EQ(std::get<0>(reset.calls[0]), &vm()) << "vm_reset() of the caller's VM";
    EXPECT_EQ(off.calls.size(), 1u) << "PSCI_SYSTEM_RESET does not power off";
    EXPECT_EQ(vcpu().r(0), 0x5eedu) << "vm_reset() gave the vCPU fresh registers: write no result after it (r0 became "
                                    << hex(vcpu().r(0)) << ")";
}

TEST_F(PsciCall, OtherFunctionsGoToTheRegistry) {
    mvtest::RegistryOverride reg;
    reg->psci[reg->npsci++] = {PSCI_CPU_ON, psci_handler};
    psci_call(vcpu(), PSCI_CPU_ON);
    ASSERT_EQ(psci_handled.size(), 1u) << "psci_call(" << hex(PSCI_CPU_ON) << "): the handler registry().psci_call() returns, once";
    EXPECT_EQ(psci_handled[0], &vcpu());
    EXPECT_EQ(vcpu().r(0), 0x600du) << "r0 is the handler's answer: do not overwrite it";
    for (u32 f : {PSCI_CPU_OFF, PSCI_CPU_SUSPEND, 0x8400001fu}) {
        fill_regs(vcpu());
        psci_call(vcpu(), f);
        EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_NOT_SUPPORTED)) << "psci_call(" << hex(f) << "): nothing registered";
        EXPECT_EQ(regs(vcpu(), 1), filled(1)) << "psci_call(" << hex(f) << ") writes r0 only";
    }
    EXPECT_EQ(psci_handled.size(), 1u);
    EXPECT_TRUE(off.calls.empty() && reset.calls.empty());
}

// --- guest_copy_in / guest_copy_out ---------------------------------------------------------
// guest_copy_in of `len` bytes at `gpa` must be refused, and leave `dst` alone.
void expect_refused_in(const Vm& vm, u32 gpa, u32 len, const char* why) {
    std::string dst(64, '#');
    EXPECT_FALSE(guest_copy_in(vm, dst.data(), gpa, len)) << "guest_copy_in(gpa " << hex(gpa) << ", len " << hex(len) << "): " << why;
    EXPECT_EQ(dst, std::string(64, '#')) << "a refused copy writes nothing (gpa " << hex(gpa) << ")";
}
std::string at_pa(u32 pa, u32 n) { return std::string(reinterpret_cast<char*>(arch::phys_to_virt(pa)), n); }

using GuestCopy = Lab1;

TEST_F(GuestCopy, InChecksEveryByte) {
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

TEST_F(GuestCopy, FollowsTheStage2Map) {
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
    EXPECT_EQ(at_pa(0x48c00000 + 0x200000 - 2, 2), "XY");
    EXPECT_EQ(at_pa(0x48800000, 2), "ZW") << "guest_copy_out follows the map too";
    ASSERT_TRUE(guest_copy_out(vm(), 0xffffffff, "!", 1)) << "the last byte of the address space (gpa 0xffffffff, writable RAM)";
    EXPECT_EQ(at_pa(0x48a00000 + 0x1fffff, 1), "!") << "gpa 0xffffffff lives at physical 0x48bfffff";
}

TEST_F(GuestCopy, OutNeedsWritableRam) {
    ASSERT_TRUE(guest_copy_out(vm(), RAM + 0x100, "written", 7));
    EXPECT_EQ(at_pa(RAM + 0x100, 7), "written");
    EXPECT_TRUE(guest_copy_out(vm(), RAM_END - 1, "!", 1)) << "RAM's last byte";
    EXPECT_FALSE(guest_copy_out(vm(), mvtest::READ_ONLY, "x", 1)) << "read-only memory cannot be written";
    EXPECT_FALSE(guest_copy_out(vm(), mvtest::DEVICE_BASE, "x", 1)) << "a device region is not RAM";
    poke(RAM_END - 2, "..");
    EXPECT_FALSE(guest_copy_out(vm(), RAM_END - 2, "abcd", 4)) << "two bytes past the end of RAM";
    EXPECT_EQ(at_pa(RAM_END - 2, 2), "..") << "a refused copy writes nothing, not even the part that fits";
    EXPECT_FALSE(guest_copy_out(vm(), 0xfffffffe, "abcd", 4)) << "wraps around 4 GiB, though memory is mapped on both sides";
}

TEST_F(GuestCopy, LastPageOfTheBufferIsChecked) {
    // RAM, then right after it a read-only block and a device block.
    const MemRegion regions[] = {
        {RAM, RAM, mvtest::RAM_SIZE, MemKind::Ram, true, true},
        {RAM_END, 0x48e00000, 0x200000, MemKind::Ram, false, false},
        {RAM_END + 0x200000, mvtest::DEVICE_BASE, 0x200000, MemKind::Device, true, false},
    };
    with_regions(regions, 3);
    std::string data(0x3000, 'd');
    EXPECT_TRUE(guest_copy_out(vm(), RAM_END - 0x3000, data.data(), 0x3000)) << "three pages ending on RAM's last byte";
    poke(RAM_END - 0x2800, "old");
    EXPECT_FALSE(guest_copy_out(vm(), RAM_END - 0x2800, data.data(), 0x2801))
        << "guest_copy_out(gpa " << hex(RAM_END - 0x2800) << ", len 0x2801): its last byte, " << hex(RAM_END)
        << ", is read-only: check every page, the last one too";
    EXPECT_EQ(at_pa(RAM_END - 0x2800, 3), "old") << "a refused copy writes nothing";
    char buf[0x3000];
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM_END - 0x2800, 0x2801)) << "read-only memory can be read";
    EXPECT_TRUE(guest_copy_in(vm(), buf, RAM_END + 0x200000 - 0x2000, 0x2000)) << "ends on the read-only block's last byte";
    EXPECT_FALSE(guest_copy_in(vm(), buf, RAM_END + 0x200000 - 0x2000, 0x2001))
        << "guest_copy_in(gpa " << hex(RAM_END + 0x200000 - 0x2000) << ", len 0x2001): its last byte is a device's";
    EXPECT_FALSE(guest_copy_in(vm(), buf, RAM - 0x2000, 0x3000)) << "the first page is unmapped: check it too";
}

TEST_F(GuestCopy, LengthZeroAndTheEndsOfTheAddressSpace) {
    static char buf[0x1000];
    for (u32 gpa : {0x10000000u, mvtest::DEVICE_BASE, mvtest::READ_ONLY, 0xffffffffu, 0x0u}) {
        EXPECT_TRUE(guest_copy_in(vm(), buf, gpa, 0)) << "guest_copy_in(gpa " << hex(gpa) << ", len 0): copies nothing, succeeds";
        EXPECT_TRUE(guest_copy_out(vm(), gpa, buf, 0)) << "guest_copy_out(gpa " << hex(gpa) << ", len 0): copies nothing, succeeds";
    }
    EXPECT_TRUE(guest_copy_in(vm(), buf, 0xffffffff, 1)) << "gpa 0xffffffff, len 1: the last byte of the address space";
    EXPECT_TRUE(guest_copy_in(vm(), buf, 0xfffff000, 0x1000)) << "the last page of the address space, whole";
    EXPECT_TRUE(guest_copy_in(vm(), buf, 0x0, 16)) << "the first bytes of the address space";
    expect_refused_in(vm(), 0xffffffff, 2, "wraps around 4 GiB by one byte");
    expect_refused_in(vm(), 0x1, 0xffffffff, "ends exactly at 4 GiB: one byte past the last address");
}

// --- console_write (guest_copy_in and console_guest_write are fakes) ---------------------------
class ConsoleWrite : public Lab1 {
protected:
    // guest_copy_in's fake fills the buffer with a pattern of the gpa.
    Record<&guest_copy_in> copy_in{[this](const Vm&, void* dst, u32 gpa, u32 len) {
        for (u32 i = 0; i < len; ++i) static_cast<u8*>(dst)[i] = static_cast<u8>(gpa + i);
        return copy_ok;
    }};
    std::string written;
    Record<&console_guest_write> out{[this](Vm&, const u8* buf, u32 len) { written.assign(reinterpret_cast<const char*>(buf), len); }};
    bool copy_ok = true;
};

TEST_F(ConsoleWrite, CopiesAndCounts) {
    for (u32 len : {1u, 15u, MV_CONSOLE_MAX}) {
        copy_in.calls.clear();
        out.calls.clear();
        u32 gpa = mvtest::SCATTERED + 0x1001;
        EXPECT_EQ(console_write(vcpu(), gpa, len), static_cast<i32>(len)) << "console_write(gpa " << hex(gpa) << ", len " << len << ") returns len";
        ASSERT_EQ(copy_in.calls.size(), 1u) << "console_write copies the buffer with guest_copy_in(), once (len " << len << ")";
        auto [cvm, dst, cgpa, clen] = copy_in.calls[0];
        EXPECT_EQ(cvm, vcpu().vm) << "guest_copy_in() of the caller's VM";
        EXPECT_EQ(cgpa, gpa) << "guest_copy_in() of the guest's address as it is: guest_copy_in translates it";
        EXPECT_EQ(clen, len) << "guest_copy_in() of len bytes";
        ASSERT_EQ(out.calls.size(), 1u) << "then console_guest_write(), once (len " << len << ")";
        EXPECT_EQ(std::get<0>(out.calls[0]), vcpu().vm) << "console_guest_write() of the caller's VM";
        EXPECT_EQ(std::get<2>(out.calls[0]), len) << "console_guest_write() of len bytes";
        std::string expected;
        for (u32 i = 0; i < len; ++i) expected += static_cast<char>(static_cast<u8>(gpa + i));
        EXPECT_EQ(written, expected) << "console_guest_write() gets the bytes guest_copy_in() copied (len " << len << ")";
    }
}

TEST_F(ConsoleWrite, LengthLimits) {
    EXPECT_EQ(console_write(vcpu(), RAM, MV_CONSOLE_MAX), static_cast<i32>(MV_CONSOLE_MAX)) << "MV_CONSOLE_MAX bytes exactly are allowed";
    EXPECT_EQ(out.calls.size(), 1u) << "MV_CONSOLE_MAX bytes exactly are written";
    copy_in.calls.clear();
    out.calls.clear();
    for (u32 len : {MV_CONSOLE_MAX + 1, 0x10000u, 0x7fffffffu, 0x80000000u, 0xffffffffu}) {
        EXPECT_EQ(console_write(vcpu(), RAM, len), MV_INVALID_PARAMETERS)
            << "console_write(len " << hex(len) << "): above MV_CONSOLE_MAX (" << MV_CONSOLE_MAX << "), MV_INVALID_PARAMETERS";
        EXPECT_EQ(console_write(vcpu(), 0x10000000, len), MV_INVALID_PARAMETERS)
            << "console_write(len " << hex(len) << "): the length is checked before the buffer";
    }
    EXPECT_TRUE(copy_in.calls.empty()) << "a length above MV_CONSOLE_MAX copies nothing";
    EXPECT_EQ(console_write(vcpu(), 0x10000000, 0), 0) << "len 0: 0, whatever the address";
    EXPECT_TRUE(copy_in.calls.empty() && out.calls.empty()) << "len 0 copies and writes nothing";
}

TEST_F(ConsoleWrite, RejectsBadBuffers) {
    copy_ok = false;
    for (u32 len : {1u, 16u, MV_CONSOLE_MAX}) {
        EXPECT_EQ(console_write(vcpu(), 0xffffffff, len), MV_INVALID_ADDRESS) << "guest_copy_in() refused the buffer: MV_INVALID_ADDRESS";
    }
    EXPECT_EQ(copy_in.calls.size(), 3u);
    EXPECT_TRUE(out.calls.empty()) << "a refused buffer prints nothing";
}

// --- handle_wfx / handle_smc (run_wait and inject_undef are fakes) ------------------------------
class HandleWfx : public Lab1 {
protected:
    u32 elr_at_wait = 0;
    Record<&run_wait> wait{[this](Vcpu& v, bool) { elr_at_wait = v.frame.elr; }};
};

TEST_F(HandleWfx, SkipsTheInstruction) {
    struct Case {
        u32 spsr;
        u32 iss;
        bool il;
        u32 len;
        bool wfe;
        const char* what;
    } cases[] = {
        {SVC, 0, true, 4, false, "WFI, ARM"},
        {SVC, 1, true, 4, true, "WFE, ARM"},
        {SVC | T, 1, false, 2, true, "WFE, 16-bit Thumb (IL = 0)"},
        {SVC | T, 0, false, 2, false, "WFI, 16-bit Thumb (IL = 0)"},
        {SVC | T, 0, true, 4, false, "WFI, 32-bit Thumb (IL = 1: the length is IL's, not the T bit's)"},
        {USR | I, 0x1fffffe, true, 4, false, "WFI, ISS bits 24:1 set (only bit 0 says WFE)"},
    };
    for (const Case& c : cases) {
        wait.calls.clear();
        guest_at(RAM + 0x600, c.spsr);
        handle_wfx(vcpu(), good_decode(hsr(0x01, c.iss, c.il)));
        EXPECT_EQ(vcpu().frame.elr, RAM + 0x600 + c.len) << c.what << ": resume " << c.len << " bytes after the instruction";
        EXPECT_EQ(vcpu().frame.spsr, c.spsr) << c.what << ": the guest's CPSR stays as it was";
        ASSERT_EQ(wait.calls.size(), 1u) << c.what << ": handle_wfx calls run_wait(), once";
        EXPECT_EQ(std::get<0>(wait.calls[0]), &vcpu());
        EXPECT_EQ(std::get<1>(wait.calls[0]), c.wfe) << c.what << ": run_wait's wfe is ISS bit 0";
        EXPECT_EQ(elr_at_wait, RAM + 0x600 + c.len) << c.what << ": skip the instruction before run_wait() (from Lab 2 on another vCPU may run in it)";
    }
}

TEST_F(HandleWfx, InAnItBlockAdvancesTheItState) {
    u32 it = 0x0c;  // IT state of an instruction inside an IT EQ block, more to come
    u32 spsr = psr::with_itstate(SVC | T | (1u << 30), it);
    guest_at(RAM + 0x700, spsr);
    handle_wfx(vcpu(), good_decode(hsr(0x01, 0, false)));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x702u);
    EXPECT_EQ(psr::itstate(vcpu().frame.spsr), psr::it_advance(it))
        << "a WFI in an IT block: the IT state (CPSR bits 15:10, 26:25) advances past it (vcpu.skip_instruction does this); SPSR "
        << hex(vcpu().frame.spsr);
}

using HandleSmc = Lab1;

TEST_F(HandleSmc, UndefinedAtTheSmc) {
    Record<&inject_undef> undef;
    for (u32 spsr : {SVC, SVC | T, USR | T | F}) {
        undef.calls.clear();
        guest_at(RAM + 0x900, spsr);
        handle_smc(vcpu(), good_decode(hsr(0x13)));  // SMC is 32 bits in both instruction sets
        ASSERT_EQ(undef.calls.size(), 1u) << "handle_smc: inject_undef(), once";
        auto [v, at, thumb] = undef.calls[0];
        EXPECT_EQ(v, &vcpu());
        EXPECT_EQ(at, RAM + 0x900u) << "ELR_hyp points at the SMC itself (SPSR " << hex(spsr) << ")";
        EXPECT_EQ(thumb, (spsr & T) != 0) << "inject_undef's thumb is vcpu.thumb() (SPSR " << hex(spsr) << ")";
    }
}

// --- inject_undef, inject_data_abort, inject_prefetch_abort -------------------------------------
// The guest's state after taking an exception into `mode` (ARM ARM B1.8.3), checked field by
// field: a wrong bit in the new CPSR would otherwise show only as a guest that hangs in QEMU.
struct Entry {
    const char* fn;  // the function under test, for messages
    Mode mode;
    u32 vector;      // offset from the vector base
    u32 lr;          // expected LR_<mode>
    bool mask_a;     // aborts set A; an undefined instruction leaves it
};

void expect_entry(const Vcpu& v, const Entry& e, u32 old_cpsr, u32 sctlr, u32 vbar) {
    std::string ctx = std::string(e.fn) + " from CPSR " + hex(old_cpsr) + ", SCTLR " + hex(sctlr) + ": ";
    u32 cpsr = v.frame.spsr;
    u32 base = (sctlr & SCTLR_V) ? 0xffff0000u : vbar;
    EXPECT_EQ(v.frame.elr, base + e.vector)
        << ctx << "resume at the vector base (" << ((sctlr & SCTLR_V) ? "0xffff0000: SCTLR.V is set" : "VBAR: SCTLR.V is clear")
        << ") + " << hex(e.vector) << ", got " << hex(v.frame.elr);
    EXPECT_EQ(arch::banked_spsr(e.mode), old_cpsr) << ctx << "SPSR_" << (e.mode == Mode::und ? "und" : "abt")
                                                   << " = the guest's CPSR at the trap, got " << hex(arch::banked_spsr(e.mode));
    EXPECT_EQ(arch::banked_lr(e.mode), e.lr) << ctx << "LR_" << (e.mode == Mode::und ? "und" : "abt") << " must be "
                                             << hex(e.lr) << ", got " << hex(arch::banked_lr(e.mode));
    EXPECT_EQ(cpsr & 0x1f, static_cast<u32>(e.mode)) << ctx << "new CPSR.M, got CPSR " << hex(cpsr);
    EXPECT_NE(cpsr & I, 0u) << ctx << "new CPSR.I must be set (IRQs masked), got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & A, e.mask_a ? A : (old_cpsr & A))
        << ctx << (e.mask_a ? "new CPSR.A must be set for an abort" : "new CPSR.A stays as it was for an undefined instruction")
        << ", got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & F, old_cpsr & F) << ctx << "new CPSR.F stays as it was (only FIQ and reset mask FIQs), got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & T, (sctlr & SCTLR_TE) ? T : 0u)
        << ctx << "new CPSR.T = SCTLR.TE (the handler's instruction set, not the guest's), got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & E, (sctlr & SCTLR_EE) ? E : 0u) << ctx << "new CPSR.E = SCTLR.EE, got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & psr::IT_MASK, 0u) << ctx << "new CPSR IT bits (15:10, 26:25) cleared, got CPSR " << hex(cpsr);
    EXPECT_EQ(cpsr & J, 0u) << ctx << "new CPSR.J cleared, got CPSR " << hex(cpsr);
    u32 kept = 0xf80f0000u;  // N Z C V Q and GE[3:0]
    EXPECT_EQ(cpsr & kept, old_cpsr & kept) << ctx << "flags, Q and GE (bits 31:27, 19:16) stay as they were, got CPSR " << hex(cpsr);
}

class Inject : public Lab1 {
protected:
    static constexpr u32 VBAR = RAM + 0x2000;
    void SetUp() override {
        Lab1::SetUp();
        cpu().set(reg::VBAR, VBAR);
    }
    // The guest's CPSRs at the trap the tests start from.
    static constexpr u32 OLD[] = {
        SVC,
        USR | T | 0xf0000000u | (0x3u << 25) | (0x3fu << 10),     // Thumb, flags, in an IT block
        SYS | F | A | 0x08000000u | 0x000f0000u,                   // Q, GE, FIQ and aborts masked
        IRQ | I | E | J,                                          // big-endian data, Jazelle bit
        FIQ | F | I | T,
    };
    static constexpr u32 SCTLRS[] = {0, SCTLR_V, SCTLR_TE, SCTLR_EE, SCTLR_TE | SCTLR_EE | SCTLR_V};
    // Run `inject` from every old CPSR under every SCTLR; `entry(pc, old)` says what to expect.
    template <typename Inj, typename Exp>
    void each(Inj inject, Exp entry) {
        for (u32 sctlr : SCTLRS)
            for (u32 old : OLD) {
                SetUp();
                cpu().set(reg::SCTLR, sctlr | 0x00c50078u);  // and some bits that do not matter here
                u32 pc = (old & T) ? RAM + 0x42 : RAM + 0x40;
                guest_at(pc, old);
                inject(pc, (old & T) != 0);
                expect_entry(vcpu(), entry(pc, (old & T) != 0), old, sctlr, VBAR);
                if (HasFailure()) return;  // one case's messages are enough
            }
    }
    // The registers `fn` wrote, in order, other than those named.
    std::vector<std::string> written() {
        std::vector<std::string> names;
        for (const auto& w : cpu().writes) names.push_back(w.name);
        return names;
    }
};

TEST_F(Inject, UndefFromArmState) {
    u32 old = SVC | 0xf0000000u | (0x3u << 25);  // flags and IT bits set
    guest_at(RAM + 0x40, old);
    inject_undef(vcpu(), RAM + 0x40, false);
    expect_entry(vcpu(), {"inject_undef", Mode::und, 0x04, RAM + 0x44, false}, old, 0, VBAR);
    std::vector<std::string> w = written();
    std::sort(w.begin(), w.end());
    EXPECT_EQ(w, (std::vector<std::string>{"LR_und", "SPSR_und"})) << "inject_undef writes LR_und and SPSR_und, nothing else";
}

TEST_F(Inject, UndefFromThumbToThumbHandler) {
    cpu().set(reg::SCTLR, SCTLR_TE | SCTLR_EE);
    guest_at(RAM + 0x42, SVC | T | A);
    inject_undef(vcpu(), RAM + 0x42, true);
    expect_entry(vcpu(), {"inject_undef", Mode::und, 0x04, RAM + 0x44, false}, SVC | T | A, SCTLR_TE | SCTLR_EE, VBAR);
}

TEST_F(Inject, UndefEveryStateAndSctlr) {
    each([&](u32 pc, bool thumb) { inject_undef(vcpu(), pc, thumb); },
         [](u32 pc, bool thumb) { return Entry{"inject_undef", Mode::und, 0x04, pc + (thumb ? 2 : 4), false}; });
    SetUp();
    guest_at(RAM + 0x800, SVC);
    inject_undef(vcpu(), RAM + 0x7fc, false);  // HVC #1: the instruction is not at ELR_hyp
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x800u) << "inject_undef: LR_und = instr_addr + 4, from instr_addr, not ELR_hyp";
    guest_at(RAM + 0x800, SVC | T);
    inject_undef(vcpu(), RAM + 0xfffe, true);
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x10000u) << "inject_undef: LR_und = instr_addr + 2 in Thumb state";
}

TEST_F(Inject, HighVectors) {
    cpu().set(reg::SCTLR, SCTLR_V);
    guest_at(RAM + 0x40);
    inject_undef(vcpu(), RAM + 0x40, false);
    EXPECT_EQ(vcpu().frame.elr, 0xffff0004u) << "inject_undef: SCTLR.V: vectors at 0xffff0000, whatever VBAR says";
    guest_at(RAM + 0x40);
    inject_prefetch_abort(vcpu(), RAM + 0x40, 0x8);
    EXPECT_EQ(vcpu().frame.elr, 0xffff000cu) << "inject_prefetch_abort: SCTLR.V: vectors at 0xffff0000";
    guest_at(RAM + 0x40);
    inject_data_abort(vcpu(), 0x0a000000, 0x8);
    EXPECT_EQ(vcpu().frame.elr, 0xffff0010u) << "inject_data_abort: SCTLR.V: vectors at 0xffff0000";
}

TEST_F(Inject, DataAndPrefetchAbortInjection) {
    guest_at(RAM + 0x80, SVC | I);
    inject_data_abort(vcpu(), 0x0a000010, 0x808);
    expect_entry(vcpu(), {"inject_data_abort", Mode::abt, 0x10, RAM + 0x88, true}, SVC | I, 0, VBAR);
    EXPECT_EQ(cpu().value_written("DFAR"), 0x0a000010u) << "inject_data_abort: DFAR = far";
    EXPECT_EQ(cpu().value_written("DFSR"), 0x808u) << "inject_data_abort: DFSR = fsr";
    std::vector<std::string> w = written();
    std::sort(w.begin(), w.end());
    EXPECT_EQ(w, (std::vector<std::string>{"DFAR", "DFSR", "LR_abt", "SPSR_abt"})) << "inject_data_abort writes only these";
    SetUp();
    guest_at(0x0a000000, SVC);
    inject_prefetch_abort(vcpu(), 0x0a000000, 0x8);
    expect_entry(vcpu(), {"inject_prefetch_abort", Mode::abt, 0x0c, 0x0a000004, true}, SVC, 0, VBAR);
    EXPECT_EQ(cpu().value_written("IFAR"), 0x0a000000u) << "inject_prefetch_abort: IFAR = ifar";
    EXPECT_EQ(cpu().value_written("IFSR"), 0x8u) << "inject_prefetch_abort: IFSR = fsr";
    w = written();
    std::sort(w.begin(), w.end());
    EXPECT_EQ(w, (std::vector<std::string>{"IFAR", "IFSR", "LR_abt", "SPSR_abt"})) << "inject_prefetch_abort writes only these";
}

TEST_F(Inject, AbortsEveryStateAndSctlr) {
    // The abort link offsets are the same in Thumb state: +8 for a data abort, +4 for a prefetch abort.
    each([&](u32, bool) { inject_data_abort(vcpu(), 0x0a000040, 0x808); },
         [](u32 pc, bool) { return Entry{"inject_data_abort", Mode::abt, 0x10, pc + 8, true}; });
    each([&](u32 pc, bool) { inject_prefetch_abort(vcpu(), pc, 0x8); },
         [](u32 pc, bool) { return Entry{"inject_prefetch_abort", Mode::abt, 0x0c, pc + 4, true}; });
}

// --- external_abort_fsr ---------------------------------------------------------------------
TEST(FaultStatus, ExternalAbortInBothFormats) {
    struct Case {
        bool lpae, walk, write;
        u32 fsr;
    } cases[] = {
        {false, false, false, 0x008}, {false, false, true, 0x808}, {false, true, false, 0x00c}, {false, true, true, 0x80c},
        {true, false, false, 0x210},  {true, false, true, 0xa10},  {true, true, false, 0x215},  {true, true, true, 0xa15},
    };
    for (const Case& c : cases)
        EXPECT_EQ(external_abort_fsr(c.lpae, c.walk, c.write), c.fsr)
            << "external_abort_fsr(lpae " << c.lpae << ", on_table_walk " << c.walk << ", write " << c.write << "): "
            << (c.lpae ? "long format: bit 9, STATUS 0x10 (walk 0x15)" : "short format: FS 0b01000 (walk 0b01100)")
            << (c.write ? ", WnR in bit 11" : "") << "; got " << hex(external_abort_fsr(c.lpae, c.walk, c.write));
}

// --- handle_guest_abort (inject_*, external_abort_fsr, vm_crash, try_emulate_mmio are fakes) --------
class GuestAbort : public Lab1 {
protected:
    static constexpr u32 VBAR = RAM + 0x2000;
    void SetUp() override {
        Lab1::SetUp();
        cpu().set(reg::VBAR, VBAR);
    }
    // A status that shows which arguments external_abort_fsr() got.
    static u32 fake_fsr(bool lpae, bool walk, bool write) { return 0xf5000000u | (lpae << 8) | (walk << 4) | write; }
    Record<&inject_data_abort> dabt;
    Record<&inject_prefetch_abort> pabt;
    Record<&external_abort_fsr> fsr{fake_fsr};
    Record<&vm_crash> crash;
    bool emulated = false;
    Record<&try_emulate_mmio> mmio{[this](Vcpu&, const Hsr&) { return emulated; }};
    void stop_policy() {
        config_ = *vm().config;
        config_.on_fault = FaultPolicy::Stop;
        vm().config = &config_;
    }
};

TEST_F(GuestAbort, StrayAccessIsReflected) {
    struct Case {
        u32 ttbcr, iss;
        bool lpae, walk, write;
    } cases[] = {
        {0, 0, false, false, false},
        {0, hsr_bits::WNR, false, false, true},
        {0, hsr_bits::S1PTW | hsr_bits::WNR, false, true, false},  // a walk is a read, whatever WnR says
        {0x7fffffffu, hsr_bits::WNR, false, false, true},          // only TTBCR bit 31 is EAE
        {1u << 31, 0, true, false, false},
        {1u << 31, hsr_bits::S1PTW, true, true, false},
        {(1u << 31) | 0x3, hsr_bits::WNR | 0x1c0004, true, false, true},
    };
    for (const Case& c : cases) {
        dabt.calls.clear();
        fsr.calls.clear();
        cpu().set(reg::TTBCR, c.ttbcr);
        cpu().set(reg::HDFAR, 0x0a000040);
        cpu().set(reg::HIFAR, 0x0badf00d);
        guest_at(RAM + 0xa0);
        handle_guest_abort(vcpu(), good_decode(hsr(0x24, c.iss)));
        std::string ctx = "handle_guest_abort(data abort, ISS " + hex(c.iss) + ", TTBCR " + hex(c.ttbcr) + "): ";
        ASSERT_EQ(fsr.calls.size(), 1u) << ctx << "the status comes from external_abort_fsr(), once";
        EXPECT_EQ(fsr.calls[0], std::make_tuple(c.lpae, c.walk, c.write))
            << ctx << "external_abort_fsr(lpae = TTBCR bit 31, on_table_walk = ISS bit 7, write = ISS bit 6 unless a walk): expected ("
            << c.lpae << ", " << c.walk << ", " << c.write << "), got (" << std::get<0>(fsr.calls[0]) << ", "
            << std::get<1>(fsr.calls[0]) << ", " << std::get<2>(fsr.calls[0]) << ")";
        ASSERT_EQ(dabt.calls.size(), 1u) << ctx << "inject_data_abort(), once";
        auto [v, far, status] = dabt.calls[0];
        EXPECT_EQ(v, &vcpu());
        EXPECT_EQ(far, 0x0a000040u) << ctx << "far = HDFAR, got " << hex(far);
        EXPECT_EQ(status, fake_fsr(c.lpae, c.walk, c.write)) << ctx << "fsr = what external_abort_fsr() returned, got " << hex(status);
    }
    EXPECT_TRUE(pabt.calls.empty()) << "a data abort is not a prefetch abort";
    for (u32 iss : {0u, hsr_bits::WNR, hsr_bits::S1PTW, hsr_bits::S1PTW | hsr_bits::WNR}) {
        pabt.calls.clear();
        fsr.calls.clear();
        cpu().set(reg::TTBCR, 1u << 31);
        cpu().set(reg::HIFAR, 0x0a000100);
        cpu().set(reg::HDFAR, 0x0badf00d);
        guest_at(0x0a000100);
        handle_guest_abort(vcpu(), good_decode(hsr(0x20, iss)));
        std::string ctx = "handle_guest_abort(prefetch abort, ISS " + hex(iss) + "): ";
        ASSERT_EQ(pabt.calls.size(), 1u) << ctx << "inject_prefetch_abort(), once";
        EXPECT_EQ(std::get<1>(pabt.calls[0]), 0x0a000100u) << ctx << "ifar = HIFAR";
        bool walk = (iss & hsr_bits::S1PTW) != 0;
        ASSERT_EQ(fsr.calls.size(), 1u) << ctx << "external_abort_fsr(), once";
        EXPECT_EQ(fsr.calls[0], std::make_tuple(true, walk, false)) << ctx << "a fetch is never a write; on_table_walk = ISS bit 7";
        EXPECT_EQ(std::get<2>(pabt.calls[0]), fake_fsr(true, walk, false)) << ctx << "fsr = what external_abort_fsr() returned";
    }
    EXPECT_TRUE(crash.calls.empty()) << "a reflected abort does not crash the VM";
}

TEST_F(GuestAbort, AbortAtTheVectorsOrUnderStopPolicyCrashes) {
    for (u32 off : {0x0u, 0x4u, 0x1fu}) {
        crash.calls.clear();
        cpu().set(reg::HIFAR, VBAR + off);
        guest_at(VBAR + off, UND);
        handle_guest_abort(vcpu(), good_decode(hsr(0x20)));
        ASSERT_EQ(crash.calls.size(), 1u) << "a fetch fault at VBAR + " << hex(off) << " is in the guest's vector table: vm_crash()";
        EXPECT_EQ(std::get<0>(crash.calls[0]), &vm());
        EXPECT_EQ(std::get<1>(crash.calls[0]), "prefetch abort at its own exception vector " + hex(VBAR + off))
            << "vm_crash()'s message, exactly (the Crash.* scenarios read it)";
    }
    for (u32 far : {VBAR + 0x20, VBAR - 4}) {
        crash.calls.clear();
        cpu().set(reg::HIFAR, far);
        guest_at(far);
        handle_guest_abort(vcpu(), good_decode(hsr(0x20)));
        EXPECT_TRUE(crash.calls.empty()) << "a fetch fault at " << hex(far) << " is outside the 32 bytes at VBAR " << hex(VBAR) << ": reflect it";
    }
    cpu().set(reg::SCTLR, SCTLR_V);
    crash.calls.clear();
    pabt.calls.clear();
    cpu().set(reg::HIFAR, 0xffff0008);
    handle_guest_abort(vcpu(), good_decode(hsr(0x20)));
    EXPECT_EQ(crash.calls.size(), 1u) << "SCTLR.V: the vectors are at 0xffff0000: a fetch fault at 0xffff0008 crashes";
    cpu().set(reg::HIFAR, VBAR + 4);
    handle_guest_abort(vcpu(), good_decode(hsr(0x20)));
    EXPECT_EQ(pabt.calls.size(), 1u) << "SCTLR.V: VBAR + 4 is not a vector then: reflect it";
    cpu().set(reg::SCTLR, 0);
    crash.calls.clear();
    cpu().set(reg::HDFAR, VBAR + 4);
    handle_guest_abort(vcpu(), good_decode(hsr(0x24)));
    EXPECT_TRUE(crash.calls.empty()) << "only a fetch at the vectors crashes; a data access there is reflected";

    stop_policy();
    crash.calls.clear();
    dabt.calls.clear();
    pabt.calls.clear();
    cpu().set(reg::HDFAR, 0x0a000000);
    guest_at(RAM + 0x10);
    handle_guest_abort(vcpu(), good_decode(hsr(0x24, hsr_bits::WNR)));
    ASSERT_EQ(crash.calls.size(), 1u) << "on_fault = Stop: vm_crash(), once";
    EXPECT_EQ(std::get<1>(crash.calls[0]), "data abort at 0xa000000: its stage-2 map does not allow it (pc " + hex(RAM + 0x10) + ")")
        << "vm_crash()'s message, exactly (the Crash.* scenarios read it)";
    cpu().set(reg::HIFAR, 0x0a000000);
    guest_at(0x0a000000);
    handle_guest_abort(vcpu(), good_decode(hsr(0x20)));
    ASSERT_EQ(crash.calls.size(), 2u) << "on_fault = Stop: vm_crash() for a fetch too";
    EXPECT_EQ(std::get<1>(crash.calls[1]), "prefetch abort at 0xa000000: its stage-2 map does not allow it (pc 0xa000000)");
    EXPECT_TRUE(dabt.calls.empty() && pabt.calls.empty()) << "a stopped VM is not sent the abort";
}

TEST_F(GuestAbort, MmioEmulationComesFirst) {
    emulated = true;
    stop_policy();
    cpu().set(reg::HDFAR, 0x09000000);
    handle_guest_abort(vcpu(), good_decode(hsr(0x24, 0x1c0004)));
    ASSERT_EQ(mmio.calls.size(), 1u) << "handle_guest_abort offers the access to try_emulate_mmio() first";
    EXPECT_EQ(std::get<0>(mmio.calls[0]), &vcpu());
    EXPECT_EQ(std::get<1>(mmio.calls[0]).iss, 0x1c0004u) << "try_emulate_mmio() gets the trap's Hsr";
    EXPECT_TRUE(crash.calls.empty() && dabt.calls.empty() && fsr.calls.empty())
        << "try_emulate_mmio() returned true: the access was emulated, nothing else happens (not even under on_fault = Stop)";
    emulated = false;
    handle_guest_abort(vcpu(), good_decode(hsr(0x24, 0x1c0004)));
    EXPECT_EQ(crash.calls.size(), 1u) << "try_emulate_mmio() returned false: go on (on_fault = Stop: vm_crash)";
}

// --- End to end: the real functions together (each also has its own tests above) ----------------
using Lab1EndToEnd = Lab1;

TEST_F(Lab1EndToEnd, HypercallsThroughTheTrapPath) {
    vcpu().r(0) = PSCI_VERSION;
    guest_at(RAM + 0x104);
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().r(0), MV_PSCI_VERSION_1_0) << "handle_trap -> handle_hvc -> psci_call";
    EXPECT_EQ(vcpu().trap_count[0x12], 1u);
    poke(RAM + 0x1001, "hello, console\n");
    vcpu().r(0) = MV_CALL_CONSOLE_WRITE;
    vcpu().r(1) = RAM + 0x1001;
    vcpu().r(2) = 15;
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().r(0), 15u) << "handle_trap -> handle_hvc -> hc_console_write -> console_write -> guest_copy_in";
    EXPECT_NE(cpu().console.find("hello, console"), std::string::npos) << "console: " << cpu().console;
    vcpu().r(0) = MV_CALL_CONSOLE_WRITE;
    vcpu().r(1) = RAM_END - 8;
    vcpu().r(2) = 16;
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().r(0), static_cast<u32>(MV_INVALID_ADDRESS)) << "a buffer straddling the end of RAM";
    vcpu().trap_count[0x01] = 7;
    vcpu().r(0) = MV_CALL_TRAP_COUNT;
    vcpu().r(1) = 0x01;
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vcpu().r(1), 7u) << "MV_CALL_TRAP_COUNT";
}

TEST_F(Lab1EndToEnd, TrapsReflectedToTheGuest) {
    cpu().set(reg::VBAR, RAM + 0x2000);
    guest_at(RAM + 0x300, SVC | T);
    handle_trap(vcpu(), hsr(0x13));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2004u) << "handle_trap -> handle_smc -> inject_undef";
    EXPECT_EQ(arch::banked_lr(Mode::und), RAM + 0x302u) << "a Thumb SMC: LR_und = SMC + 2";
    guest_at(RAM + 0x400);
    handle_trap(vcpu(), hsr(0x05));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2004u) << "class 0x05 has no handler: inject_undef";
    cpu().set(reg::HDFAR, 0x0a000040);
    guest_at(RAM + 0xa0);
    handle_trap(vcpu(), hsr(0x24, hsr_bits::WNR));
    EXPECT_EQ(vcpu().frame.elr, RAM + 0x2010u) << "handle_trap -> handle_guest_abort -> inject_data_abort";
    EXPECT_EQ(cpu().value_written("DFSR"), 0x808u);
    EXPECT_EQ(arch::banked_lr(Mode::abt), RAM + 0xa8u);
}

TEST_F(Lab1EndToEnd, PsciSystemResetAndOff) {
    guest_at(RAM + 0x800);
    vcpu().r(5) = 0x55;
    vcpu().r(0) = PSCI_SYSTEM_RESET;
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vm().state, VmState::running);
    EXPECT_EQ(vcpu().frame.elr, vm().config->entry) << "SYSTEM_RESET restarts at the entry point";
    EXPECT_EQ(vcpu().r(5), 0u) << "SYSTEM_RESET starts with fresh registers";
    vcpu().r(0) = PSCI_SYSTEM_OFF;
    handle_trap(vcpu(), hsr(0x12));
    EXPECT_EQ(vm().state, VmState::powered_off);
    EXPECT_NE(vcpu().state, VcpuState::runnable) << "a powered-off VM's vCPU must not run";
}

}  // namespace
