// SPDX-License-Identifier: MIT
// The fake arch for host tests: the arch interface of arch/armv7/arch.hpp,
// backed by a recording CPU model instead of hardware.
//
// Only host builds put this folder on the include path (before the generic
// code), so generic code compiles unchanged against it.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../armv7/sysregs.hpp"
#include "arch/armv7/psr.hpp"
#include "arch/armv7/vfp_state.hpp"
#include "lib/types.hpp"

namespace mv::fake {

/// One register write the code under test made, in order.
struct Write {
    std::string name;  ///< the Sysreg's name, or "LR_und", "SPSR_abt", "SP_svc"...
    u64 value;
};

/// The modelled CPU: system registers, the guest's banked registers, the console.
struct Cpu {
    std::vector<std::pair<Sysreg, u64>> sysregs;  ///< current values (absent reads as 0)
    u32 lr[32] = {}, sp[32] = {}, spsr[32] = {};  ///< banked, indexed by mode & 0x1f
    u32 fiq_r8_12[5] = {};                        ///< r8_fiq..r12_fiq
    VfpState vfp{};                               ///< the VFP register file
    unsigned vfp_saves = 0, vfp_loads = 0;
    std::vector<Write> writes;
    std::string console;
    std::string console_input;  ///< what console_getc() hands out
    u64 tlb_flushes = 0;
    u64 exclusive_clears = 0;  ///< CLREX executed
    std::vector<u8> tlb_vmid_flushes;  ///< one entry per flush_vmid_tlb(), in order
    /// Everything ordering-sensitive the code under test did, in order, one
    /// line each: "write HCPTR 0x...", "isb", "dsb", "dsb ish",
    /// "tlbi vmid 0x1", "tlbi guest", "clrex". Tests check a sequence with it
    /// (an ISB after a trap-control write, break-before-make).
    /// arch::write_descriptor adds "pte <address> <- <value>" (break-before-make).
    std::vector<std::string> events;
    void event(const std::string& what) { events.push_back(what); }
    /// How a "pte" event names the entry: a test with a table pool gives the
    /// entry's physical address; unset, the event prints the host pointer.
    std::function<u64(const u64* entry)> descriptor_address;
    /// Called by arch::write_descriptor before the store, when set: a test
    /// looks at the tables as a walker would find them at that moment.
    std::function<void(const u64* entry, u64 value)> on_descriptor_write;

    u64 get(const Sysreg& r) const;
    void set(const Sysreg& r, u64 v);  ///< set without recording a write (test setup)
    u64 value_written(const std::string& name) const;  ///< last recorded write, or throws
    bool was_written(const std::string& name) const;
};

Cpu& cpu();
void reset_cpu();        ///< fresh CPU, empty console, guest RAM zeroed
std::string hex(u64 v);  ///< "0x..." as the events log prints values

/// Fake guest-physical RAM that phys_to_virt() serves: [RAM_BASE, RAM_BASE + RAM_SIZE).
inline constexpr u32 RAM_BASE = 0x48000000;
inline constexpr u32 RAM_SIZE = 0x01000000;
u8* ram();

/// arch::exit_system() throws this: the test sees the status and the console.
struct Exit : std::runtime_error {
    int status;
    Exit(int s, const std::string& what) : std::runtime_error(what), status(s) {}
};

}  // namespace mv::fake

namespace mv::arch {

template <const Sysreg& R>
inline u32 read() {
    static_assert(!R.wide && R.access != Access::wo);
    return static_cast<u32>(fake::cpu().get(R));
}
template <const Sysreg& R>
inline void write(u32 v) {
    static_assert(!R.wide && R.access != Access::ro);
    fake::cpu().writes.push_back({R.name, v});
    fake::cpu().event(std::string("write ") + R.name + " " + fake::hex(v));
    fake::cpu().set(R, v);
}
template <const Sysreg& R>
inline u64 read64() {
    static_assert(R.wide && R.access != Access::wo);
    return fake::cpu().get(R);
}
template <const Sysreg& R>
inline void write64(u64 v) {
    static_assert(R.wide && R.access != Access::ro);
    fake::cpu().writes.push_back({R.name, v});
    fake::cpu().event(std::string("write ") + R.name + " " + fake::hex(v));
    fake::cpu().set(R, v);
}

inline void isb() { fake::cpu().event("isb"); }
inline void clear_exclusive() {
    ++fake::cpu().exclusive_clears;
    fake::cpu().event("clrex");
}
inline void dsb() { fake::cpu().event("dsb"); }
inline void dsb_ish() { fake::cpu().event("dsb ish"); }
/// Records "pte <address> <- <value>" in events (after on_descriptor_write), then stores.
void write_descriptor(u64* entry, u64 value);

u32 banked_lr(Mode m);
void set_banked_lr(Mode m, u32 v);
u32 banked_sp(Mode m);
void set_banked_sp(Mode m, u32 v);
u32 banked_spsr(Mode m);
void set_banked_spsr(Mode m, u32 v);
u32 fiq_reg(unsigned n);
void set_fiq_reg(unsigned n, u32 v);
void vfp_save(VfpState& s);        ///< from fake::cpu().vfp
void vfp_load(const VfpState& s);  ///< into fake::cpu().vfp
void wait_for_interrupt();

[[noreturn]] void exit_system(int status);
[[noreturn]] void halt();
void enable_hyp_mmu();
void flush_guest_tlb();
void flush_vmid_tlb(u8 vmid);  ///< recorded in fake::cpu().tlb_vmid_flushes
[[noreturn]] void enter_guest();

inline u64 virt_to_phys(const void* p) { return reinterpret_cast<uintptr_t>(p); }
u8* phys_to_virt(u32 pa);  ///< inside the fake RAM, else throws std::out_of_range

}  // namespace mv::arch
