// SPDX-License-Identifier: MIT
// Lab 2: saving and restoring the guest state that stays in the hardware while a vCPU runs.
#include "kernel/context.hpp"

#include "arch.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"

namespace mv {
namespace {

void save_mode(BankedMode& b, Mode m) {
    b.sp = arch::banked_sp(m);
    b.lr = arch::banked_lr(m);
    b.spsr = arch::banked_spsr(m);
}

void load_mode(const BankedMode& b, Mode m) {
    arch::set_banked_sp(m, b.sp);
    arch::set_banked_lr(m, b.lr);
    arch::set_banked_spsr(m, b.spsr);
}

}  // namespace

void save_context(Vcpu& vcpu) {
    GuestContext& c = vcpu.ctx;
#pragma GCC unroll 5  // each mode a constant: the banked accesses become single MRS instructions
    for (const auto& b : BANKED_MODES) save_mode(c.*b.field, b.mode);
    for (unsigned n = 8; n <= 12; ++n) c.r8_12_fiq[n - 8] = arch::fiq_reg(n);
#define SAVE(field, r) c.field = arch::read<reg::r>();
#define SAVE_64(field, r) c.field = arch::read64<reg::r>();
    MV_GUEST_CP15(SAVE)
    MV_GUEST_CP15_64(SAVE_64)
#undef SAVE
#undef SAVE_64

    // Stop the virtual timer while the vCPU is away, so that it does not
    // signal into another vCPU's time; its value stays in cntv_cval.
    c.cntv_ctl = arch::read<reg::CNTV_CTL>();
    c.cntv_cval = arch::read64<reg::CNTV_CVAL>();
    arch::write<reg::CNTV_CTL>(0);
}

void restore_context(const Vcpu& vcpu) {
    const GuestContext& c = vcpu.ctx;
#pragma GCC unroll 5
    for (const auto& b : BANKED_MODES) load_mode(c.*b.field, b.mode);
    for (unsigned n = 8; n <= 12; ++n) arch::set_fiq_reg(n, c.r8_12_fiq[n - 8]);
#define LOAD(field, r) arch::write<reg::r>(c.field);
#define LOAD_64(field, r) arch::write64<reg::r>(c.field);
    MV_GUEST_CP15(LOAD)
    MV_GUEST_CP15_64(LOAD_64)
#undef LOAD
#undef LOAD_64

    // The VM's offset first, then the compare value, then enable: the timer
    // never compares against another VM's view of time.
    arch::write64<reg::CNTVOFF>(vcpu.vm->cntvoff);
    arch::write64<reg::CNTV_CVAL>(c.cntv_cval);
    arch::write<reg::CNTV_CTL>(c.cntv_ctl);
    arch::isb();
}

}  // namespace mv
