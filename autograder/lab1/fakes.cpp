// SPDX-License-Identifier: MIT
// The functions Lab 1's host tests can fake (common/fakes.hpp): each lab
// function that another lab function calls, and the given functions a lab
// function calls whose arguments a test checks. One line each, with the
// mangled name; autograder/CMakeLists.txt wraps exactly these at link time.
#include <cstdarg>

#include "fakes.hpp"
#include "kernel/console.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/hypercall.hpp"
#include "kernel/reflect.hpp"
#include "kernel/run.hpp"
#include "kernel/trap.hpp"
#include "kernel/vm.hpp"

namespace mv {

// Lab 1's functions
MV_FAKEABLE(decode_hsr, "_ZN2mv10decode_hsrEj", Hsr, (u32 raw), (raw))
MV_FAKEABLE(decode_smccc, "_ZN2mv12decode_smcccEj", SmcccId, (u32 fid), (fid))
MV_FAKEABLE(handle_hvc, "_ZN2mv10handle_hvcERNS_4VcpuERKNS_3HsrE", void, (Vcpu & v, const Hsr& h), (v, h))
MV_FAKEABLE(handle_wfx, "_ZN2mv10handle_wfxERNS_4VcpuERKNS_3HsrE", void, (Vcpu & v, const Hsr& h), (v, h))
MV_FAKEABLE(handle_smc, "_ZN2mv10handle_smcERNS_4VcpuERKNS_3HsrE", void, (Vcpu & v, const Hsr& h), (v, h))
MV_FAKEABLE(handle_guest_abort, "_ZN2mv18handle_guest_abortERNS_4VcpuERKNS_3HsrE", void, (Vcpu & v, const Hsr& h),
            (v, h))
MV_FAKEABLE(psci_call, "_ZN2mv9psci_callERNS_4VcpuEj", void, (Vcpu & v, u32 fid), (v, fid))
MV_FAKEABLE(guest_copy_in, "_ZN2mv13guest_copy_inERKNS_2VmEPvjj", bool, (const Vm& vm, void* dst, u32 gpa, u32 len),
            (vm, dst, gpa, len))
MV_FAKEABLE(inject_undef, "_ZN2mv12inject_undefERNS_4VcpuEjb", void, (Vcpu & v, u32 at, bool thumb), (v, at, thumb))
MV_FAKEABLE(inject_data_abort, "_ZN2mv17inject_data_abortERNS_4VcpuEjj", void, (Vcpu & v, u32 far, u32 fsr),
            (v, far, fsr))
MV_FAKEABLE(inject_prefetch_abort, "_ZN2mv21inject_prefetch_abortERNS_4VcpuEjj", void, (Vcpu & v, u32 far, u32 fsr),
            (v, far, fsr))
MV_FAKEABLE(external_abort_fsr, "_ZN2mv18external_abort_fsrEbbb", u32, (bool lpae, bool walk, bool write),
            (lpae, walk, write))

// Given functions whose arguments the tests check
MV_FAKEABLE(console_guest_write, "_ZN2mv19console_guest_writeERNS_2VmEPKhj", void, (Vm & vm, const u8* buf, u32 len),
            (vm, buf, len))
MV_FAKEABLE(run_wait, "_ZN2mv8run_waitERNS_4VcpuEb", void, (Vcpu & v, bool wfe), (v, wfe))
MV_FAKEABLE(vm_power_off, "_ZN2mv12vm_power_offERNS_2VmE", void, (Vm & vm), (vm))
MV_FAKEABLE(vm_reset, "_ZN2mv8vm_resetERNS_2VmE", void, (Vm & vm), (vm))
MV_FAKEABLE(try_emulate_mmio, "_ZN2mv16try_emulate_mmioERNS_4VcpuERKNS_3HsrE", bool, (Vcpu & v, const Hsr& h), (v, h))
MV_FAKEABLE_PRINTF(vm_crash, "_ZN2mv8vm_crashERNS_2VmEPKcz", void, (Vm & vm), (vm))

}  // namespace mv
