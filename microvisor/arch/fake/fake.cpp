// SPDX-License-Identifier: MIT
// The fake arch: a recording CPU model for host tests.
#include "arch.hpp"

#include <cstdio>
#include <cstring>
#include <memory>

#include "kernel/console.hpp"

namespace mv::fake {
namespace {

Cpu the_cpu;
std::unique_ptr<u8[]> the_ram(new u8[RAM_SIZE]());

const char* mode_name(Mode m) {
    switch (m) {
    case Mode::usr: return "usr";
    case Mode::fiq: return "fiq";
    case Mode::irq: return "irq";
    case Mode::svc: return "svc";
    case Mode::abt: return "abt";
    case Mode::und: return "und";
    case Mode::sys: return "sys";
    default: return "?";
    }
}

unsigned idx(Mode m) { return static_cast<unsigned>(m) & 0x1f; }

}  // namespace

u64 Cpu::get(const Sysreg& r) const {
    for (const auto& [reg, value] : sysregs)
        if (reg == r) return value;
    return 0;
}

void Cpu::set(const Sysreg& r, u64 v) {
    for (auto& [reg, value] : sysregs)
        if (reg == r) {
            value = v;
            return;
        }
    sysregs.emplace_back(r, v);
}

u64 Cpu::value_written(const std::string& name) const {
    for (auto it = writes.rbegin(); it != writes.rend(); ++it)
        if (it->name == name) return it->value;
    throw std::logic_error("the code under test never wrote " + name);
}

bool Cpu::was_written(const std::string& name) const {
    for (const auto& w : writes)
        if (w.name == name) return true;
    return false;
}

Cpu& cpu() { return the_cpu; }

void reset_cpu() {
    the_cpu = Cpu{};
    std::memset(the_ram.get(), 0, RAM_SIZE);
}

u8* ram() { return the_ram.get(); }

std::string hex(u64 v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

}  // namespace mv::fake

namespace mv {
void console_putc(char c) { fake::cpu().console.push_back(c); }
int console_getc() {
    std::string& in = fake::cpu().console_input;
    if (in.empty()) return -1;
    int c = static_cast<unsigned char>(in.front());
    in.erase(in.begin());
    return c;
}
}  // namespace mv

namespace mv::arch {

u32 banked_lr(Mode m) { return fake::cpu().lr[fake::idx(m)]; }
u32 banked_sp(Mode m) { return fake::cpu().sp[fake::idx(m)]; }
u32 banked_spsr(Mode m) { return fake::cpu().spsr[fake::idx(m)]; }

void set_banked_lr(Mode m, u32 v) {
    fake::cpu().lr[fake::idx(m)] = v;
    fake::cpu().writes.push_back({std::string("LR_") + fake::mode_name(m), v});
}
void set_banked_sp(Mode m, u32 v) {
    fake::cpu().sp[fake::idx(m)] = v;
    fake::cpu().writes.push_back({std::string("SP_") + fake::mode_name(m), v});
}
void set_banked_spsr(Mode m, u32 v) {
    fake::cpu().spsr[fake::idx(m)] = v;
    fake::cpu().writes.push_back({std::string("SPSR_") + fake::mode_name(m), v});
}

u32 fiq_reg(unsigned n) { return n >= 8 && n <= 12 ? fake::cpu().fiq_r8_12[n - 8] : 0; }
void set_fiq_reg(unsigned n, u32 v) {
    if (n < 8 || n > 12) return;
    fake::cpu().fiq_r8_12[n - 8] = v;
    fake::cpu().writes.push_back({"r" + std::to_string(n) + "_fiq", v});
}

void vfp_save(VfpState& s) {
    s = fake::cpu().vfp;
    ++fake::cpu().vfp_saves;
}
void vfp_load(const VfpState& s) {
    fake::cpu().vfp = s;
    ++fake::cpu().vfp_loads;
}
void wait_for_interrupt() {}

void exit_system(int status) {
    // The last console line says why (MV_LAB_TODO:, MV_PANIC: ...).
    std::string text = fake::cpu().console;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto nl = text.rfind('\n');
    throw fake::Exit(status, nl == std::string::npos ? text : text.substr(nl + 1));
}

void halt() { throw fake::Exit(-1, "halt"); }
void enable_hyp_mmu() {}
void flush_guest_tlb() {
    ++fake::cpu().tlb_flushes;
    fake::cpu().event("tlbi guest");
}
void flush_vmid_tlb(u8 vmid) {
    fake::cpu().tlb_vmid_flushes.push_back(vmid);
    fake::cpu().event("tlbi vmid " + fake::hex(vmid));
}
void write_descriptor(u64* entry, u64 value) {
    fake::Cpu& c = fake::cpu();
    if (c.on_descriptor_write) c.on_descriptor_write(entry, value);
    u64 where = c.descriptor_address ? c.descriptor_address(entry) : reinterpret_cast<uintptr_t>(entry);
    c.event("pte " + fake::hex(where) + " <- " + fake::hex(value));
    *entry = value;
}
void enter_guest() { throw fake::Exit(-1, "enter_guest"); }

u8* phys_to_virt(u32 pa) {
    if (pa < fake::RAM_BASE || pa - fake::RAM_BASE >= fake::RAM_SIZE)
        throw std::out_of_range("phys_to_virt outside the fake RAM");
    return fake::ram() + (pa - fake::RAM_BASE);
}

}  // namespace mv::arch

// The physical GIC (drivers/gic.hpp) of the fake machine: no interrupt is ever pending.
#include "drivers/gic.hpp"

namespace mv::gic {
void init() {}
void enable(u32, u8) {}
u32 ack() { return SPURIOUS; }
void eoi(u32) {}
}  // namespace mv::gic
