// SPDX-License-Identifier: MIT
// The fixture of host tests: a fresh fake CPU and one VM with one vCPU.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "arch.hpp"
#include "kernel/hsr.hpp"
#include "kernel/registry.hpp"
#include "kernel/system.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mvtest {

/// The one-VM test system (common/test_system_one_vm.cpp draws its memory):
/// RAM mapped 1:1 at RAM_BASE, RAM elsewhere at SCATTERED (two 2 MiB blocks
/// whose physical order is the reverse of their guest-physical order), a
/// read-only block at READ_ONLY and a device region at DEVICE_BASE.
inline constexpr mv::u32 RAM_BASE = 0x48000000, RAM_SIZE = 0x00800000;
inline constexpr mv::u32 SCATTERED = 0x60000000;
inline constexpr mv::u32 READ_ONLY = 0x61000000;
inline constexpr mv::u32 DEVICE_BASE = 0x0a000000;
inline constexpr mv::u32 TOP = 0xffe00000;  ///< RAM up to the last byte of the address space; more at 0

class HostTest : public ::testing::Test {
protected:
    void SetUp() override;

    mv::Vm& vm(mv::u32 i = 0);
    mv::Vcpu& vcpu(mv::u32 i = 0);  ///< vCPU i of the whole system (vcpu_pool)
    mv::fake::Cpu& cpu() { return mv::fake::cpu(); }

    /// Put bytes into the VM's RAM at guest-physical `gpa`.
    void poke(mv::u32 gpa, const std::string& bytes);

    /// The guest was interrupted in SVC mode, ARM state, at `pc`.
    void guest_at(mv::u32 pc, mv::u32 cpsr = 0x13);
};

/// While alive, a test may change the program's registry through it (its
/// own trap handlers, vendor calls, PSCI functions, or none), to test a
/// dispatcher apart from the handlers; then the image's entries are back.
/// (The registry is a plain object that registry() hands out read-only:
/// writing it through a const_cast is defined, and done only here.)
class RegistryOverride {
public:
    RegistryOverride() : saved_(registry()) {}
    ~RegistryOverride() { registry() = saved_; }
    RegistryOverride(const RegistryOverride&) = delete;
    RegistryOverride& operator=(const RegistryOverride&) = delete;
    mv::Registry* operator->() { return &registry(); }
    /// No entry at all: every class, vendor call and PSCI function unhandled.
    void clear() { registry() = mv::Registry{}; }

private:
    static mv::Registry& registry() { return const_cast<mv::Registry&>(mv::registry()); }
    mv::Registry saved_;
};

/// An HSR value: exception class, IL, ISS.
constexpr mv::u32 hsr(mv::u32 ec, mv::u32 iss = 0, bool il = true) {
    return (ec << 26) | (il ? 1u << 25 : 0) | (iss & 0x01ffffff);
}

/// The same, already split into an Hsr, for the tests of labs after Lab 1:
/// they must not depend on Lab 1's decode_hsr() (a student may start there).
inline mv::Hsr decoded(mv::u32 ec, mv::u32 iss = 0, bool il = true) {
    mv::Hsr h{};
    h.raw = hsr(ec, iss, il);
    h.ec = static_cast<mv::Ec>(ec);
    h.il = il;
    h.iss = iss & 0x01ffffff;
    return h;
}

/// r0-r3 as a hypercall left them.
struct HcRegs {
    mv::u32 r[4];
};

/// Call vendor function `fid` (an MV_CALL_*) from `v` as its guest would:
/// r0 = fid, r1-r3, a marker in r4. Every register but r0-r3, and ELR and
/// SPSR, must come back as it was (abi.h); failures say `what` the call was.
/// A function nothing registers is a failure that names `registrar`, the
/// file that should register it.
HcRegs call_vendor(mv::Vcpu& v, mv::u32 fid, mv::u32 r1, mv::u32 r2, mv::u32 r3, const std::string& what,
                   const char* registrar);

}  // namespace mvtest
