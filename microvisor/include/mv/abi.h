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
/** Lab 5 on: send one message, the r3 bytes at guest-physical r2, on channel r1.
 *
 *  A channel comes from a `[[channel]]` table of the system description: it
 *  joins two VMs, its ends, with a bounded queue of messages each way
 *  (`depth` messages of at most `message_size` bytes; 32 of 2,048 by
 *  default). Its handle is the channel's index among the description's
 *  `[[channel]]` tables, in file order, from 0; only its two VMs may use it.
 *  The message is copied into the queue towards the other end, whose
 *  notification interrupt (the channel's `irq`, a virtual SPI) is raised if
 *  its receive queue was empty. A length of 0 sends an empty message.
 *
 *  Returns in r0 ::MV_OK; ::MV_WOULD_BLOCK if the queue is full;
 *  ::MV_TOO_BIG if r3 exceeds the channel's message size; ::MV_BAD_HANDLE if
 *  r1 is not a channel of the caller's VM; ::MV_NOT_CONNECTED if the other
 *  end's VM has powered off or crashed; ::MV_INVALID_ADDRESS if the buffer is
 *  not readable RAM of the caller. A failed send changes nothing. r1-r3 are
 *  left as they were. */
#define MV_CALL_CHANNEL_SEND   0x86000005u
/** Lab 5 on: receive the oldest message of channel r1 into guest-physical r2,
 *  which has room for r3 bytes.
 *
 *  Returns in r0 ::MV_OK and the message's length in r1; the message leaves
 *  the queue, and if that queue was full, the sender's notification interrupt
 *  is raised (it may send again). ::MV_WOULD_BLOCK if no message waits (or
 *  ::MV_NOT_CONNECTED if none waits and the other end's VM has ended: none
 *  will come); ::MV_TOO_BIG if the message is longer than r3 (r1 is its
 *  length; it stays in the queue); ::MV_BAD_HANDLE; ::MV_INVALID_ADDRESS if
 *  the buffer is not writable RAM of the caller (the message stays). After a
 *  failure r1 is 0 unless said otherwise. r2 and r3 are left as they were. */
#define MV_CALL_CHANNEL_RECV   0x86000006u
/** Lab 5 on: the state of channel r1 for the caller's end.
 *
 *  Returns ::MV_OK in r0 with the ::MV_CHANNEL_RX_READY, ::MV_CHANNEL_TX_READY
 *  and ::MV_CHANNEL_CONNECTED flags in r1, the number of messages waiting to
 *  be received in r2 and the number that may be sent before the queue is
 *  full in r3; or ::MV_BAD_HANDLE (r1-r3 then 0). */
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
#define MV_TOO_BIG            (-12) /**< a message longer than the channel's message size, or than the receive buffer */
#define MV_BAD_HANDLE         (-13) /**< not a channel of the caller's VM */
#define MV_NOT_CONNECTED      (-14) /**< the channel's other end has powered off or crashed */
/** @} */

/** @name MV_CALL_CHANNEL_STATUS flags (r1)
 *  @{ */
#define MV_CHANNEL_RX_READY    (1u << 0) /**< a message waits to be received */
#define MV_CHANNEL_TX_READY    (1u << 1) /**< a message may be sent: the queue towards the other end is not full */
#define MV_CHANNEL_CONNECTED   (1u << 2) /**< the other end's VM has not ended */
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
