# SPDX-License-Identifier: MIT
# The generic microvisor for the host, against the fake arch: used by the
# autograder (gcc) and the fuzzer (clang), which differ only in options.
#
# mv_host_microvisor(SANITIZE <opts...> KERNEL <opts...> FAKE_ARCH <opts...>)
#   mv_host_flags: what every host object is compiled and linked with;
#   mv_host_<group>: one object library per group of microvisor/sources.cmake
#     (object libraries: a registration is linked even though nothing calls it),
#     compiled with the KERNEL options;
#   mv_host_fake_arch: the recording CPU, compiled with the FAKE_ARCH options.
# mv_host_level(<target> <level>): link the microvisor of lab <level> into <target>
#   (with the catch-up objects of microvisor/sources.cmake, if any).
include(${MV_TOP}/microvisor/sources.cmake)

function(mv_host_microvisor)
    cmake_parse_arguments(H "" "" "SANITIZE;KERNEL;FAKE_ARCH" ${ARGN})
    add_library(mv_host_flags INTERFACE)
    target_include_directories(mv_host_flags INTERFACE
        ${MV_TOP}/microvisor/arch/fake ${MV_TOP}/microvisor ${MV_TOP}/microvisor/include)
    target_compile_options(mv_host_flags INTERFACE ${H_SANITIZE})
    target_link_options(mv_host_flags INTERFACE ${H_SANITIZE})
    target_compile_definitions(mv_host_flags INTERFACE MV_BUILD_FLAVOR="${MV_BUILD_FLAVOR}")
    mv_all_groups(groups)
    mv_lab_file_flags()
    foreach(group ${groups})
        mv_group_sources(files ${group} generic ${MV_TOP}/microvisor)
        if(NOT files)
            continue()  # a catch-up lab that adds nothing but its lab files: objects only
        endif()
        add_library(mv_host_${group} OBJECT ${files})
        target_link_libraries(mv_host_${group} PUBLIC mv_host_flags)
        target_compile_options(mv_host_${group} PRIVATE ${H_KERNEL} -fmacro-prefix-map=${MV_TOP}/=)
    endforeach()
    add_library(mv_host_fake_arch OBJECT ${MV_TOP}/microvisor/arch/fake/fake.cpp ${MV_TOP}/microvisor/arch/fake/gich.cpp)
    target_link_libraries(mv_host_fake_arch PUBLIC mv_host_flags)
    target_compile_options(mv_host_fake_arch PRIVATE ${H_FAKE_ARCH})
endfunction()

function(mv_host_level target level)
    target_link_libraries(${target} PRIVATE mv_host_fake_arch)
    mv_groups(groups ${level})
    foreach(g ${groups})
        if(TARGET mv_host_${g})
            target_link_libraries(${target} PRIVATE mv_host_${g})
        endif()
        mv_group_objects(objects ${g} generic)  # catch-up (microvisor/sources.cmake)
        target_sources(${target} PRIVATE ${objects})
    endforeach()
endfunction()
