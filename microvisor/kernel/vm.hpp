// SPDX-License-Identifier: MIT
// A virtual machine: an isolated guest-physical address space and its vCPUs.
#pragma once

#include "config/system_config.hpp"
#include "lib/types.hpp"
#include "mm/stage2.hpp"
#include "vdev/vgic.hpp"
#include "vdev/vpl011.hpp"

namespace mv {

class Vcpu;

enum class VmState : u8 {
    idle,         ///< not started yet
    running,      ///< started; its vCPUs run
    powered_off,  ///< PSCI SYSTEM_OFF
    crashed,      ///< stopped by the microvisor
};

class Vm final {
public:
    Stage2 stage2;                   ///< the VM's stage-2 tables (Lab 3's kernel/vm_memory.cpp)
    const VmConfig* config = nullptr;
    Vcpu* vcpus = nullptr;           ///< config->vcpus of them
    VmState state = VmState::idle;
    bool at_line_start = true;       ///< console prefixing
    u64 cntvoff = 0;                 ///< the VM's virtual counter offset: time starts at 0 for it
    Vpl011 uart;                     ///< its emulated PL011 (registered by Lab 3)
    Vgic vgic;                       ///< its virtual GIC distributor (Lab 4)

    u32 id() const { return config->id; }
    const char* name() const { return config->name; }
    bool finished() const { return state == VmState::powered_off || state == VmState::crashed; }
    /// The VMID of the VM's TLB entries: 0 is left unused.
    u8 vmid() const { return static_cast<u8>(id() + 1); }
};

/// Start the VM: build its stage-2 map, reset vCPU 0 to the entry point and
/// make it ready to run. Other vCPUs stay off. Its virtual count reads 0 at
/// physical count `epoch` (VMs started together share one).
void vm_start(Vm& vm, u64 epoch);
// The three ends of a VM's life are cold and out of line: the compiler keeps them, and the
// registers they need, out of the hot trap path they are called from.

/// PSCI SYSTEM_OFF: the VM ends normally.
[[gnu::cold, gnu::noinline]] void vm_power_off(Vm& vm);
/// PSCI SYSTEM_RESET: all its memory mapped again, vCPU 0 restarts at the entry point.
[[gnu::cold, gnu::noinline]] void vm_reset(Vm& vm);
/// Stop the VM because of what it did; prints `MV: VM <id> (<name>) crashed: <why>`.
[[gnu::cold, gnu::noinline]] void vm_crash(Vm& vm, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace mv
