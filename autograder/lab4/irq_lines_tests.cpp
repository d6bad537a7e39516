// SPDX-License-Identifier: MIT
// Inter-VM interrupt lines (not a lab file yet): MV_CALL_VIRQ_RAISE and
// MV_CALL_VIRQ_FETCH as mv/abi.h states them, through the registry's vendor
// calls (kernel/virq_services.cpp over kernel/irq_lines.cpp), on the lines of
// the Lab 2 test system (common/test_system_lab2.cpp):
//   handle 0: VM a -> VM b, SPI 32    handle 2: VM c -> VM a, SPI 64
//   handle 1: VM b -> VM a, SPI 63    handle 3: VM a -> VM c, SPI 95
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "kernel/irq_lines.hpp"
#include "kernel/registry.hpp"
#include "mv/abi.h"

using namespace mv;

namespace {

constexpr u32 A = 0, B = 1, C = 2;  // VM ids
constexpr u32 LINES = 4;
constexpr u32 ISPENDR = 0x200, ICPENDR = 0x280;  // GICD offsets (IHI 0048B table 4-1)
// What the guest leaves in the registers a call does not name: they must come back as they were.
constexpr u32 KEEP2 = 0x2222aaaa, KEEP3 = 0x3333bbbb;  // markers; r4 holds call_vendor's

std::string hex(u64 v) { return fake::hex(v); }
std::string status(i32 s) { return hex(static_cast<u32>(s)); }

struct Line {
    u32 source, target, irq;
};
constexpr Line line[LINES] = {{A, B, 32}, {B, A, 63}, {C, A, 64}, {A, C, 95}};

class IrqLines : public mvtest::HostTest {
protected:
    void SetUp() override {
        HostTest::SetUp();
        ASSERT_EQ(system_config.nirq_lines, LINES) << "the test system has 4 interrupt lines";
        irq_lines_reset();
        for (u32 i = 0; i < system_config.nvms; ++i) vm(i).vgic.reset(vm(i).config->vcpus);
    }

    /// vCPU `c` of VM `id`.
    Vcpu& of(u32 id, u32 c = 0) { return vm(id).vcpus[c]; }

    using Regs = mvtest::HcRegs;

    /// How a failure names a call: "hc_virq_raise (0x86000004) by VM 0x0 vCPU 0x0, r1 0x3, r2 0x1".
    static std::string what(u32 fid, const Vcpu& v, u32 r1, u32 r2) {
        std::string s = fid == MV_CALL_VIRQ_RAISE ? "hc_virq_raise (" : "hc_virq_fetch (";
        s += hex(fid) + ") by VM " + hex(v.vm->id()) + " vCPU " + hex(v.id) + ", r1 " + hex(r1);
        return fid == MV_CALL_VIRQ_RAISE ? s + ", r2 " + hex(r2) : s;
    }

    /// Call vendor function `fid` from `v` as its guest would: r1, r2, a marker in r3 (common/host_fixture.hpp).
    Regs call(u32 fid, Vcpu& v, u32 r1, u32 r2 = KEEP2) {
        return mvtest::call_vendor(v, fid, r1, r2, KEEP3, what(fid, v, r1, r2), "kernel/virq_services.cpp");
    }

    /// Raise `handle` from `v`; r0 must be `expect`, r1-r3 as the guest left them.
    void raise(Vcpu& v, u32 handle, u32 payload, i32 expect = MV_OK) {
        std::string w = what(MV_CALL_VIRQ_RAISE, v, handle, payload);
        Regs r = call(MV_CALL_VIRQ_RAISE, v, handle, payload);
        EXPECT_EQ(status(static_cast<i32>(r.r[0])), status(expect)) << w << ": r0 is its status";
        EXPECT_EQ(hex(r.r[1]), hex(handle)) << w << ": r1 is left as it was";
        EXPECT_EQ(hex(r.r[2]), hex(payload)) << w << ": r2 is left as it was";
        EXPECT_EQ(hex(r.r[3]), hex(KEEP3)) << w << ": r3 is left as it was";
    }

    /// Fetch `handle` from `v`: r0 must be `expect`, r1 `payload` (0 unless r0 is MV_OK), r2-r3 as they were.
    void fetch(Vcpu& v, u32 handle, i32 expect, u32 payload) {
        std::string w = what(MV_CALL_VIRQ_FETCH, v, handle, 0);
        Regs r = call(MV_CALL_VIRQ_FETCH, v, handle);
        EXPECT_EQ(status(static_cast<i32>(r.r[0])), status(expect)) << w << ": r0 is its status";
        EXPECT_EQ(hex(r.r[1]), hex(payload)) << w << ": r1 is the payload"
                                             << (expect == MV_OK ? " (the OR of every raise since the last fetch)"
                                                                 : ", 0 when the fetch fails");
        EXPECT_EQ(hex(r.r[2]), hex(KEEP2)) << w << ": r2 is left as it was";
        EXPECT_EQ(hex(r.r[3]), hex(KEEP3)) << w << ": r3 is left as it was";
    }

    /// The SPIs pending in VM `id`'s distributor (GICD_ISPENDR1-2 as its vCPU 0 reads them).
    std::vector<u32> pending(u32 id) { return {vm(id).vgic.read(0, ISPENDR + 4, 4), vm(id).vgic.read(0, ISPENDR + 8, 4)}; }

    /// Exactly SPI `irq` pending in VM `target`, none in the other VMs (irq 0: none anywhere).
    void expect_pending_only(u32 target, u32 irq, const std::string& after) {
        for (u32 id = 0; id < system_config.nvms; ++id) {
            std::vector<u32> want = {0, 0};
            if (id == target && irq != 0) want[irq / 32 - 1] = 1u << (irq % 32);
            std::vector<u32> got = pending(id);
            for (u32 w = 0; w < 2; ++w)
                EXPECT_EQ(hex(got[w]), hex(want[w]))
                    << "after " << after << ": GICD_ISPENDR" << w + 1 << " of VM " << hex(id)
                    << (irq == 0 ? " (no SPI may be pending)"
                                 : " (only the line's SPI " + hex(irq) + ", in its target VM " + hex(target) + ")");
        }
    }

    /// The guest of VM `id` clears SPI `irq`'s pending state (GICD_ICPENDR).
    void clear_pending(u32 id, u32 irq) { vm(id).vgic.write(0, ICPENDR + 4 * (irq / 32), 4, 1u << (irq % 32)); }

    /// Every line's payload is `want` (fetched, so cleared, by each target).
    void expect_payloads(const u32 (&want)[LINES], const std::string& after) {
        for (u32 h = 0; h < LINES; ++h) {
            SCOPED_TRACE("after " + after + ": line " + hex(h) + "'s payload");
            fetch(of(line[h].target), h, MV_OK, want[h]);
        }
    }
};

TEST_F(IrqLines, PayloadsOrUntilFetchedThenClear) {
    raise(of(A), 0, 0x00000001);
    raise(of(A), 0, 0x80000000);
    raise(of(A, 1), 0, 0x00000001);  // any vCPU of the source VM
    raise(of(A), 3, 0x00f0f000);     // another line of the same source keeps its own payload
    fetch(of(B), 0, MV_OK, 0x80000001);
    fetch(of(B), 0, MV_OK, 0);  // cleared by the fetch
    raise(of(A), 0, 0x00000100);
    fetch(of(B), 0, MV_OK, 0x00000100);  // only what came after the last fetch
    fetch(of(C), 3, MV_OK, 0x00f0f000);
    fetch(of(C), 3, MV_OK, 0);
}

TEST_F(IrqLines, FetchBeforeAnyRaiseIsZero) {
    for (u32 h = 0; h < LINES; ++h) fetch(of(line[h].target), h, MV_OK, 0);
    expect_pending_only(0, 0, "fetches of lines never raised");
}

TEST_F(IrqLines, RaiseMakesTheTargetsSpiPending) {
    for (u32 h = 0; h < LINES; ++h) {
        SCOPED_TRACE("line " + hex(h));
        raise(of(line[h].source), h, 0x1u << h);
        expect_pending_only(line[h].target, line[h].irq, "a raise of line " + hex(h));
        fetch(of(line[h].target), h, MV_OK, 0x1u << h);
        expect_pending_only(line[h].target, line[h].irq, "the fetch of line " + hex(h) + " (it leaves the interrupt alone)");
        clear_pending(line[h].target, line[h].irq);
    }
}

TEST_F(IrqLines, RaiseIsAnEdgeThatCoalesces) {
    raise(of(A), 3, 0x1);
    raise(of(A), 3, 0x2);
    expect_pending_only(C, 95, "two raises of line 0x3 (they coalesce into one pending interrupt)");
    clear_pending(C, 95);
    expect_pending_only(0, 0, "the guest cleared SPI 0x5f by GICD_ICPENDR (an edge latches; a raise is no level held high)");
    raise(of(A), 3, 0x4);
    expect_pending_only(C, 95, "a raise after the guest cleared the pending state");
    fetch(of(C), 3, MV_OK, 0x7);
}

TEST_F(IrqLines, PayloadZeroStillRaises) {
    raise(of(B), 1, 0);
    expect_pending_only(A, 63, "a raise of line 0x1 with payload 0x0");
    fetch(of(A), 1, MV_OK, 0);
}

TEST_F(IrqLines, RaiseByANonSourceIsDeniedAndChangesNothing) {
    raise(of(A), 0, 0x10);
    clear_pending(B, 32);
    for (u32 h = 0; h < LINES; ++h)
        for (u32 id : {A, B, C}) {
            if (id == line[h].source) continue;
            SCOPED_TRACE("line " + hex(h) + " raised by VM " + hex(id) + ", not its source VM " + hex(line[h].source));
            raise(of(id), h, 0xffffffff, MV_DENIED);
            expect_pending_only(0, 0, "a denied raise");
        }
    expect_payloads({0x10, 0, 0, 0}, "denied raises");
}

TEST_F(IrqLines, FetchByANonTargetIsDeniedAndLeavesThePayload) {
    u32 payload[LINES] = {0x11, 0x2200, 0x330000, 0x44000000};
    for (u32 h = 0; h < LINES; ++h) raise(of(line[h].source), h, payload[h]);
    for (u32 h = 0; h < LINES; ++h)
        for (u32 id : {A, B, C}) {
            if (id == line[h].target) continue;
            SCOPED_TRACE("line " + hex(h) + " fetched by VM " + hex(id) + ", not its target VM " + hex(line[h].target));
            fetch(of(id), h, MV_DENIED, 0);
        }
    std::vector<u32> want_a = {1u << 31, 1u << 0}, want_b = {1u << 0, 0}, want_c = {0, 1u << 31};
    EXPECT_EQ(pending(A), want_a) << "denied fetches leave VM a's SPIs 0x3f and 0x40 pending";
    EXPECT_EQ(pending(B), want_b) << "denied fetches leave VM b's SPI 0x20 pending";
    EXPECT_EQ(pending(C), want_c) << "denied fetches leave VM c's SPI 0x5f pending";
    expect_payloads(payload, "denied fetches");
}

TEST_F(IrqLines, HandlesAtTheLimit) {
    // The last line is a line; the first handle past it, the payload array's size and all ones are not.
    raise(of(A), LINES - 1, 0x5);
    expect_pending_only(C, 95, "a raise of the last line, handle 0x3");
    clear_pending(C, 95);
    for (u32 handle : {LINES, MAX_IRQ_LINES, MAX_IRQ_LINES + 1, 0x80000000u, 0xffffffffu})
        for (u32 id : {A, B, C}) {
            SCOPED_TRACE("handle " + hex(handle) + ", not a line of the system (it has " + hex(LINES) + ")");
            raise(of(id), handle, 0xffffffff, MV_INVALID_PARAMETERS);
            fetch(of(id), handle, MV_INVALID_PARAMETERS, 0);
            expect_pending_only(0, 0, "a raise of a handle that is no line");
        }
    expect_payloads({0, 0, 0, 0x5}, "raises and fetches of handles that are no lines");
}

}  // namespace
