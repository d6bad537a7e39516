#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""seeded-bugs.py: each bug seeded into a reference lab file is caught by its lab's autograder.

Copies the tree to a scratch folder, builds the reference there once, then for
each seed: applies it to the reference lab file, rebuilds (incrementally) and
grades that lab, which must then score below full marks. A seed whose text no
longer appears in the file is an error, so the list cannot rot silently.
Usage: seeded-bugs.py TOP SCRATCH
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

# (lab, file in reference-solution/, original text, buggy text, the bug)
SEEDS = [
    (1, "kernel/hsr.cpp", "h.il = (raw & hsr_bits::IL) != 0;", "h.il = (raw & hsr_bits::CV) != 0;",
     "IL read from the wrong bit"),
    (1, "kernel/trap.cpp", "++vcpu.trap_count[ec];", "", "traps not counted"),
    (1, "kernel/hypercall.cpp", "inject_undef(vcpu, vcpu.frame.elr - 4, vcpu.thumb());",
     "inject_undef(vcpu, vcpu.frame.elr, vcpu.thumb());", "HVC #imm reflected one instruction late"),
    (1, "kernel/hypercall.cpp", "if (!id.fast || id.smc64 || !id.mbz_ok) {", "if (!id.fast) {",
     "SMC64 calls accepted"),
    (1, "kernel/psci.cpp", "    default:\n        return false;", "    default:\n        return true;",
     "PSCI_FEATURES claims everything"),
    (1, "kernel/guest_memory.cpp", "if (__builtin_add_overflow(gpa, len - 1, &last)) return false;",
     "last = gpa + (len - 1);", "wrap-around not checked"),
    (1, "kernel/guest_memory.cpp", "u8* guest = arch::phys_to_virt(static_cast<u32>(pa));",
     "u8* guest = arch::phys_to_virt(at);", "guest-physical taken for physical"),
    (1, "kernel/console_call.cpp", "if (len > MV_CONSOLE_MAX) return MV_INVALID_PARAMETERS;", "",
     "no length limit"),
    (1, "kernel/wfx.cpp", "vcpu.skip_instruction(hsr.instr_len());", "vcpu.skip_instruction(4);",
     "16-bit WFI skipped as 4 bytes"),
    (1, "kernel/reflect.cpp", "take_exception(vcpu, Mode::abt, VECTOR_DABT, pc + 8, true);",
     "take_exception(vcpu, Mode::abt, VECTOR_DABT, pc + 4, true);", "LR_abt off by 4 for data aborts"),
    (1, "kernel/reflect.cpp", "cpsr &= ~(psr::T | psr::E | psr::IT_MASK | psr::J);",
     "cpsr &= ~(psr::T | psr::E | psr::J);", "IT bits not cleared"),
    (1, "kernel/reflect.cpp", "if (fetch && far - base < 0x20) {", "if (fetch && far - base < 0x4) {",
     "a fault at the guest's undefined-instruction vector loops forever"),
    (2, "kernel/run_queues.cpp", "u32 bit = 31 - static_cast<u32>(__builtin_clz(nonempty_[w]));",
     "u32 bit = static_cast<u32>(__builtin_ctz(nonempty_[w]));", "the lowest priority of a word picked"),
    (2, "kernel/run_queues.cpp", "if (tail_[p] == &v) tail_[p] = prev;", "", "tail left dangling on remove"),
    (2, "kernel/context.cpp", "    arch::write<reg::CNTV_CTL>(0);\n}", "}",
     "the virtual timer keeps running into the next vCPU's time"),
    (2, "kernel/context.cpp", "for (unsigned n = 8; n <= 12; ++n) c.r8_12_fiq[n - 8] = arch::fiq_reg(n);", "",
     "r8-r12_fiq not saved"),
    (2, "kernel/waking.cpp", "if (current != nullptr && current->state == VcpuState::runnable && slice_over) "
     "run_queues.rotate(*current);", "", "no preemption at the end of a slice"),
    (2, "kernel/waiting.cpp", "if ((ctl & CNTV_CTL_ENABLE) != 0 && (ctl & CNTV_CTL_ISTATUS) != 0) return;",
     "if ((ctl & CNTV_CTL_ENABLE) != 0 && (ctl & CNTV_CTL_IMASK) != 0) return;",
     "WFI tests the timer's mask instead of its status"),
    (2, "kernel/vfp.cpp", "if (vfp_owner != nullptr) arch::vfp_save(vfp_owner->vfp);", "", "the old owner's VFP registers lost"),
    (2, "kernel/psci_cpu.cpp", "t->r(0) = context_id;", "", "CPU_ON without the context ID"),
    (3, "mm/stage2.cpp", "if (!a.exec) d |= lpae::XN;", "", "XN never set"),
    (3, "mm/stage2.cpp", "if (a.write) d |= lpae::S2AP_W;", "d |= lpae::S2AP_W;", "everything writable"),
    (3, "mm/stage2.cpp", "arch::flush_vmid_tlb(vmid_);   // ... no TLB keeps the old entry ...", "",
     "no TLB maintenance"),
    (3, "mm/stage2.cpp", "for (u32 i = 0; i < lpae::ENTRIES; ++i) pages[i] = s2_leaf(pa + static_cast<u64>(i) * PAGE, a, 3);",
     "for (u32 i = 0; i < lpae::ENTRIES; ++i) pages[i] = s2_leaf(pa, a, 3);", "split pages all map the first page"),
    (3, "mm/stage2.cpp", "if (translate(gpa + off, p, x)) return S2Status::overlap;", "(void)translate(gpa + off, p, x);",
     "a map over a mapping is accepted"),
    (3, "kernel/mmio.cpp", "if (a.sign_extend && (v >> (bits - 1)) != 0) v |= ~0u << bits;", "",
     "loads never sign-extended"),
    (3, "kernel/mmio.cpp", "if ((hsr.iss & ISV) == 0) return false;            // no syndrome for this access", "",
     "ISV ignored"),
    (3, "mm/stage2.cpp", "            u64 next = alloc_table();", "            u64 next = pool_->alloc();",
     "walk takes tables past the VM's quota"),
    (3, "mm/stage2.cpp", "    update(l2, 0);  // no walk reaches the table any more, and no TLB holds it ...\n    free_table(table);", "",
     "emptied tables never go back to the pool"),
    (3, "kernel/mmio.cpp", "if (a.gpa - r.device[i].base < r.device[i].size) dev = &r.device[i];",
     "if (a.gpa - r.device[i].base <= r.device[i].size) dev = &r.device[i];", "a device one byte too wide"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def score(top, build, lab):
    out = run([sys.executable, str(top / "tools/grade.py"), "--manifest", str(top / "labs/manifest.json"),
               "--build-dir", str(build), "--lab", str(lab)]).stdout
    m = re.search(r"^Score: (\d+)/(\d+)$", out, re.M)
    if not m:
        sys.exit(f"seeded-bugs: no score from grade.py:\n{out[-3000:]}")
    return int(m.group(1)), int(m.group(2))


def main():
    top, scratch = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    src = scratch / "src"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(top, src, ignore=shutil.ignore_patterns("build", ".git", "compile_commands.json"))
    build = scratch / "build"
    if run(["cmake", "-S", str(src), "-B", str(build), "-DMV_SOLUTION=reference"]).returncode != 0:
        sys.exit("seeded-bugs: configure failed")
    failures = 0
    for lab, rel, good, bad, what in SEEDS:
        path = src / "reference-solution" / rel
        text = path.read_text()
        if text.count(good) != 1:
            print(f"STALE  lab {lab} {rel}: the seed's text is not in the file once: {good!r}")
            failures += 1
            continue
        path.write_text(text.replace(good, bad))
        try:
            b = run(["cmake", "--build", str(build), "-j2", "--target", f"autograder-lab{lab}"])
            if b.returncode != 0:
                print(f"BUILD  lab {lab} {rel}: {what}: the seeded tree does not build\n{b.stdout[-1500:]}")
                failures += 1
                continue
            got, full = score(src, build, lab)
            caught = got < full
            failures += 0 if caught else 1
            print(f"{'caught' if caught else 'MISSED'} lab {lab} {rel}: {what}: {got}/{full}")
        finally:
            path.write_text(text)
    print(f"seeded-bugs: {len(SEEDS) - failures} of {len(SEEDS)} seeded bugs caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
