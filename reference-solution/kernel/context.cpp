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
    save_mode(c.svc, Mode::svc);
    save_mode(c.abt, Mode::abt);
    save_mode(c.und, Mode::und);
    save_mode(c.irq, Mode::irq);
    save_mode(c.fiq, Mode::fiq);
    for (unsigned n = 8; n <= 12; ++n) c.r8_12_fiq[n - 8] = arch::fiq_reg(n);

    c.sctlr = arch::read<reg::SCTLR>();
    c.cpacr = arch::read<reg::CPACR>();
    c.ttbcr = arch::read<reg::TTBCR>();
    c.dacr = arch::read<reg::DACR>();
    c.dfsr = arch::read<reg::DFSR>();
    c.ifsr = arch::read<reg::IFSR>();
    c.adfsr = arch::read<reg::ADFSR>();
    c.aifsr = arch::read<reg::AIFSR>();
    c.dfar = arch::read<reg::DFAR>();
    c.ifar = arch::read<reg::IFAR>();
    c.prrr = arch::read<reg::PRRR>();
    c.nmrr = arch::read<reg::NMRR>();
    c.vbar = arch::read<reg::VBAR>();
    c.contextidr = arch::read<reg::CONTEXTIDR>();
    c.tpidrurw = arch::read<reg::TPIDRURW>();
    c.tpidruro = arch::read<reg::TPIDRURO>();
    c.tpidrprw = arch::read<reg::TPIDRPRW>();
    c.csselr = arch::read<reg::CSSELR>();
    c.cntkctl = arch::read<reg::CNTKCTL>();
    c.ttbr0 = arch::read64<reg::TTBR0>();
    c.ttbr1 = arch::read64<reg::TTBR1>();
    c.par = arch::read64<reg::PAR>();

    // Stop the virtual timer while the vCPU is away, so that it does not
    // signal into another vCPU's time; its value stays in cntv_cval.
    c.cntv_ctl = arch::read<reg::CNTV_CTL>();
    c.cntv_cval = arch::read64<reg::CNTV_CVAL>();
    arch::write<reg::CNTV_CTL>(0);
}

void restore_context(const Vcpu& vcpu) {
    const GuestContext& c = vcpu.ctx;
    load_mode(c.svc, Mode::svc);
    load_mode(c.abt, Mode::abt);
    load_mode(c.und, Mode::und);
    load_mode(c.irq, Mode::irq);
    load_mode(c.fiq, Mode::fiq);
    for (unsigned n = 8; n <= 12; ++n) arch::set_fiq_reg(n, c.r8_12_fiq[n - 8]);

    arch::write<reg::SCTLR>(c.sctlr);
    arch::write<reg::CPACR>(c.cpacr);
    arch::write<reg::TTBCR>(c.ttbcr);
    arch::write<reg::DACR>(c.dacr);
    arch::write<reg::DFSR>(c.dfsr);
    arch::write<reg::IFSR>(c.ifsr);
    arch::write<reg::ADFSR>(c.adfsr);
    arch::write<reg::AIFSR>(c.aifsr);
    arch::write<reg::DFAR>(c.dfar);
    arch::write<reg::IFAR>(c.ifar);
    arch::write<reg::PRRR>(c.prrr);
    arch::write<reg::NMRR>(c.nmrr);
    arch::write<reg::VBAR>(c.vbar);
    arch::write<reg::CONTEXTIDR>(c.contextidr);
    arch::write<reg::TPIDRURW>(c.tpidrurw);
    arch::write<reg::TPIDRURO>(c.tpidruro);
    arch::write<reg::TPIDRPRW>(c.tpidrprw);
    arch::write<reg::CSSELR>(c.csselr);
    arch::write<reg::CNTKCTL>(c.cntkctl);
    arch::write64<reg::TTBR0>(c.ttbr0);
    arch::write64<reg::TTBR1>(c.ttbr1);
    arch::write64<reg::PAR>(c.par);

    // The VM's offset first, then the compare value, then enable: the timer
    // never compares against another VM's view of time.
    arch::write64<reg::CNTVOFF>(vcpu.vm->cntvoff);
    arch::write64<reg::CNTV_CVAL>(c.cntv_cval);
    arch::write<reg::CNTV_CTL>(c.cntv_ctl);
    arch::isb();
}

}  // namespace mv
