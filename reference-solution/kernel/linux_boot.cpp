// SPDX-License-Identifier: MIT
// Lab 6: start a Linux VM by the Linux boot protocol.
#include "kernel/linux_boot.hpp"

#include "kernel/guest_memory.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "lib/lab_todo.hpp"

namespace mv {

// vm_start() and vm_reset() have reset vCPU 0 of Linux VM `vm` (Vcpu::reset):
// SVC mode, IRQs, FIQs and aborts masked, MMU and caches off, pc at the
// zImage (vm.config->entry). Before Linux runs, check what it would otherwise
// die of silently, reading only through the VM's own stage-2 map
// (guest_copy_in, Lab 1), so that a wrong system image is a clear message:
//  - the zImage: the word ZIMAGE_MAGIC at entry + ZIMAGE_MAGIC_OFFSET;
//  - the device tree at vm.config->dtb: 8-byte aligned, FDT_MAGIC in its
//    first word, and all of it, totalsize bytes (its second word), in the
//    VM's memory, every page of it (totalsize at least 8; mind a size that
//    wraps around).
//    A device tree's words are big-endian (__builtin_bswap32).
// If one is wrong: vm_crash(vm, ...) with a message that names "zImage" or
// "device tree" and the address, and return false (the VM does not start).
// Otherwise set the registers booting.rst asks for: r0 = 0,
// r1 = LINUX_NO_MACHINE, r2 = the device tree; touch nothing else; return true.
bool linux_boot(Vm& vm, Vcpu& boot) {
    const u32 dtb = vm.config->dtb;
    u32 magic = 0;
    if (!guest_copy_in(vm, &magic, vm.config->entry + ZIMAGE_MAGIC_OFFSET, 4) || magic != ZIMAGE_MAGIC) {
        vm_crash(vm, "no zImage at %#x (magic %#x at +0x24, not 0x016f2818)", vm.config->entry, magic);
        return false;
    }
    u32 header[2] = {};
    if ((dtb & 7) != 0 || !guest_copy_in(vm, header, dtb, sizeof header) || __builtin_bswap32(header[0]) != FDT_MAGIC) {
        vm_crash(vm, "no device tree at %#x", dtb);
        return false;
    }
    const u32 size = __builtin_bswap32(header[1]);
    bool fits = size >= 8 && size - 1 <= ~dtb;
    // One byte of each page it spans: a map has no holes within a page.
    for (u32 page = dtb & ~0xfffu; fits; page += 0x1000) {
        u8 byte = 0;
        fits = guest_copy_in(vm, &byte, page < dtb ? dtb : page, 1);
        if (page == ((dtb + size - 1) & ~0xfffu)) break;
    }
    if (!fits) {
        vm_crash(vm, "the device tree at %#x (%#x bytes) does not fit in its memory", dtb, size);
        return false;
    }
    boot.r(0) = 0;
    boot.r(1) = LINUX_NO_MACHINE;
    boot.r(2) = dtb;
    return true;
}

}  // namespace mv
