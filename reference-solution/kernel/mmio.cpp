// SPDX-License-Identifier: MIT
// Lab 3: trapped loads and stores on emulated devices.
#include "kernel/mmio.hpp"

#include "arch.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "kernel/registry.hpp"

namespace mv {

bool decode_mmio(const Hsr& hsr, u32 hpfar, u32 hdfar, MmioAccess& out) {
    using namespace hsr_bits;
    if ((hsr.iss & ISV) == 0) return false;            // no syndrome for this access
    if (((hsr.iss >> SAS_SHIFT) & 3) == 3) return false; // SAS 0b11 is reserved in ARMv7
    out.gpa = ((hpfar >> 4) << 12) | (hdfar & 0xfff);  // HPFAR[31:4] = IPA[39:12]
    out.size = 1u << ((hsr.iss >> SAS_SHIFT) & 3);     // byte, halfword, word
    out.sign_extend = (hsr.iss & SSE) != 0;
    out.reg = (hsr.iss >> SRT_SHIFT) & 0xf;
    out.write = (hsr.iss & WNR) != 0;
    return true;
}

bool emulate_mmio(Vcpu& vcpu, const Hsr& hsr) {
    MmioAccess a;
    if (!decode_mmio(hsr, arch::read<reg::HPFAR>(), arch::read<reg::HDFAR>(), a)) return false;
    if (a.reg == 15) return false;  // a load into the PC is no device access we emulate
    const Registry& r = registry();
    const MmioDevice* dev = nullptr;
    for (u32 i = 0; i < r.ndevices && dev == nullptr; ++i)
        if (a.gpa - r.device[i].base < r.device[i].size) dev = &r.device[i];
    if (dev == nullptr) return false;
    u32 offset = a.gpa - dev->base;
    if (a.write) {
        u32 mask = a.size == 4 ? 0xffffffffu : (1u << (8 * a.size)) - 1;
        dev->write(*vcpu.vm, offset, a.size, vcpu.reg(a.reg) & mask);
    } else {
        u32 v = dev->read(*vcpu.vm, offset, a.size);
        if (a.size < 4) {
            u32 bits = 8 * a.size;
            v &= (1u << bits) - 1;
            if (a.sign_extend && (v >> (bits - 1)) != 0) v |= ~0u << bits;
        }
        vcpu.set_reg(a.reg, v);
    }
    vcpu.skip_instruction(hsr.instr_len());
    return true;
}

}  // namespace mv
