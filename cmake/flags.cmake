# SPDX-License-Identifier: MIT
# The freestanding C++20 dialect and warnings of the microvisor and the guests, in one place.
set(MV_TARGET_FLAGS -mcpu=cortex-a15 -marm -mfloat-abi=soft -mgeneral-regs-only)
set(MV_CXX_FLAGS
    -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics
    -fno-use-cxa-atexit -fno-common -ffunction-sections -fdata-sections -O2 -g
    -Wall -Wextra -Werror -Wconversion -Wold-style-cast -Wshadow
    -Wzero-as-null-pointer-constant -Wsuggest-override -Wnon-virtual-dtor)
set(MV_LINK_FLAGS -nostdlib -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack)

function(mv_freestanding target)
    target_compile_options(${target} PRIVATE ${MV_TARGET_FLAGS}
        $<$<COMPILE_LANGUAGE:CXX>:${MV_CXX_FLAGS}>
        $<$<COMPILE_LANGUAGE:ASM>:-Wa,--fatal-warnings>
        -fmacro-prefix-map=${MV_TOP}/=)
    target_link_options(${target} PRIVATE ${MV_TARGET_FLAGS} ${MV_LINK_FLAGS})
endfunction()
