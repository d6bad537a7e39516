// SPDX-License-Identifier: MIT
// Lab 1: the console-write hypercall and the check of a guest buffer.
#include "arch.hpp"
#include "kernel/console.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "mv/abi.h"

namespace mv {

const u8* guest_range(const Vm& vm, u32 gpa, u32 len) {
    if (len == 0) return nullptr;
    u32 last;  // the buffer's last byte; computing it may wrap around 4 GiB
    if (__builtin_add_overflow(gpa, len - 1, &last)) return nullptr;
    for (u32 i = 0; i < vm.config->nregions; ++i) {
        const MemRegion& r = vm.config->regions[i];
        if (r.kind != MemKind::Ram) continue;
        if (gpa >= r.gpa && last <= r.gpa + (r.size - 1)) return arch::phys_to_virt(r.pa + (gpa - r.gpa));
    }
    return nullptr;
}

i32 console_write(Vcpu& vcpu, u32 gpa, u32 len) {
    if (len == 0) return 0;
    if (len > MV_CONSOLE_MAX) return MV_INVALID_PARAMETERS;
    const u8* buf = guest_range(*vcpu.vm, gpa, len);
    if (buf == nullptr) return MV_INVALID_ADDRESS;
    console_guest_write(*vcpu.vm, buf, len);
    return static_cast<i32>(len);
}

}  // namespace mv
