// SPDX-License-Identifier: MIT
// The functions Lab 2's host tests can fake (common/fakes.hpp): the run
// queues, which the vCPU operations' tests replace by a model so that they do
// not depend on run_queues.cpp, and the VFP unit's save and load, which they
// watch (was the unit untrapped, and an ISB in between?). One line each, with
// the mangled name; autograder/CMakeLists.txt wraps exactly these.
#include "arch.hpp"
#include "fakes.hpp"
#include "kernel/run_queues.hpp"

namespace mv {

MV_FAKEABLE_AS(&RunQueues::add, rq_add, "_ZN2mv9RunQueues3addERNS_4VcpuE", void, (RunQueues * self, Vcpu& v),
               (self, v))
MV_FAKEABLE_AS(&RunQueues::remove, rq_remove, "_ZN2mv9RunQueues6removeERNS_4VcpuE", void,
               (RunQueues * self, Vcpu& v), (self, v))
MV_FAKEABLE_AS(&RunQueues::rotate, rq_rotate, "_ZN2mv9RunQueues6rotateERNS_4VcpuE", void,
               (RunQueues * self, Vcpu& v), (self, v))
MV_FAKEABLE_AS(&RunQueues::pick, rq_pick, "_ZNK2mv9RunQueues4pickEv", Vcpu*, (const RunQueues* self), (self))
MV_FAKEABLE_AS(&arch::vfp_save, vfp_save, "_ZN2mv4arch8vfp_saveERNS_8VfpStateE", void, (VfpState & s), (s))
MV_FAKEABLE_AS(&arch::vfp_load, vfp_load, "_ZN2mv4arch8vfp_loadERKNS_8VfpStateE", void, (const VfpState& s), (s))

}  // namespace mv
