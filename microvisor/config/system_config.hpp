// SPDX-License-Identifier: MIT
// The system description's types: what the system generator (tools/sysgen)
// emits from a system description. The microvisor parses nothing; it walks
// these tables at boot. Both kernel/ and mm/ read them: this header sits
// below both and includes nothing of either.
#pragma once

#include "lib/types.hpp"

namespace mv {

class Vm;
class Vcpu;

/// What a stretch of a VM's guest-physical address space is backed by.
enum class MemKind : u8 {
    Ram,     ///< normal memory, write-back cached
    Device,  ///< device memory: a physical device passed through
};

/// One region of a VM's guest-physical address space.
struct MemRegion {
    u32 gpa;         ///< guest-physical base (2 MiB aligned in labs 1-2)
    u32 pa;          ///< physical base it is backed by
    u32 size;        ///< bytes
    MemKind kind;
    bool writable;
    bool executable;
};

/// What happens when a VM touches guest-physical memory it has no mapping for.
enum class FaultPolicy : u8 {
    Reflect,  ///< the guest takes an external abort on its own vectors
    Stop,     ///< the VM is stopped and reported as crashed
};

/// One VM as the system description declares it.
struct VmConfig {
    const char* name;
    u32 id;
    u32 entry;               ///< guest-physical entry point of vCPU 0
    u32 vcpus;               ///< number of vCPUs (at least 1)
    u32 priority;            ///< 0 (lowest) .. 255
    FaultPolicy on_fault;
    const MemRegion* regions;
    u32 nregions;
    u32 params_gpa;          ///< the VM's parameter page (token, selector), 0 if none
    bool pmu;                ///< it may use the performance monitors (one VM at most)
    u32 table_quota;         ///< stage-2 tables it may hold (Lab 3 on): its map's and spare ones
    /// The device SPIs it owns (Lab 4 on): physical SPI n reaches it as its
    /// virtual SPI n, forwarded with the list register's HW bit. Each is one
    /// VM's only, in 32..95, never the microvisor's PPIs (sysgen checks).
    const u32* irqs = nullptr;
    u32 nirqs = 0;
    /// Lab 6: a Linux VM's device tree (guest-physical), which vCPU 0 finds in
    /// r2 at its entry, the zImage, by the Linux boot protocol; 0 for a course guest.
    u32 dtb = 0;
};

/// OKL4's virtual interrupt line between two VMs (Lab 4 on): VM `source`
/// raises it (MV_CALL_VIRQ_RAISE, ORing a payload word in), VM `target` takes
/// it as its virtual SPI `irq` and fetches the payload (MV_CALL_VIRQ_FETCH).
/// A guest names a line by its index in SystemConfig::irq_lines (its handle).
struct IrqLine {
    u32 source;  ///< the VM id that may raise it
    u32 target;  ///< the VM id that receives it
    u32 irq;     ///< its virtual SPI in the target (32..95, no device SPI of the target's)
};

/// The most interrupt lines a system may have (sysgen refuses more): the
/// microvisor may keep their payloads in a fixed array.
inline constexpr u32 MAX_IRQ_LINES = 32;

/// A channel between two VMs (Lab 5 on): a bounded queue of messages each way.
/// A guest names a channel by its index in SystemConfig::channels (its handle).
/// Queue d (0: from ends[0] to ends[1]; 1: from ends[1] to ends[0]) has
/// `depth` slots of `slot_size()` bytes at storage + d * depth * slot_size().
struct ChannelConfig {
    u32 ends[2];        ///< the two VM ids (different)
    u32 irq;            ///< the notification interrupt: this virtual SPI in both VMs (32..95)
    u32 depth;          ///< messages each way, 1..256
    u32 message_size;   ///< bytes, 1..65536
    u8* storage;        ///< 2 * depth * slot_size() bytes, 4-aligned, the microvisor's
    /// A slot: a 4-byte length, then the message, rounded up to 4 bytes.
    constexpr u32 slot_size() const { return 4 + ((message_size + 3) & ~3u); }
};

/// The most channels a system may have (sysgen refuses more): the microvisor
/// may keep their state in fixed arrays.
inline constexpr u32 MAX_CHANNELS = 16;

/// The most VMs a system may have (sysgen refuses more).
inline constexpr u32 MAX_VMS = 8;

/// The whole system, with the storage the microvisor needs for it.
struct SystemConfig {
    const char* name;
    u32 ram_base;            ///< physical RAM of the board
    u32 ram_size;
    const VmConfig* vms;
    u32 nvms;
    Vm* vm_pool;             ///< nvms default-constructed Vm objects
    Vcpu* vcpu_pool;         ///< the sum of all VMs' vcpus
    u32 nvcpus;
    u32 lab;                 ///< the latest lab whose mechanisms the image links (1-6): see staging/
    u32 time_slice_us;       ///< the scheduler's time slice (lab 2 on)
    u64* table_storage;      ///< stage-2 table pool, 4 KiB-aligned (lab 3 on), else nullptr
    u32 table_pages;         ///< tables in table_storage: the sum of the VMs' quotas
    const IrqLine* irq_lines = nullptr;  ///< the inter-VM interrupt lines (Lab 4 on), in description order
    u32 nirq_lines = 0;                  ///< at most MAX_IRQ_LINES
    const ChannelConfig* channels = nullptr;  ///< the channels (Lab 5 on), in description order
    u32 nchannels = 0;                        ///< at most MAX_CHANNELS
    bool trap_report = false;  ///< print each VM's traps when all are off (kernel/trap_report.cpp)
};

/// Defined by the generated file of each system image.
extern const SystemConfig system_config;

}  // namespace mv
