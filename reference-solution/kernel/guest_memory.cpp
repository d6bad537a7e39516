// SPDX-License-Identifier: MIT
// Lab 1: the one way the microvisor reads or writes a guest's memory.
#include "kernel/guest_memory.hpp"

#include "arch.hpp"
#include "kernel/vm.hpp"
#include "kernel/vm_memory.hpp"

namespace mv {
namespace {

constexpr u32 PAGE = 0x1000;

constexpr u32 KEPT = 17;  // pages whose translation the copy keeps: a 64 KiB message at any alignment

// Check every page of [gpa, gpa + len) first, then copy page by page, so that
// a refused buffer changes nothing. Pages that follow each other in the guest
// may lie anywhere in physical memory: translate each one (once: the check
// keeps what it found for the copy, up to KEPT pages).
bool copy(const Vm& vm, u32 gpa, u32 len, u8* host, bool out) {
    if (len == 0) return true;
    u32 last;  // the buffer's last byte; computing it may wrap around 4 GiB
    if (__builtin_add_overflow(gpa, len - 1, &last)) return false;
    u64 kept[KEPT];
    u32 n = 0;
    for (u32 page = gpa & ~(PAGE - 1);; page += PAGE, ++n) {
        u64 pa;
        S2Attrs a;
        if (!vm_translate(vm, page, pa, a) || a.device || !a.read || (out && !a.write)) return false;
        if (n < KEPT) kept[n] = pa;
        if (page == (last & ~(PAGE - 1))) break;  // the last page: stop before page + PAGE wraps
    }
    for (u32 done = 0, i = 0; done < len; ++i) {
        u32 at = gpa + done;
        u32 chunk = PAGE - (at & (PAGE - 1));
        if (chunk > len - done) chunk = len - done;
        u64 pa;
        S2Attrs a;
        if (i < KEPT)
            pa = kept[i] | (at & (PAGE - 1));
        else
            vm_translate(vm, at, pa, a);
        u8* guest = arch::phys_to_virt(static_cast<u32>(pa));
        if (out)
            __builtin_memcpy(guest, host + done, chunk);
        else
            __builtin_memcpy(host + done, guest, chunk);
        done += chunk;
    }
    return true;
}

}  // namespace

bool guest_copy_in(const Vm& vm, void* dst, u32 gpa, u32 len) {
    return copy(vm, gpa, len, static_cast<u8*>(dst), false);
}

bool guest_copy_out(const Vm& vm, u32 gpa, const void* src, u32 len) {
    return copy(vm, gpa, len, static_cast<u8*>(const_cast<void*>(src)), true);
}

}  // namespace mv
