# SPDX-License-Identifier: MIT
# Lab selection: for each lab of labs/manifest.json, take its lab files from
# the student tree (microvisor/) or from reference-solution/.
#
#   MV_SOLUTION = reference | student | <list of lab ids taken from the reference>
#
# Sets MV_LAB_SOURCES (absolute paths), MV_REFERENCE_LABS, MV_BUILD_FLAVOR,
# MV_LAB_IDS, MV_LAB_<id>_FILES (relative) and MV_LAB_<id>_SOURCES (absolute, the chosen variant),
# MV_LAB_<id>_GUEST_SOURCES (a lab's guest_files, absolute, the chosen variant).
file(READ ${MV_TOP}/labs/manifest.json _manifest)
# A project that reads the manifest configures again when it changes (a lab file added or moved).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${MV_TOP}/labs/manifest.json)
string(JSON _nlabs LENGTH "${_manifest}" labs)
math(EXPR _last "${_nlabs} - 1")

set(MV_LAB_IDS "")
foreach(_i RANGE ${_last})
    string(JSON _id GET "${_manifest}" labs ${_i} id)
    list(APPEND MV_LAB_IDS ${_id})
endforeach()

if(NOT DEFINED MV_SOLUTION OR MV_SOLUTION STREQUAL "")
    if(EXISTS ${MV_TOP}/reference-solution)
        set(MV_SOLUTION reference)
    else()
        set(MV_SOLUTION student)
    endif()
endif()
if(MV_SOLUTION STREQUAL "reference")
    set(MV_REFERENCE_LABS ${MV_LAB_IDS})
elseif(MV_SOLUTION STREQUAL "student")
    set(MV_REFERENCE_LABS "")
else()
    string(REPLACE "," ";" MV_REFERENCE_LABS "${MV_SOLUTION}")
endif()

set(MV_LAB_SOURCES "")
foreach(_i RANGE ${_last})
    string(JSON _id GET "${_manifest}" labs ${_i} id)
    string(JSON _nfiles LENGTH "${_manifest}" labs ${_i} files)
    math(EXPR _flast "${_nfiles} - 1")
    set(MV_LAB_${_id}_FILES "")
    set(MV_LAB_${_id}_SOURCES "")
    foreach(_f RANGE ${_flast})
        string(JSON _file GET "${_manifest}" labs ${_i} files ${_f})
        list(APPEND MV_LAB_${_id}_FILES ${_file})
        if(_id IN_LIST MV_REFERENCE_LABS)
            if(NOT EXISTS ${MV_TOP}/reference-solution/${_file})
                message(FATAL_ERROR "MV_SOLUTION=${MV_SOLUTION} takes lab ${_id} from the reference, "
                        "but reference-solution/${_file} does not exist (a student handout has no reference).")
            endif()
            list(APPEND MV_LAB_${_id}_SOURCES ${MV_TOP}/reference-solution/${_file})
        else()
            list(APPEND MV_LAB_${_id}_SOURCES ${MV_TOP}/microvisor/${_file})
        endif()
    endforeach()
    list(APPEND MV_LAB_SOURCES ${MV_LAB_${_id}_SOURCES})
    # Lab files of a guest (Lab 6: the Linux driver's), relative to the top:
    # the student's at that path, the reference's under reference-solution/.
    set(MV_LAB_${_id}_GUEST_SOURCES "")
    string(JSON _nguest ERROR_VARIABLE _noguest LENGTH "${_manifest}" labs ${_i} guest_files)
    if(NOT _noguest AND _nguest GREATER 0)
        math(EXPR _glast "${_nguest} - 1")
        foreach(_g RANGE ${_glast})
            string(JSON _file GET "${_manifest}" labs ${_i} guest_files ${_g})
            if(_id IN_LIST MV_REFERENCE_LABS)
                list(APPEND MV_LAB_${_id}_GUEST_SOURCES ${MV_TOP}/reference-solution/${_file})
            else()
                list(APPEND MV_LAB_${_id}_GUEST_SOURCES ${MV_TOP}/${_file})
            endif()
        endforeach()
    endif()
endforeach()

# A stub's parameters are unused until the student writes the body: lab files
# are the one place -Wunused-parameter is off. (Source properties belong to a
# directory: call this where the targets that compile them are made.)
function(mv_lab_file_flags)
    set_source_files_properties(${MV_LAB_SOURCES} PROPERTIES COMPILE_OPTIONS -Wno-unused-parameter)
endfunction()

if(MV_REFERENCE_LABS STREQUAL MV_LAB_IDS)
    set(MV_BUILD_FLAVOR "reference")
elseif(MV_REFERENCE_LABS STREQUAL "")
    set(MV_BUILD_FLAVOR "student")
else()
    string(REPLACE ";" "," _r "${MV_REFERENCE_LABS}")
    set(MV_BUILD_FLAVOR "student, labs ${_r} from the reference")
endif()
