/* SPDX-License-Identifier: MIT */
/**
 * @file abi.h
 * @brief The microvisor's hypercall ABI, shared by the microvisor, the guests
 *        and the Linux driver. C-compatible, no dependencies.
 *
 * A guest calls the microvisor with `HVC #0` following the Arm SMC Calling
 * Convention (SMCCC, ARM DEN 0028): the function ID in r0, arguments in r1-r5,
 * results in r0-r3. Registers r4-r14 are preserved. An `HVC` with any other
 * immediate is an undefined instruction for the guest.
 *
 * Function IDs are SMCCC *fast calls* (bit 31 set) using the SMC32 convention
 * (bit 30 clear). Bits 29:24 name the owning service:
 *  - 4: standard secure service, which carries PSCI (ARM DEN 0022, v1.0);
 *  - 6: vendor-specific hypervisor service, which carries the microvisor's
 *       own calls (MV_CALL_*).
 *
 * Every ID the microvisor does not know returns ::MV_NOT_SUPPORTED (-1) in r0.
 */
#ifndef MV_ABI_H
#define MV_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

/** @name SMCCC function ID fields
 *  @{ */
#define MV_SMCCC_FAST_CALL     0x80000000u /**< bit 31: fast (atomic) call */
#define MV_SMCCC_64BIT         0x40000000u /**< bit 30: SMC64 convention (unsupported) */
#define MV_SMCCC_OWNER_SHIFT   24          /**< bits 29:24: owning entity */
#define MV_SMCCC_OWNER_MASK    0x3fu
#define MV_SMCCC_OWNER_STD     4u          /**< standard secure service (PSCI) */
#define MV_SMCCC_OWNER_VENDOR_HYP 6u       /**< vendor-specific hypervisor service */
#define MV_SMCCC_MBZ_MASK      0x00ff0000u /**< bits 23:16: must be zero in a fast call */
#define MV_SMCCC_FUNC_MASK     0xffffu     /**< bits 15:0: function number */
/** @} */

/** @name PSCI 1.0 function IDs (SMC32)
 *  @{ */
#define PSCI_VERSION           0x84000000u /**< returns ::MV_PSCI_VERSION_1_0 */
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF           0x84000002u /**< stop the calling vCPU */
#define PSCI_CPU_ON            0x84000003u /**< r1 = target MPIDR, r2 = entry, r3 = context id */
#define PSCI_AFFINITY_INFO     0x84000004u /**< r1 = target MPIDR, r2 = level (0) */
#define PSCI_SYSTEM_OFF        0x84000008u /**< power the calling VM off; does not return */
#define PSCI_SYSTEM_RESET      0x84000009u /**< restart the calling VM at its entry; does not return */
#define PSCI_FEATURES          0x8400000Au /**< r1 = function ID; returns 0 if implemented */
/** @} */

/** PSCI_VERSION's answer: major 1 in bits 31:16, minor 0 in bits 15:0. */
#define MV_PSCI_VERSION_1_0    0x00010000u

/** @name Microvisor calls (vendor-specific hypervisor service, 0x86000000 + n)
 *  @{ */
/** Does nothing and returns ::MV_OK: the null hypercall, for latency measurement. */
#define MV_CALL_NULL           0x86000000u
/** Write r2 bytes from guest-physical address r1 to the console.
 *  Returns the number of bytes written, ::MV_INVALID_ADDRESS if any byte of
 *  the buffer lies outside the caller's memory, or ::MV_INVALID_PARAMETERS if
 *  the length exceeds ::MV_CONSOLE_MAX. A length of 0 writes nothing and returns 0. */
#define MV_CALL_CONSOLE_WRITE  0x86000001u
/** Give up the rest of the time slice. Returns ::MV_OK. */
#define MV_CALL_VCPU_YIELD     0x86000002u
/** Returns ::MV_OK in r0, the VM id in r1, the calling vCPU's id in r2 and
 *  the VM's number of vCPUs in r3. */
#define MV_CALL_VM_INFO        0x86000003u
/** Lab 4 on: raise inter-VM interrupt line r1, ORing the payload word r2 into it.
 *
 *  A line (OKL4's virtual interrupt line) comes from an `[[irq_line]]` table
 *  of the system description: it joins a source VM to a target VM, where it
 *  is a virtual SPI. Its handle is the line's index among the description's
 *  `[[irq_line]]` tables, in file order, from 0. Only the source raises it.
 *  The payload accumulates (OR) until the target fetches it with
 *  ::MV_CALL_VIRQ_FETCH; each raise makes the target's virtual SPI pending,
 *  even with a payload of 0, and raises before the target takes it coalesce
 *  into one interrupt, as an edge does.
 *
 *  Returns ::MV_OK, ::MV_INVALID_PARAMETERS if r1 is not a line of the system,
 *  or ::MV_DENIED if the caller's VM is not the line's source (a failed raise
 *  changes nothing), in r0; r1-r3 are left as they were. */
#define MV_CALL_VIRQ_RAISE     0x86000004u
/** Send r3 bytes at guest-physical r2 on channel r1. */
#define MV_CALL_CHANNEL_SEND   0x86000005u
/** Receive at most r3 bytes into guest-physical r2 from channel r1. */
#define MV_CALL_CHANNEL_RECV   0x86000006u
/** Status flags of channel r1. */
#define MV_CALL_CHANNEL_STATUS 0x86000007u
/** Lower the caller's priority until an interrupt for it arrives (OKL4's priority_waive). */
#define MV_CALL_PRIORITY_WAIVE 0x86000008u
/** Diagnostic: how many traps with exception class r1 (0-63) the calling
 *  vCPU has taken. Returns the count in r1 and ::MV_OK in r0, or
 *  ::MV_INVALID_PARAMETERS for a class above 63. */
#define MV_CALL_TRAP_COUNT     0x86000009u
/** Labs 3 on: remove guest-physical [r1, r1 + r2) from the caller's stage-2
 *  map (4 KiB aligned, inside one memory region of its system description).
 *  Accesses to it then abort. Returns ::MV_OK, ::MV_INVALID_PARAMETERS, or
 *  ::MV_NO_MEMORY if a 2 MiB block must be split and the VM's quota of
 *  stage-2 tables is used up (the part of the range before it is unmapped
 *  then); ::MV_NOT_SUPPORTED in systems of earlier labs. */
#define MV_CALL_MEM_UNMAP      0x8600000Au
/** Labs 3 on: map guest-physical [r1, r1 + r2) again, to the memory its region
 *  of the system description gives it, with the region's permissions.
 *  Returns ::MV_OK, ::MV_INVALID_PARAMETERS, ::MV_DENIED if part of it is
 *  mapped already, or ::MV_NO_MEMORY if the VM's quota of stage-2 tables is
 *  used up (the part of the range before it is mapped then; unmap it to undo). */
#define MV_CALL_MEM_MAP        0x8600000Bu
/** Lab 4 on: fetch and clear the payload of inter-VM interrupt line r1
 *  (a handle as for ::MV_CALL_VIRQ_RAISE), which the caller's VM receives.
 *
 *  Returns ::MV_OK in r0 and the payload in r1, the OR of every payload
 *  raised since the last fetch (0 if none); the line's payload is then 0.
 *  ::MV_INVALID_PARAMETERS if r1 is not a line of the system, ::MV_DENIED if
 *  the caller's VM is not the line's target (after either, r1 is 0 and the
 *  payload stays); r2 and r3 are left as they were. It neither acknowledges
 *  nor ends the virtual interrupt: the guest does that at its CPU interface,
 *  as for any interrupt.
 *  (Function 0xc stays unassigned: the attack guest probes it as unknown.) */
#define MV_CALL_VIRQ_FETCH     0x8600000Du
/** SMCCC "revision" query: major in r0, minor in r1. */
#define MV_CALL_REVISION       0x8600FF03u
/** @} */

/** @name Status codes (negative, SMCCC/PSCI style)
 *  @{ */
#define MV_OK                   0
#define MV_NOT_SUPPORTED       (-1) /**< unknown function ID */
#define MV_INVALID_PARAMETERS  (-2) /**< an argument is out of range */
#define MV_DENIED              (-3) /**< not allowed for this caller (a line it does not own, a mapped range) */
#define MV_ALREADY_ON          (-4) /**< PSCI CPU_ON: the vCPU runs already */
#define MV_INVALID_ADDRESS     (-9) /**< a guest buffer lies outside the caller's memory */
#define MV_WOULD_BLOCK        (-10) /**< a channel queue is full or empty */
#define MV_NO_MEMORY          (-11) /**< the caller's quota of a kernel resource (stage-2 tables) is used up */
/** @} */

/** Longest console write, in bytes. */
#define MV_CONSOLE_MAX         1024u

/** ABI revision reported by ::MV_CALL_REVISION. */
#define MV_ABI_MAJOR           1u
#define MV_ABI_MINOR           0u

#ifdef __cplusplus
}
#endif

#endif /* MV_ABI_H */
