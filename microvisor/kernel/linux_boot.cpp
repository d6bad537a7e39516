// SPDX-License-Identifier: MIT
// Lab 6: start a Linux VM by the Linux boot protocol.
#include "kernel/guest_memory.hpp"
#include "kernel/registry.hpp"
#include "kernel/vcpu.hpp"
#include "kernel/vm.hpp"
#include "lib/lab_todo.hpp"

namespace mv {

namespace {
constexpr u32 ZIMAGE_MAGIC = 0x016f2818;  // little-endian word at offset 0x24 of a zImage
constexpr u32 FDT_MAGIC = 0xd00dfeed;     // big-endian word 0 of a device tree
constexpr u32 be32(u32 v) { return __builtin_bswap32(v); }
}  // namespace

// vCPU 0 of Linux VM `vm` has been reset (Vcpu::reset): SVC mode, IRQs,
// FIQs and aborts masked, its MMU and caches off, pc at the zImage
// (vm.config->entry). Check what Linux would otherwise die on silently, read
// through the VM's own stage-2 map (guest_copy_in): the zImage's magic
// 0x016f2818 at entry + 0x24, and the device tree at vm.config->dtb, 8-byte
// aligned, with the magic 0xd00dfeed (big-endian) in its first word and its
// totalsize (the second word, big-endian) inside the VM's memory. If one of
// them is wrong: vm_crash() the VM saying which and return false. Otherwise
// set the registers of Documentation/arm/booting.rst: r0 = 0, r1 = the
// machine type (~0: none, the device tree describes the board), r2 = the
// tree; return true.
bool linux_boot(Vm& vm, Vcpu& boot) {
    const u32 dtb = vm.config->dtb;
    u32 magic = 0;
    if (!guest_copy_in(vm, &magic, vm.config->entry + 0x24, 4) || magic != ZIMAGE_MAGIC) {
        vm_crash(vm, "no zImage at %#x (magic %#x at +0x24, not 0x016f2818)", vm.config->entry, magic);
        return false;
    }
    u32 header[2] = {};
    if ((dtb & 7) != 0 || !guest_copy_in(vm, header, dtb, sizeof header) || be32(header[0]) != FDT_MAGIC) {
        vm_crash(vm, "no device tree at %#x", dtb);
        return false;
    }
    u8 last = 0;
    if (be32(header[1]) < 8 || !guest_copy_in(vm, &last, dtb + be32(header[1]) - 1, 1)) {
        vm_crash(vm, "the device tree at %#x (%#x bytes) does not fit in its memory", dtb, be32(header[1]));
        return false;
    }
    boot.r(0) = 0;
    boot.r(1) = ~0u;
    boot.r(2) = dtb;
    return true;
}

MV_LINUX_BOOT(linux_boot);

}  // namespace mv
