#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the fuzzer's seed corpus: one small run per interesting trap class.

The byte layout is the one drawn in input.hpp; this script writes it field by
field. The seeds use the raw fields (selectors 0xff), so each says exactly
which trap it makes; the fuzzer mutates from there.

    autograder/fuzz/make_seeds.py autograder/fuzz/corpus
"""
import struct
import sys
from pathlib import Path

TRAP_BYTES = 200
SVC = 0x1D3  # SVC mode, IRQs, FIQs and asynchronous aborts masked (a kernel at work)
USR = 0x10
SCTLR = 0x00C50078
VBAR = 0x40000000
PC = 0x40001000

# Exception classes and their tidy syndromes (IL = 1; CV = 1, COND = AL where there is one).
IL = 1 << 25
COND_AL = (1 << 24) | (0xE << 20)


def hsr(ec, iss=0, il=True):
    return (ec << 26) | (IL if il else 0) | iss


WFI = hsr(0x01, COND_AL)
WFE = hsr(0x01, COND_AL | 1)
HVC0 = hsr(0x12)
SMC = hsr(0x13)


def dabt(reg, write, size=2, isv=True):
    """A data abort from a load/store: ISV, SAS (0 byte, 1 half, 2 word), SRT, WnR."""
    iss = (1 << 24 if isv else 0) | (size << 22) | (reg << 16) | (1 << 6 if write else 0)
    return hsr(0x24, iss)


def mcr(opc1, crn, crm, opc2, rt, read=False, cond=0xE, cv=True):
    """An MCR/MRC trapped to HYP (class 0x03): Opc2 19:17, Opc1 16:14, CRn 13:10, Rt 8:5, CRm 4:1, read 0."""
    iss = (opc2 << 17) | (opc1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (1 if read else 0)
    return hsr(0x03, ((1 << 24) if cv else 0) | (cond << 20) | iss)


def it_state(it):
    """CPSR bits of ITSTATE `it`: IT[7:2] in bits 15:10, IT[1:0] in bits 26:25."""
    return ((it >> 2) << 10) | ((it & 3) << 25)


def hpfar(ipa):
    return (ipa >> 12) << 4


def trap(hsr_value, r=(), elr=PC, spsr=SVC, ticks=0, cntv_ctl=0, cntv_cval=0, hdfar=0, hifar=0,
         hpfar_value=0, sctlr=SCTLR, vbar=VBAR, update=0x7F):
    regs = list(r) + [0] * (13 - len(r))
    mode = [0x10, 0x11, 0x12, 0x13, 0x17, 0x1B, 0x1F].index(spsr & 0x1F)
    head = bytes([
        update,
        0xFF,         # EC: the raw HSR's
        0xFF,         # r0 raw
        0xFF,         # r1 raw
        0xFF,         # r2 raw
        0x60 | mode,  # SPSR mode; IT and ELR raw
        0xFF,         # fault addresses raw
        0xE0,         # ticks raw, CNTV_CVAL raw
    ])
    body = struct.pack("<I", hsr_value)
    body += struct.pack("<13I", *regs)
    body += struct.pack("<4I", 0x40100000, 0, elr, spsr)       # SP_usr, LR_usr, ELR, SPSR
    for sp in (0x40080000, 0x40081000, 0x40082000, 0x40083000, 0x40084000):
        body += struct.pack("<3I", sp, 0, 0)                   # SP, LR, SPSR of svc, abt, und, irq, fiq
    body += struct.pack("<5I", 0, 0, 0, 0, 0)                  # r8-r12 of fiq
    body += struct.pack("<4IQ", sctlr, vbar, 0, cntv_ctl, cntv_cval)
    body += struct.pack("<4I", hdfar, hifar, hpfar_value, ticks)
    record = head + body
    assert len(record) == TRAP_BYTES, len(record)
    return record


def run(traps, console=b"", memory=b"", memory_vm=0, memory_gpa=0x40002000):
    # Guest-memory selector: bit 0 the VM; bits 7:1 >= 0x60: the address is raw.
    header = bytes([len(traps) - 1, len(console), 0xC0 | memory_vm, 0]) + struct.pack("<I", memory_gpa)
    return header + b"".join(traps) + console + memory


def hvc(fid, *args, **kw):
    return trap(HVC0, (fid,) + args, elr=PC + 4, **kw)


MV_CALL = {n: 0x86000000 + i for i, n in enumerate(
    ["null", "console_write", "vcpu_yield", "vm_info", "virq_raise", "channel_send", "channel_recv",
     "channel_status", "priority_waive", "trap_count", "mem_unmap", "mem_map"])}
PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO = 0x84000000, 0x84000002, 0x84000003, 0x84000004
PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES = 0x84000008, 0x84000009, 0x8400000A
VPL011 = 0x09000000
TIMER_ON = 1
SLICE = 62500

SEEDS = {
    # 0x01: WFI with the virtual timer armed a little ahead; the other VM runs meanwhile; WFE yields.
    "wfx_wfi_then_wake": run([
        trap(WFI, cntv_ctl=TIMER_ON, cntv_cval=20000),
        trap(WFI, cntv_ctl=TIMER_ON, cntv_cval=40000, spsr=USR),
        trap(HVC0, (MV_CALL["null"],), ticks=30000),
    ]),
    "wfx_wfe": run([trap(WFE), trap(hsr(0x01, COND_AL | 1, il=False), spsr=SVC | 0x20)]),
    # 0x03: an MRC the microvisor does not handle: an undefined instruction for the guest.
    "cp15_mrc": run([trap(hsr(0x03, COND_AL | (1 << 0) | (5 << 10))), trap(hsr(0x03, 1, il=False), spsr=SVC | 0x20)]),
    # 0x03: what the microvisor emulates: set/way maintenance (DCCISW, DCISW), ACTLR;
    # PMCR, which traps for VM 1 (no PMU), is an undefined instruction.
    "cp15_emulated": run([
        trap(mcr(0, 7, 14, 2, rt=1), (0, 0x40)),
        trap(mcr(0, 1, 0, 1, rt=2, read=True)),
        trap(mcr(0, 9, 12, 0, rt=3, read=True)),
        hvc(MV_CALL["vcpu_yield"]),
        trap(mcr(0, 9, 12, 0, rt=3, read=True)),
        trap(mcr(0, 7, 6, 2, rt=15)),
    ]),
    # Conditional traps: WFI with COND = EQ while Z is clear is skipped; so is a
    # Thumb WFI in an IT EQ block (CV = 0), and the IT state moves on.
    "conditional_skipped": run([
        trap(hsr(0x01, (1 << 24) | (0x0 << 20))),
        trap(hsr(0x01, 0, il=False), spsr=SVC | 0x20 | it_state(0x04)),
        trap(mcr(0, 7, 14, 2, rt=1, cond=0x1), spsr=SVC | (1 << 30)),
    ]),
    # 0x07: lazy VFP switching between two vCPUs of two VMs.
    "hcptr_vfp": run([
        trap(hsr(0x07, COND_AL | 10)),
        hvc(MV_CALL["vcpu_yield"]),
        trap(hsr(0x07, COND_AL | 11)),
        hvc(MV_CALL["vcpu_yield"]),
        trap(hsr(0x07, COND_AL | 10)),
    ]),
    # 0x12: the vendor calls.
    "hvc_console_write": run([hvc(MV_CALL["console_write"], 0x40002000, 14)], memory=b"hello, world!\n"),
    # Console writes at the edges of guest memory: a device, read-only RAM, a buffer
    # that runs on into the next region (elsewhere in physical memory) or off its
    # end, one that wraps around 4 GiB, and one in a page the guest unmapped.
    "hvc_console_buffers": run([
        hvc(MV_CALL["console_write"], 0x0A000000, 4),
        hvc(MV_CALL["console_write"], 0x41000000, 8),
        hvc(MV_CALL["console_write"], 0x401FFFFC, 8),
        hvc(MV_CALL["console_write"], 0x4020FFFE, 4),
        hvc(MV_CALL["console_write"], 0xFFFFFFFE, 4),
        hvc(MV_CALL["mem_unmap"], 0x40100000, 0x1000),
        hvc(MV_CALL["console_write"], 0x400FFFFE, 4),
    ], memory=b"edge"),
    "hvc_info_calls": run([
        hvc(MV_CALL["null"]), hvc(MV_CALL["vm_info"]), hvc(MV_CALL["trap_count"], 0x12),
        hvc(0x8600FF03), hvc(MV_CALL["priority_waive"]), hvc(MV_CALL["vcpu_yield"]),
    ]),
    "hvc_memory": run([
        hvc(MV_CALL["mem_unmap"], 0x40100000, 0x1000),
        hvc(MV_CALL["mem_map"], 0x40100000, 0x1000),
        hvc(MV_CALL["mem_unmap"], 0x40200000, 0x10000),
        hvc(MV_CALL["console_write"], 0x40200000, 4),
        hvc(PSCI_SYSTEM_RESET),
    ]),
    # 0x12: PSCI: vCPU 1 of VM 0 comes and goes.
    "hvc_psci": run([
        hvc(PSCI_VERSION), hvc(PSCI_FEATURES, PSCI_CPU_ON),
        hvc(PSCI_CPU_ON, 1, 0x40003000, 0x1234),
        hvc(PSCI_AFFINITY_INFO, 1, 0),
        hvc(MV_CALL["vcpu_yield"]),
        hvc(PSCI_CPU_OFF),
    ]),
    "hvc_system_off": run([hvc(PSCI_SYSTEM_OFF), hvc(PSCI_SYSTEM_OFF, spsr=SVC | 0x20)]),
    # 0x13: SMC: undefined for a guest.
    "smc": run([trap(SMC), trap(SMC, spsr=SVC | 0x20)]),
    # 0x20: a prefetch abort on unmapped memory is reflected; one at the vectors stops the VM.
    "pabt": run([
        trap(hsr(0x20, 0x07), hifar=0x50000000, hpfar_value=hpfar(0x50000000)),
        trap(hsr(0x20, 0x07), hifar=VBAR + 0x0C, hpfar_value=hpfar(VBAR)),
    ]),
    # 0x24: the emulated PL011: write 'A' to DR, read FR and the ID registers.
    "dabt_mmio_pl011": run([
        trap(dabt(1, True), (0, ord("A")), hdfar=VPL011, hpfar_value=hpfar(VPL011)),
        trap(dabt(2, False), hdfar=VPL011 + 0x18, hpfar_value=hpfar(VPL011)),
        trap(dabt(3, False, size=0), hdfar=VPL011 + 0xFE0, hpfar_value=hpfar(VPL011)),
        trap(dabt(0, False), hdfar=VPL011, hpfar_value=hpfar(VPL011)),
    ], console=b"hi"),
    # 0x24: an access to unmapped memory: reflected in VM 0, VM 1 is stopped.
    "dabt_unmapped": run([
        trap(dabt(1, True, isv=False), hdfar=0x50000000, hpfar_value=hpfar(0x50000000)),
        hvc(MV_CALL["vcpu_yield"]),
        trap(dabt(1, False), hdfar=0x0A000000, hpfar_value=hpfar(0x0A000000)),
    ]),
    # Time slices: the HYP timer takes turns between the VMs.
    "timer_slices": run([
        hvc(MV_CALL["null"], ticks=SLICE + 10),
        hvc(MV_CALL["null"], ticks=3 * SLICE),
        trap(WFI, cntv_ctl=TIMER_ON, cntv_cval=10 * SLICE, ticks=SLICE // 2),
    ]),
}


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "corpus")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (out / f"{name}.bin").write_bytes(data)
    print(f"make_seeds: {len(SEEDS)} seeds in {out}")


if __name__ == "__main__":
    main()
