// SPDX-License-Identifier: MIT
// Attacks on memory: the victim's and the microvisor's, by guest-physical and by physical
// address; the physical GIC; odd accesses to the emulated PL011.
#include "attack.hpp"

extern "C" {
mv::u32 attack_ldm(mv::u32 addr);
mv::u32 attack_ldrd(mv::u32 addr);
mv::u32 attack_strd(mv::u32 addr);
mv::u32 attack_str_writeback(mv::u32 addr);
mv::u32 attack_ldr_pc(mv::u32 addr);
extern mv::u32 _start[];
}

namespace attack {
namespace {

constexpr u32 PATTERN = 0xa77ac4ed;

struct Target {
    const char* name;
    u32 addr;
};

/// Read, write (and, for `exec`, branch to) `t.addr`: each must abort at that address.
void refused(const Target& t, bool exec) {
    char name[64];
    mv::snformat(name, sizeof name, "read_%s", t.name);
    expect_abort(name, t.addr, probe([&] { return read32(t.addr); }));
    mv::snformat(name, sizeof name, "write_%s", t.name);
    expect_abort(name, t.addr, probe([&] { return write32(t.addr, PATTERN); }));
    if (!exec) return;
    mv::snformat(name, sizeof name, "exec_%s", t.name);
    expect_fetch_abort(name, t.addr, probe([&] { return exec_at(t.addr); }));
}

void refused_all(const Target* targets, u32 n, bool exec) {
    for (u32 i = 0; i < n; ++i) refused(targets[i], exec);
}

}  // namespace

// The victim's memory is in no map of this VM: by its guest-physical addresses (the victim's
// private region is where this VM has nothing) or by its physical ones.
void memory_other_vm() {
    static const Target targets[] = {
        {"victim_private_ipa", VICTIM_PRIVATE},
        {"victim_private_ipa_last_word", VICTIM_PRIVATE + VICTIM_PRIVATE_SIZE - 4},
        {"victim_ram_pa", VICTIM_RAM_PA},
        {"victim_ram_pa_canary_page", VICTIM_RAM_PA + 0x200000},
        {"victim_params_pa", VICTIM_RAM_PA + RAM_SIZE - PAGE},
        {"victim_private_pa", VICTIM_PRIVATE_PA},
        {"mailbox_pa", MAILBOX_PA},
        {"own_ram_pa", ATTACKER_RAM_PA},
        {"spare_pa", SPARE_PA},
        {"after_own_ram", RAM + RAM_SIZE},
        {"after_mailbox", MAILBOX + PAGE},
        {"before_spare", SPARE - 4},
    };
    refused_all(targets, sizeof targets / sizeof targets[0], true);
    // Loads and stores that carry no syndrome (HSR.ISV = 0), aimed at the victim.
    expect_abort("ldm_victim_ram_pa", VICTIM_RAM_PA, probe([] { return attack_ldm(VICTIM_RAM_PA); }));
    expect_abort("ldrd_victim_private_ipa", VICTIM_PRIVATE, probe([] { return attack_ldrd(VICTIM_PRIVATE); }));
    expect_abort("strd_victim_private_ipa", VICTIM_PRIVATE, probe([] { return attack_strd(VICTIM_PRIVATE); }));
    // A word that starts in this VM's RAM and ends outside it.
    {
        const Seen s = probe([] { return read32(RAM + RAM_SIZE - 2); });
        check(s.exceptions == 1 && s.outcome == Outcome::dabt, "read_straddling_own_ram_end",
              "at 0x%08x: expected a data abort, saw %s (DFAR 0x%08x, DFSR %#x)", RAM + RAM_SIZE - 2,
              outcome_name(s.outcome), s.far, s.fsr);
    }
}

// The microvisor's RAM is physical 0x4000_0000 +16M. By that address, a VM reaches only its
// own memory (its RAM is at guest-physical 0x4000_0000) or nothing.
void memory_microvisor() {
    const Seen own = probe([] { return read32(MICROVISOR_PA); });
    check(own.exceptions == 0 && own.value == _start[0], "read_0x40000000_is_own_ram",
          "expected this VM's own first instruction 0x%08x at guest-physical 0x%08x, saw 0x%08x (%s)", _start[0],
          MICROVISOR_PA, own.value, outcome_name(own.outcome));
    static const Target targets[] = {
        {"microvisor_pa_4m", MICROVISOR_PA + 0x400000},
        {"microvisor_pa_8m_4k", MICROVISOR_PA + 0x801000},
        {"microvisor_pa_15m", MICROVISOR_PA + 0xf00000},
        {"microvisor_pa_last_word", MICROVISOR_PA + MICROVISOR_SIZE - 4},
        {"board_ram_last_word", BOARD_RAM_END - 4},
        {"board_ram_end", BOARD_RAM_END},
        {"top_of_address_space", 0xfffffffc},
        {"address_0", 0},
        {"flash1", 0x04000000},
        {"virtio_mmio", 0x0a000000},
        {"nowhere", NOWHERE},
    };
    refused_all(targets, sizeof targets / sizeof targets[0], true);
    // High vectors: nothing there for a guest.
    expect_fetch_abort("exec_high_vectors", 0xffff0000, probe([] { return exec_at(0xffff0000); }));
}

// The physical GIC: the distributor and CPU interface the microvisor uses, GICH (the list
// registers that inject virtual interrupts) and GICV. A Lab 3 VM has none of them.
void gic() {
    static const Target targets[] = {
        {"gicd_ctlr", 0x08000000},          {"gicd_typer", 0x08000004},
        {"gicd_isenabler0", 0x08000100},    {"gicd_icenabler0", 0x08000180},
        {"gicd_ipriorityr26", 0x0800041a & ~3u}, {"gicd_itargetsr8", 0x08000820},
        {"gicd_sgir", 0x08000f00},          {"gicc_ctlr", 0x08010000},
        {"gicc_pmr", 0x08010004},           {"gicc_iar", 0x0801000c},
        {"gicc_eoir", 0x08010010},          {"gicc_dir", 0x08011000},
        {"gich_hcr", 0x08030000},           {"gich_vtr", 0x08030004},
        {"gich_lr0", 0x08030100},           {"gich_apr", 0x080300f0},
        {"gich_cpu0_alias", 0x08031000},    {"gicv_ctlr", 0x08040000},
        {"gicv_pmr", 0x08040004},           {"gicv_iar", 0x0804000c},
        {"gicv_eoir", 0x08040010},          {"gicv_dir", 0x08041000},
    };
    refused_all(targets, sizeof targets / sizeof targets[0], false);
    // The values that would hurt most if they got through.
    expect_abort("gicd_disable_all", 0x08000180, probe([] { return write32(0x08000180, 0xffffffff); }));
    expect_abort("gicc_mask_all", 0x08010004, probe([] { return write32(0x08010004, 0); }));
    expect_abort("gich_lr0_inject", 0x08030100, probe([] { return write32(0x08030100, 0x9000001b); }));
    expect_abort("gicd_sgi_to_all", 0x08000f00, probe([] { return write32(0x08000f00, 0x01ff0000); }));
}

// The emulated PL011: accesses an emulator cannot decode must not be guessed at.
void devices() {
    constexpr u32 UART = 0x09000000;
    expect_abort("uart_ldm", UART, probe([] { return attack_ldm(UART); }));
    expect_abort("uart_ldrd", UART, probe([] { return attack_ldrd(UART); }));
    expect_abort("uart_strd", UART, probe([] { return attack_strd(UART); }));
    expect_abort("uart_ldr_pc", UART + 0x18, probe([] { return attack_ldr_pc(UART + 0x18); }));
    {
        // STR with writeback: refused (no syndrome), or done with the base register updated.
        u32 base = 0;
        const Seen s = probe([&] { return base = attack_str_writeback(UART + 0x38); });  // UARTIMSC
        check((s.exceptions == 1 && s.outcome == Outcome::dabt) || (s.exceptions == 0 && base == UART + 0x3c),
              "uart_str_writeback",
              "expected a data abort, or the store emulated with the base register advanced to 0x%08x; saw %s, "
              "base 0x%08x",
              UART + 0x3c, outcome_name(s.outcome), base);
    }
    expect_fetch_abort("uart_exec", UART, probe([] { return exec_at(UART); }));
    expect_abort("after_uart_page", UART + PAGE, probe([] { return read32(UART + PAGE); }));
    // Every register of this VM's PL011 but the data register, all ones then zero, by word,
    // halfword and byte: its own device state only (the victim's lines still come out).
    u32 faults = 0;
    for (u32 off = 0x4; off < PAGE; off += 4) {
        const u32 a = UART + off;
        faults += probe([a] { return write32(a, 0xffffffff); }).exceptions;
        faults += probe([a] { return read32(a); }).exceptions;
        faults += probe([a] {
                      asm volatile("strh %0, [%1, #2]\n strb %0, [%1, #1]" : : "r"(0u), "r"(a) : "memory");
                      return 0u;
                  }).exceptions;
        faults += probe([a] { return write32(a, 0); }).exceptions;
    }
    write32(UART + 0x30, 0x301);  // UARTCR: enabled again
    check(faults == 0, "uart_register_sweep", "expected every PL011 register emulated, saw %u data aborts", faults);
}

// MEM_MAP and MEM_UNMAP aimed at what is not the caller's own: the victim's region, physical
// addresses, the microvisor, devices; the shared mailbox leaves the caller's map only.
void mem_map_others() {
    struct Call {
        const char* name;
        u32 fid, gpa, size;
        i32 want;
    };
    static const Call calls[] = {
        {"unmap_victim_private_ipa", MV_CALL_MEM_UNMAP, VICTIM_PRIVATE, PAGE, MV_INVALID_PARAMETERS},
        {"unmap_victim_private_region", MV_CALL_MEM_UNMAP, VICTIM_PRIVATE, VICTIM_PRIVATE_SIZE, MV_INVALID_PARAMETERS},
        {"map_victim_private_ipa", MV_CALL_MEM_MAP, VICTIM_PRIVATE, PAGE, MV_INVALID_PARAMETERS},
        {"map_victim_private_region", MV_CALL_MEM_MAP, VICTIM_PRIVATE, VICTIM_PRIVATE_SIZE, MV_INVALID_PARAMETERS},
        {"map_victim_ram_pa", MV_CALL_MEM_MAP, VICTIM_RAM_PA, PAGE, MV_INVALID_PARAMETERS},
        {"unmap_victim_ram_pa", MV_CALL_MEM_UNMAP, VICTIM_RAM_PA, RAM_SIZE, MV_INVALID_PARAMETERS},
        {"map_victim_private_pa", MV_CALL_MEM_MAP, VICTIM_PRIVATE_PA, BLOCK, MV_INVALID_PARAMETERS},
        {"map_mailbox_pa", MV_CALL_MEM_MAP, MAILBOX_PA, PAGE, MV_INVALID_PARAMETERS},
        {"map_microvisor_pa_4m", MV_CALL_MEM_MAP, MICROVISOR_PA + 0x400000, PAGE, MV_INVALID_PARAMETERS},
        {"map_microvisor_pa_15m", MV_CALL_MEM_MAP, MICROVISOR_PA + 0xf00000, 0x100000, MV_INVALID_PARAMETERS},
        {"map_microvisor_whole", MV_CALL_MEM_MAP, MICROVISOR_PA, MICROVISOR_SIZE, MV_INVALID_PARAMETERS},
        {"unmap_microvisor_whole", MV_CALL_MEM_UNMAP, MICROVISOR_PA, MICROVISOR_SIZE, MV_INVALID_PARAMETERS},
        {"map_0x40000000_own_mapped", MV_CALL_MEM_MAP, MICROVISOR_PA, PAGE, MV_DENIED},
        {"map_mailbox_mapped", MV_CALL_MEM_MAP, MAILBOX, PAGE, MV_DENIED},
        {"unmap_mailbox_and_next", MV_CALL_MEM_UNMAP, MAILBOX, 2 * PAGE, MV_INVALID_PARAMETERS},
        {"unmap_before_mailbox", MV_CALL_MEM_UNMAP, MAILBOX - PAGE, 2 * PAGE, MV_INVALID_PARAMETERS},
        {"map_gicd", MV_CALL_MEM_MAP, 0x08000000, PAGE, MV_INVALID_PARAMETERS},
        {"map_gicc", MV_CALL_MEM_MAP, 0x08010000, 0x2000, MV_INVALID_PARAMETERS},
        {"map_gich", MV_CALL_MEM_MAP, 0x08030000, PAGE, MV_INVALID_PARAMETERS},
        {"map_gicv", MV_CALL_MEM_MAP, 0x08040000, 0x2000, MV_INVALID_PARAMETERS},
        {"map_uart", MV_CALL_MEM_MAP, 0x09000000, PAGE, MV_INVALID_PARAMETERS},
        {"unmap_uart", MV_CALL_MEM_UNMAP, 0x09000000, PAGE, MV_INVALID_PARAMETERS},
        {"map_own_ram_beyond_end", MV_CALL_MEM_MAP, RAM + RAM_SIZE - PAGE, 2 * PAGE, MV_INVALID_PARAMETERS},
        {"map_spare_beyond_end", MV_CALL_MEM_MAP, SPARE, SPARE_SIZE + PAGE, MV_INVALID_PARAMETERS},
    };
    for (const Call& c : calls) expect_status(c.name, hvc_full(c.fid, c.gpa, c.size), c.want);

    // The mailbox is this VM's region too: unmapping takes it out of this VM's map only.
    expect_status("unmap_mailbox_own_map", hvc_full(MV_CALL_MEM_UNMAP, MAILBOX, PAGE), MV_OK);
    expect_abort("mailbox_gone_from_own_map", MAILBOX + 8, probe([] { return read32(MAILBOX + 8); }));
    expect_status("map_mailbox_again", hvc_full(MV_CALL_MEM_MAP, MAILBOX, PAGE), MV_OK);
    const Seen back = probe([] { return read32(MAILBOX); });
    expect_runs("mailbox_back_in_own_map", back);
}

// Tables given back to the pool when a VM's unmap empties them go to whoever splits next (the
// victim splits a block of its own once the attack is armed, victim.cpp). The VM that gave them
// back must not reach them any more: its pages there abort, and never show the victim's data.
namespace {
constexpr u32 FREED_MARK = 0xf4eed0ff;

void freed_table_round() {
    static const u32 pages[] = {0, 2, 3, 255, 511};
    for (u32 k : pages) {
        char name[48];
        mv::snformat(name, sizeof name, "freed_page_%u_aborts", k);
        expect_abort(name, SPARE + k * PAGE, probe([k] { return read32(SPARE + k * PAGE); }));
    }
    // A page of the block comes back: a fresh table, this VM's own memory in it.
    expect_status("map_one_page_again", hvc_full(MV_CALL_MEM_MAP, SPARE + PAGE, PAGE), MV_OK);
    const Seen back = probe([] { return read32(SPARE + PAGE); });
    check(back.exceptions == 0 && back.value == FREED_MARK, "own_page_back",
          "at 0x%08x: expected this VM's own 0x%08x, saw %s, 0x%08x", SPARE + PAGE, FREED_MARK,
          outcome_name(back.outcome), back.value);
    expect_status("unmap_one_page_again", hvc_full(MV_CALL_MEM_UNMAP, SPARE + PAGE, PAGE), MV_OK);
}
}  // namespace

void freed_tables() {
    write32(SPARE + PAGE, FREED_MARK);
    expect_status("split_spare_block", hvc_full(MV_CALL_MEM_UNMAP, SPARE + 2 * PAGE, PAGE), MV_OK);
    expect_status("unmap_rest_of_block", hvc_full(MV_CALL_MEM_UNMAP, SPARE, BLOCK), MV_OK);
    freed_table_round();
}

void freed_tables_rounds() { freed_table_round(); }

// Splits to the end of the quota, then PSCI SYSTEM_RESET: the reset VM has its whole map and
// its whole quota again (the count lives in the mailbox, which a reset keeps).
void splits_then_reset() {
    auto split_all = [](bool unmap) {
        u32 n = 0;
        i32 s = MV_OK;
        for (u32 b = 0; b < SPARE_SIZE / BLOCK && s == MV_OK; ++b) {
            s = static_cast<i32>(hvc(unmap ? MV_CALL_MEM_UNMAP : MV_CALL_MEM_MAP, SPARE + b * BLOCK + PAGE, PAGE).r0);
            n += s == MV_OK;
        }
        return n;
    };
    Mailbox& m = mailbox();
    if (m.scratch[1] == 0) {  // the first life
        m.scratch[2] = split_all(true);
        m.scratch[1] = 1;
        mvt::value("attacker_splits_first_life", m.scratch[2]);
        asm volatile("dsb" ::: "memory");
        m.armed = ARMED;
        reset();
    }
    const Seen whole = probe([] { return read32(SPARE + PAGE); });
    check(whole.exceptions == 0, "map_whole_after_reset",
          "at 0x%08x, unmapped before the reset: expected it mapped again, saw %s", SPARE + PAGE,
          outcome_name(whole.outcome));
    const u32 again = split_all(true);
    mvt::value("attacker_splits_second_life", again);
    check(again == m.scratch[2] && again > 0, "quota_whole_after_reset",
          "expected as many splits as before the reset (%u), saw %u: tables leaked", m.scratch[2], again);
    split_all(false);
}

// The longest calls a guest can make: its biggest region out and back in, in a loop. The
// microvisor is not preemptible: the time they take in HYP must count against the caller.
void long_mem_map() {
    const i32 u = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, SPARE, SPARE_SIZE).r0);
    const Seen gone = probe([] { return read32(SPARE + BLOCK); });
    const u64 t = cntvct();
    const i32 m = static_cast<i32>(hvc(MV_CALL_MEM_MAP, SPARE, SPARE_SIZE).r0);
    const u64 took = cntvct() - t;
    const Seen back = probe([] { return read32(SPARE + BLOCK); });
    check(u == MV_OK && gone.outcome == Outcome::dabt && m == MV_OK && back.exceptions == 0, "spare_out_and_in",
          "MEM_UNMAP(0x%08x, 0x%x) = %d, then %s; MEM_MAP = %d, then %s", SPARE, SPARE_SIZE, u,
          outcome_name(gone.outcome), m, outcome_name(back.outcome));
    static bool reported = false;
    if (!reported) {
        reported = true;
        mvt::value("attacker_mem_map_32m_us", static_cast<long long>(took * 1000000 / cntfrq()));
    }
}

// Splitting blocks takes translation tables; a VM that splits all its blocks must not take
// the tables another VM needs (issue 7: a stage-2 table quota per VM).
void block_splits() {
    u32 blocks[2 + SPARE_SIZE / BLOCK];
    u32 n = 0;
    blocks[n++] = RAM + 0x100000;  // in the image's block, above the image
    blocks[n++] = RAM + BLOCK;     // the parameter page's block, below it
    for (u32 b = 0; b < SPARE_SIZE / BLOCK; ++b) blocks[n++] = SPARE + b * BLOCK + PAGE;
    u32 split = 0;
    i32 refusal = MV_OK;
    u32 refused_at = 0;
    for (u32 i = 0; i < n; ++i) {
        const i32 s = static_cast<i32>(hvc(MV_CALL_MEM_UNMAP, blocks[i], PAGE).r0);
        if (s == MV_OK) {
            ++split;
        } else if (refusal == MV_OK) {
            refusal = s;
            refused_at = blocks[i];
        }
    }
    mvt::value("attacker_blocks_split", split);
    mvt::value("attacker_split_refusal", refusal);
    check(refusal == MV_OK || refusal < 0, "splits_ok_or_refused",
          "MEM_UNMAP of one page per 2 MiB block: %u of %u split, then status %d at 0x%08x", split, n, refusal,
          refused_at);
    // A refusal for want of tables is not a bad argument: it has its own status.
    check(refusal == MV_OK || refusal == MV_NO_MEMORY, "split_refusal_is_no_memory",
          "MEM_UNMAP(0x%08x, 0x1000) of a page of this VM's own region, which needs a table: expected MV_OK or "
          "MV_NO_MEMORY (%d), saw %d after %u splits",
          refused_at, MV_NO_MEMORY, refusal, split);
    // The pages come back: mapping them needs no new table.
    u32 remapped = 0;
    for (u32 i = 0; i < n; ++i) remapped += hvc(MV_CALL_MEM_MAP, blocks[i], PAGE).r0 == MV_OK;
    check(remapped == split, "unmapped_pages_map_again", "MEM_MAP of the %u pages unmapped: %u came back", split,
          remapped);
}

}  // namespace attack
