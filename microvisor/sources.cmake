# SPDX-License-Identifier: MIT
# The microvisor's source files (lab files come from labs/manifest.json).
# Generic code: also compiled for the host against arch/fake by the autograder.
set(MV_GENERIC_SOURCES
    kernel/console.cpp
    kernel/lab_gates.cpp
    kernel/panic.cpp
    kernel/scheduler_state.cpp
    kernel/system.cpp
    kernel/vcpu.cpp
    kernel/vendor_calls.cpp
    kernel/vm.cpp
    lib/format.cpp
    mm/boot_map.cpp
    mm/stage2_setup.cpp
    mm/table_pool.cpp
    vdev/vpl011.cpp)
# ARMv7 only: boot, entry, drivers, and the kernel code that drives them.
set(MV_ARMV7_SOURCES
    arch/armv7/banked.cpp
    arch/armv7/boot.S
    arch/armv7/hyp_mmu.cpp
    arch/armv7/machine.cpp
    arch/armv7/vectors.S
    arch/armv7/vfp.cpp
    drivers/gic.cpp
    drivers/pl011.cpp
    kernel/main.cpp
    kernel/schedule.cpp
    lib/string.cpp)
