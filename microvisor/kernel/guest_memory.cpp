// SPDX-License-Identifier: MIT
// Lab 1: the one way the microvisor reads or writes a guest's memory.
#include "kernel/guest_memory.hpp"

#include "arch.hpp"
#include "lib/lab_todo.hpp"
#include "kernel/vm.hpp"
#include "kernel/vm_memory.hpp"

namespace mv {

// The contracts are in kernel/guest_memory.hpp. What you have:
//  - vm_translate(vm, gpa, pa, attrs) (kernel/vm_memory.hpp): where one
//    guest-physical address maps to in the VM's stage-2 map now, and what
//    the page allows (attrs.read, attrs.write, attrs.device);
//  - arch::phys_to_virt(pa): a pointer the microvisor can use for a physical address.
// Mappings come in 4 KiB pages: two pages next to each other in the guest
// may be far apart in physical memory. Nothing is copied unless the whole
// buffer is allowed. A length of 0 copies nothing and succeeds. Beware:
// gpa + len can wrap around 4 GiB.
bool guest_copy_in(const Vm& vm, void* dst, u32 gpa, u32 len) {
    MV_LAB_TODO(1);
}

bool guest_copy_out(const Vm& vm, u32 gpa, const void* src, u32 len) {
    MV_LAB_TODO(1);
}

}  // namespace mv
