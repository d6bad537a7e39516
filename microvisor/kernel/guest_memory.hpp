// SPDX-License-Identifier: MIT
// The one way the microvisor reads or writes a guest's memory (Lab 1).
//
// Every hypercall that takes a guest buffer goes through these: they walk the
// VM's real stage-2 map (vm_translate()), page by page, so a page the guest
// unmapped, a device page or memory of another VM is refused, and a buffer
// whose pages are scattered in physical memory is copied right.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;

/// Copy guest-physical [gpa, gpa + len) of `vm` into `dst`. False, and
/// nothing copied, unless every byte is in a page mapped readable as RAM
/// (not device memory). (Lab 1)
bool guest_copy_in(const Vm& vm, void* dst, u32 gpa, u32 len);

/// Copy `len` bytes from `src` to guest-physical [gpa, gpa + len) of `vm`.
/// False, and nothing written, unless every byte is in a page mapped
/// writable as RAM. (Lab 1)
bool guest_copy_out(const Vm& vm, u32 gpa, const void* src, u32 len);

}  // namespace mv
