# SPDX-License-Identifier: MIT
# The project's own checks, run by `make test` (ctest):
#  - grade.<flavor>: a reference build scores full marks on every lab (hidden tests included);
#  - staging.*: with lab k stubbed, lab k scores 0 and every failure names a
#    function to write; the lab before it still scores full marks (tools/staging-proof.sh: why that suffices);
#  - labs.same_functions: student and reference lab files define the same functions;
#  - labs.seeded_bugs_caught: the quick seeded bugs (autograder/lab<N>/seeds.py) lower
#    the lab's score; `make mutants` runs them all;
#  - handout.*, gradescope.*: the student edition builds alone and `make qemu` in it ends by
#    itself; `make gradescope LAB=1`'s run_autograder writes the results.json Gradescope asks for;
#  - system.*: `make qemu`'s demo ends by itself with status 0; a wrong system
#    description stops the build with file and line; gdb stops in the dispatcher;
#    a guest can neither end QEMU nor forge console lines (systems/attack.toml);
#  - system.attack.*: the adversarial suite, each attack contained beside a victim VM;
#  - measure.*: `make bench` and `make size` run and meet their targets;
#  - fuzz.trap_path_short: a short fixed-seed run of the trap fuzzer (autograder/fuzz).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(MV_GRADE ${Python3_EXECUTABLE} ${MV_TOP}/tools/grade.py --manifest ${MV_TOP}/labs/manifest.json)
# With the instructor's hidden tests (autograder/hidden/), the reference is graded on them too.
if(EXISTS ${MV_TOP}/autograder/hidden/manifest.json)
    set(_merged ${CMAKE_BINARY_DIR}/manifest-with-hidden.json)
    execute_process(COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/hidden-manifest.py ${MV_TOP}/labs/manifest.json
                            ${MV_TOP}/autograder/hidden/manifest.json ${_merged} COMMAND_ERROR_IS_FATAL ANY)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${MV_TOP}/labs/manifest.json ${MV_TOP}/autograder/hidden/manifest.json)
    set(MV_GRADE ${Python3_EXECUTABLE} ${MV_TOP}/tools/grade.py --manifest ${_merged})
endif()

if(MV_BUILD_FLAVOR STREQUAL "reference")
    add_test(NAME grade.reference_full_marks
             COMMAND ${MV_GRADE} --build-dir ${CMAKE_BINARY_DIR} --expect full
                     --results ${CMAKE_BINARY_DIR}/grade-results.json --junit ${CMAKE_BINARY_DIR}/grade-junit.xml)
endif()

if(EXISTS ${MV_TOP}/reference-solution)
    foreach(lab ${MV_LAB_IDS})
        # Lab 1 stubbed, with no earlier lab, is the handout's own tree: handout.builds_without_the_reference
        # grades it to zero already, and no lab before it can lose marks.
        if(lab EQUAL 1)
            continue()
        endif()
        add_test(NAME staging.lab${lab}_stubbed
                 COMMAND bash ${MV_TOP}/tools/staging-proof.sh ${MV_TOP} ${CMAKE_BINARY_DIR}/staging ${lab})
        set_tests_properties(staging.lab${lab}_stubbed PROPERTIES TIMEOUT 900 RUN_SERIAL ON)
    endforeach()

    # Both variants of every lab file, compiled for the host, for the symbol comparison.
    set(_student "")
    set(_reference "")
    foreach(lab ${MV_LAB_IDS})
        foreach(f ${MV_LAB_${lab}_FILES})
            list(APPEND _student ${MV_TOP}/microvisor/${f})
            list(APPEND _reference ${MV_TOP}/reference-solution/${f})
        endforeach()
    endforeach()
    foreach(v student reference)
        add_library(labfiles-${v} OBJECT ${_${v}})
        target_include_directories(labfiles-${v} PRIVATE
            ${MV_TOP}/microvisor/arch/fake ${MV_TOP}/microvisor ${MV_TOP}/microvisor/include)
        target_compile_options(labfiles-${v} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
    endforeach()
    add_test(NAME labs.seeded_bugs_caught
             COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/seeded-bugs.py --quick ${MV_TOP} ${CMAKE_BINARY_DIR}/seeded-bugs)
    set_tests_properties(labs.seeded_bugs_caught PROPERTIES TIMEOUT 1200 RUN_SERIAL ON)
    add_test(NAME labs.same_functions
             COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/lab-functions.py ${MV_TOP}/labs/manifest.json
                     --student "$<TARGET_OBJECTS:labfiles-student>"
                     --reference "$<TARGET_OBJECTS:labfiles-reference>")
endif()

# A student's handout passes these only once every lab works: they run on reference builds.
if(MV_BUILD_FLAVOR STREQUAL "reference")
    set(MV_RUN $<TARGET_FILE:mv-run>)
    add_test(NAME system.demo_boots_and_exits
             COMMAND bash -c "out=$(\"$0\" --timeout 60 \"$1\") ; rc=$? ; echo \"$out\" ; \
                 [ $rc -eq 0 ] || { echo \"expected exit status 0, got $rc\" ; exit 1 ; } ; \
                 for s in 'in HYP mode' 'Hello from VM 0' 'Hello from VM 1' 'all VMs powered off' ; do \
                   echo \"$out\" | grep -q \"$s\" || { echo \"expected '$s' on the console\" ; exit 1 ; } ; done"
                     ${MV_RUN} ${MV_IMAGE_DIR}/demo.elf)
    add_test(NAME system.bad_description_stops_the_build
             COMMAND bash ${MV_TOP}/tools/bad-description-test.sh ${MV_TOP} ${CMAKE_BINARY_DIR}/bad-description
                     $<TARGET_FILE:mv-sysgen>)
    set_tests_properties(system.bad_description_stops_the_build PROPERTIES TIMEOUT 300)
    add_test(NAME system.gdb_stops_in_the_dispatcher
             COMMAND bash ${MV_TOP}/tools/gdb-test.sh ${MV_IMAGE_DIR}/lab1-traps.elf)
    set_tests_properties(system.gdb_stops_in_the_dispatcher PROPERTIES TIMEOUT 120)
    add_test(NAME system.attack_semihosting_cannot_end_qemu
             COMMAND harness-attack-scenario --gtest_filter=Attack.SemihostingCannotEndQemu)
    add_test(NAME system.attack_forged_console_lines_fool_nobody
             COMMAND harness-attack-scenario --gtest_filter=Attack.ForgedConsoleLinesFoolNobody)
    set_tests_properties(system.attack_semihosting_cannot_end_qemu system.attack_forged_console_lines_fool_nobody
                         PROPERTIES TIMEOUT 120)
    # The adversarial suite: one attack per test beside a victim that measures its own rate
    # (autograder/harness/selftest/attack_scenario.cpp). A name ending in _KnownGap shows a gap
    # of the microvisor: skipped while the gap is there.
    foreach(t BaselineIsClean MemoryOfTheOtherVm MemoryOfTheMicrovisor PhysicalGicdGiccGichGicv
              EmulatedUartOddAccesses SetWayCacheOpsAndImpdefRegisters_KnownGap PmuRegisters
              TimerRegisters HypRegisters ThumbEeRegisters VirtualTimerCompareNearTheTop_KnownGap
              SmcWithGarbage PsciWithGarbage VendorCallsWithHostileArguments MemMapAndUnmapAimedAtOthers
              BlockSplitsExhaustOwnQuotaOnly FreedTablesStayOutOfReach
              SplitsThenResetGiveTheQuotaBack LongMemMapCallsAreChargedToTheCaller CpuHogWithIrqsMasked
              FaultInsideOwnVectorTable VectorsJumpToUnmappedMemory SmcStormInUndefVector StageTwoAbortLoop
              VbarAtUnmappedMemory OwnVectorPageUnmapped WfiForeverWithTimerOff WfiLoopWithExpiredMaskedTimer
              WfeLoop CpuOnWithBadEntry ResetLoop StageOneTablesNowhere VfpRegistersStayPerVm
              HypModeAndBankedRegisters EmulatedAccessesInThumbItBlocks TrappedWfiInThumbItBlock_KnownGap
              SecondVcpuTakesOneShareOnly HighVectors ExclusiveMonitorAcrossVmSwitches)
        string(REGEX REPLACE "_KnownGap$" "" stem ${t})
        string(REGEX REPLACE "([a-z0-9])([A-Z])" "\\1_\\2" stem ${stem})
        string(TOLOWER ${stem} stem)
        if(t MATCHES "_KnownGap$")
            string(APPEND stem "_KnownGap")
        endif()
        add_test(NAME system.attack.${stem} COMMAND harness-attack-scenario --gtest_filter=AttackSuite.${t})
        set_tests_properties(system.attack.${stem} PROPERTIES TIMEOUT 120 SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
    endforeach()

    add_test(NAME fuzz.trap_path_short
             COMMAND bash ${MV_TOP}/autograder/fuzz/run-fuzzer.sh ${CMAKE_BINARY_DIR} short)
    set_tests_properties(fuzz.trap_path_short PROPERTIES TIMEOUT 600)

    add_test(NAME measure.bench COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/bench.py --build-dir ${CMAKE_BINARY_DIR} --check)
    add_test(NAME measure.size COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/size.py --build-dir ${CMAKE_BINARY_DIR} --check)
    # make trace: the trace buffer's events of known scenarios, and its Chrome JSON (tools/trace/).
    foreach(check round-robin virq-timer chrome-json summary)
        string(REPLACE "-" "_" stem ${check})
        add_test(NAME trace.${stem}
                 COMMAND ${Python3_EXECUTABLE} ${MV_TOP}/tools/trace/test_trace.py --build-dir ${CMAKE_BINARY_DIR} ${check})
        set_tests_properties(trace.${stem} PROPERTIES TIMEOUT 120)
    endforeach()
    # The grader's traced run of a failure: the image built on demand, a hang's trace at the timeout.
    add_test(NAME trace.grader_hint
             COMMAND bash ${MV_TOP}/tools/trace/test_hint.sh ${CMAKE_BINARY_DIR} $<TARGET_FILE:mv-trace-hint>)
    set_tests_properties(trace.grader_hint PROPERTIES TIMEOUT 300)
endif()

# The student edition builds on its own, without reference-solution/, and make qemu in it
# stops at Lab 1's first stub; the Gradescope zip grades a submission of Lab 1 in that tree.
if(EXISTS ${MV_TOP}/reference-solution AND EXISTS ${MV_TOP}/.git)
    add_test(NAME handout.builds_without_the_reference
             COMMAND bash ${MV_TOP}/tools/handout-test.sh ${MV_TOP} ${CMAKE_BINARY_DIR}/handout-test)
    set_tests_properties(handout.builds_without_the_reference PROPERTIES TIMEOUT 900 RUN_SERIAL ON
                         FIXTURES_SETUP handout_tree)
    add_test(NAME gradescope.run_autograder_lab1
             COMMAND bash ${MV_TOP}/tools/gradescope/test.sh ${MV_TOP} ${CMAKE_BINARY_DIR}/handout-test
                     ${CMAKE_BINARY_DIR}/gradescope-test)
    set_tests_properties(gradescope.run_autograder_lab1 PROPERTIES TIMEOUT 900 RUN_SERIAL ON
                         FIXTURES_REQUIRED handout_tree)
endif()
