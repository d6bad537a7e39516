# SPDX-License-Identifier: MIT
# The microvisor's source files, by what each lab adds to it.
#
# A system image built for lab N (its description's `lab = N`) links:
#   - the core (MV_CORE_*), Lab 1's mechanisms included: every image traps;
#   - for each lab k <= N: what lab k adds (MV_LAB<k>_ADDS*) and lab k's lab
#     files (labs/manifest.json: the student's or the reference's);
#   - for each lab k > N: its stand-in (MV_LAB<k>_STAND_IN), from staging/.
# This is all of the course's staging (staging/README.md). mv_sources() below
# turns a lab level into the list of groups; the generic groups are also
# compiled for the host, against arch/fake.
#
# Catch-up (make catchup-kit; book: instructor's guide): when catchup/catchup.cmake
# exists, the labs it names (MV_CATCHUP_LABS) link the reference's prebuilt objects
# of their lab files, catchup/lab<k>/<generic|armv7>/<file>.o, instead of compiling
# them: a student who did not finish an earlier lab can still do a later one.
set(MV_CORE_GENERIC
    kernel/base_services.cpp
    kernel/console.cpp
    kernel/console_input.cpp
    kernel/cp15_traps.cpp
    kernel/device_port.cpp
    kernel/panic.cpp
    kernel/registry.cpp
    kernel/system.cpp
    kernel/trap_entry.cpp
    kernel/trap_report.cpp
    kernel/trace.cpp
    kernel/vcpu.cpp
    kernel/vm.cpp
    lib/format.cpp)
set(MV_CORE_ARMV7
    arch/armv7/boot.S
    arch/armv7/hyp_mmu.cpp
    arch/armv7/machine.cpp
    arch/armv7/vectors.S
    arch/armv7/vfp.cpp
    drivers/pl011.cpp
    kernel/main.cpp
    lib/string.cpp)
# Lab 2 (vCPU): the scheduler and what it offers guests.
set(MV_LAB2_ADDS kernel/scheduler.cpp kernel/vcpu_services.cpp)
set(MV_LAB2_ADDS_ARMV7 drivers/gic.cpp)
set(MV_LAB2_STAND_IN staging/one_at_a_time.cpp)
# Lab 3 (vMMU): each VM's own Stage2, its memory calls, the emulated PL011.
set(MV_LAB3_ADDS kernel/memory_services.cpp kernel/vm_memory.cpp mm/table_pool.cpp vdev/vpl011.cpp)
set(MV_LAB3_STAND_IN staging/coarse_map.cpp)
# Lab 4 (vIRQ): the virtual distributor, its hypercalls and MMIO registers, and
# the glue that makes the list registers follow a vCPU (kernel/virq.cpp). Below
# Lab 4 an image has no virtual interrupts: nothing stands in for them.
set(MV_LAB4_ADDS kernel/virq.cpp kernel/virq_services.cpp vdev/vgic.cpp)
# Lab 5 (channels): the channel hypercalls (the queues are the lab file,
# kernel/channel.cpp). Below Lab 5 an image has no channels: nothing stands in.
set(MV_LAB5_ADDS kernel/channel_services.cpp)
# Lab 6 (paravirtualised Linux): the Linux boot protocol.
set(MV_LAB6_ADDS kernel/cp14_traps.cpp kernel/linux_vm.cpp)

# The glob is checked again at each build: unpacking or removing catchup/ reconfigures.
file(GLOB MV_CATCHUP_FILE CONFIGURE_DEPENDS ${MV_TOP}/catchup/catchup.cmake)
set(MV_CATCHUP_LABS "")
if(MV_CATCHUP_FILE)
    include(${MV_CATCHUP_FILE})
    message(STATUS "Catch-up: labs ${MV_CATCHUP_LABS} from the reference's objects in catchup/")
endif()

# mv_groups(<out> <level>): the names of the groups an image of lab <level> links:
# core, lab<k> (what lab k adds, with its lab files) and stand_in<k>.
function(mv_groups out level)
    set(groups core)
    foreach(k ${MV_LAB_IDS})
        if(k LESS_EQUAL level)
            list(APPEND groups lab${k})
        elseif(DEFINED MV_LAB${k}_STAND_IN)
            list(APPEND groups stand_in${k})
        endif()
    endforeach()
    set(${out} ${groups} PARENT_SCOPE)
endfunction()

# mv_all_groups(<out>): every group, for the object libraries of a build.
function(mv_all_groups out)
    mv_groups(stand_ins 0)  # the core and every stand-in
    mv_groups(labs 99)      # the core and every lab
    list(APPEND stand_ins ${labs})
    list(REMOVE_DUPLICATES stand_ins)
    set(${out} ${stand_ins} PARENT_SCOPE)
endfunction()

# mv_group_sources(<out> <group> <generic|armv7> <root>): a group's sources, absolute.
function(mv_group_sources out group kind root)
    set(files "")
    if(group STREQUAL "core")
        set(files ${MV_CORE_GENERIC})
        if(kind STREQUAL "armv7")
            list(APPEND files ${MV_CORE_ARMV7})
        endif()
    elseif(group MATCHES "^lab([0-9]+)$")
        set(k ${CMAKE_MATCH_1})
        set(files ${MV_LAB${k}_ADDS})
        if(kind STREQUAL "armv7")
            list(APPEND files ${MV_LAB${k}_ADDS_ARMV7})
        endif()
    elseif(group MATCHES "^stand_in([0-9]+)$")
        set(files ${MV_LAB${CMAKE_MATCH_1}_STAND_IN})
    endif()
    list(TRANSFORM files PREPEND ${root}/)
    if(group MATCHES "^lab([0-9]+)$" AND NOT CMAKE_MATCH_1 IN_LIST MV_CATCHUP_LABS)
        list(APPEND files ${MV_LAB_${CMAKE_MATCH_1}_SOURCES})  # the lab's own files (Labs.cmake)
    endif()
    set(${out} ${files} PARENT_SCOPE)
endfunction()

# mv_group_objects(<out> <group> <generic|armv7>): the catch-up objects that stand in for
# the group's lab files (none unless the group is a catch-up lab). An object library does
# not pass prebuilt objects on: whoever links the group links these too.
function(mv_group_objects out group kind)
    set(objects "")
    if(group MATCHES "^lab([0-9]+)$" AND CMAKE_MATCH_1 IN_LIST MV_CATCHUP_LABS)
        set(k ${CMAKE_MATCH_1})
        if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
            message(FATAL_ERROR "catchup/ holds gcc objects; this ${CMAKE_CXX_COMPILER_ID} build cannot link "
                    "them (remove catchup/ to build it)")
        endif()
        foreach(f ${MV_LAB_${k}_FILES})
            set(o ${MV_TOP}/catchup/lab${k}/${kind}/${f}.o)
            if(NOT EXISTS ${o})
                message(FATAL_ERROR "catchup/catchup.cmake names lab ${k}, but ${o} is missing: unpack the whole "
                        "catch-up kit again, or remove catchup/")
            endif()
            list(APPEND objects ${o})
        endforeach()
    endif()
    set(${out} ${objects} PARENT_SCOPE)
endfunction()
