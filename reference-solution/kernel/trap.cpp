// SPDX-License-Identifier: MIT
// Lab 1: dispatching traps on the exception class.
#include "kernel/trap.hpp"

#include "kernel/reflect.hpp"
#include "kernel/vcpu.hpp"

namespace mv {
namespace {

// A class the microvisor does not handle is an undefined instruction to the
// guest, exactly as on a CPU without the feature: the trapped instruction is
// at ELR_hyp.
void undefined(Vcpu& vcpu, const Hsr&) { inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb()); }

struct TrapTable {
    TrapHandler handler[64];
};

constexpr TrapTable make_trap_table() {
    TrapTable t{};
    for (TrapHandler& h : t.handler) h = undefined;
    t.handler[static_cast<u32>(Ec::wfx)] = handle_wfx;
    t.handler[static_cast<u32>(Ec::hcptr)] = handle_vfp_trap;  // Lab 2 uses it
    t.handler[static_cast<u32>(Ec::hvc)] = handle_hvc;
    t.handler[static_cast<u32>(Ec::smc)] = handle_smc;
    t.handler[static_cast<u32>(Ec::pabt_lower)] = handle_guest_abort;
    t.handler[static_cast<u32>(Ec::dabt_lower)] = handle_guest_abort;
    return t;
}

constexpr TrapTable trap_table = make_trap_table();

}  // namespace

void handle_trap(Vcpu& vcpu, u32 raw) {
    Hsr hsr = decode_hsr(raw);
    u32 ec = static_cast<u32>(hsr.ec);  // 6 bits: always inside the table
    ++vcpu.trap_count[ec];
    trap_table.handler[ec](vcpu, hsr);
}

}  // namespace mv
