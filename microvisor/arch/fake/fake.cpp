// SPDX-License-Identifier: MIT
// The fake arch: a recording CPU model for host tests.
#include "arch.hpp"

#include <cstdio>
#include <cstring>
#include <memory>

#include "gic_model.hpp"
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
    reset_gic();
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
void console_rx_interrupt(bool on) { fake::cpu().events.push_back(on ? "uart rx interrupt on" : "uart rx interrupt off"); }
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

// The physical GIC (drivers/gic.hpp) of the fake machine: arch/fake/gic_model.hpp.

namespace mv::fake {
namespace {

GicModel the_gic;

bool in_range(const char* call, u32 id, u32 first = 0) {
    if (id >= first && id < GicModel::LINES) return true;
    the_gic.problem(std::string("gic::") + call + "(" + hex(id) + "): no such interrupt" +
                    (first == gic::SPI_FIRST ? " (SPIs only: 0x20 and up)" : ""));
    return false;
}

}  // namespace

GicModel& gic() { return the_gic; }
void reset_gic() { the_gic = GicModel{}; }

void GicModel::pend(u32 id) {
    if (id < LINES) pending[id] = true;
}

u32 GicModel::highest_pending() const {
    u32 ceiling = 0xff;  // GICC_PMR: every priority but the lowest
    if (!running.empty()) ceiling = priority[running.back()];
    u32 best = gic::SPURIOUS;
    for (u32 id = 0; id < LINES; ++id)
        if (pending[id] && enabled[id] && !active[id] && priority[id] < ceiling &&
            (best == gic::SPURIOUS || priority[id] < priority[best]))
            best = id;
    return initialised ? best : gic::SPURIOUS;
}

void GicModel::problem(const std::string& what) {
    if (problems.size() < MAX_PROBLEMS) problems.push_back(what);
}

}  // namespace mv::fake

namespace mv::gic {

void init() {
    fake::GicModel& g = fake::the_gic;
    g.enabled.fill(false);
    g.pending.fill(false);
    g.active.fill(false);
    g.running.clear();
    g.initialised = true;
    fake::cpu().event("gic init");
}

void set_priority(u32 id, u8 prio) {
    if (!fake::in_range("set_priority", id)) return;
    fake::the_gic.priority[id] = prio;
    fake::cpu().event("gic priority " + fake::hex(id) + " " + fake::hex(prio));
}

void enable(u32 id, u8 prio) {
    if (!fake::in_range("enable", id)) return;
    fake::the_gic.priority[id] = prio;
    fake::the_gic.enabled[id] = true;
    fake::cpu().event("gic enable " + fake::hex(id) + " prio " + fake::hex(prio));
}

void disable(u32 id) {
    if (!fake::in_range("disable", id)) return;
    fake::the_gic.enabled[id] = false;
    fake::cpu().event("gic disable " + fake::hex(id));
}

void enable_spi(u32 id, u8 prio) {  // the driver's composition, over the model's calls
    set_trigger(id, Trigger::Level);
    route_to_cpu0(id);
    enable(id, prio);
}

void route_to_cpu0(u32 id) {
    if (!fake::in_range("route_to_cpu0", id, SPI_FIRST)) return;
    fake::the_gic.targets[id] = 1;
    fake::cpu().event("gic route " + fake::hex(id) + " cpu0");
}

void set_trigger(u32 id, Trigger t) {
    if (!fake::in_range("set_trigger", id, SPI_FIRST)) return;
    fake::GicModel& g = fake::the_gic;
    if (g.enabled[id]) g.problem("gic::set_trigger(" + fake::hex(id) + "): the interrupt is enabled");
    g.trigger[id] = t;
    fake::cpu().event("gic trigger " + fake::hex(id) + (t == Trigger::Edge ? " edge" : " level"));
}

bool active(u32 id) { return fake::in_range("active", id) && fake::the_gic.active[id]; }

void set_active(u32 id, bool on) {
    if (!fake::in_range("set_active", id)) return;
    fake::the_gic.active[id] = on;
    fake::cpu().event("gic " + std::string(on ? "set" : "clear") + "-active " + fake::hex(id));
}

u32 ack() {
    fake::GicModel& g = fake::the_gic;
    u32 id = g.highest_pending();
    if (id == SPURIOUS) return SPURIOUS;
    g.pending[id] = false;
    g.active[id] = true;
    g.running.push_back(id);
    fake::cpu().event("gic ack " + fake::hex(id));
    return id;  // an SGI's source CPU (bits 12:10) is CPU 0: 0
}

void eoi(u32 iar) {
    fake::GicModel& g = fake::the_gic;
    u32 id = iar & IAR_ID_MASK;
    fake::cpu().event("gic eoi " + fake::hex(id));
    if (g.running.empty() || g.running.back() != id)
        g.problem("gic::eoi(" + fake::hex(iar) + "): not the last interrupt acknowledged whose priority still runs" +
                  (g.running.empty() ? " (none runs)" : " (that is " + fake::hex(g.running.back()) + ")"));
    else
        g.running.pop_back();
}

void resample() {}  // the model signals what is pending whenever asked

void deactivate(u32 iar) {
    fake::GicModel& g = fake::the_gic;
    u32 id = iar & IAR_ID_MASK;
    fake::cpu().event("gic dir " + fake::hex(id));
    if (id >= fake::GicModel::LINES || !g.active[id]) {
        g.problem("gic::deactivate(" + fake::hex(iar) + "): the interrupt is not active");
        return;
    }
    for (u32 r : g.running)
        if (r == id) g.problem("gic::deactivate(" + fake::hex(iar) + "): its priority was not dropped (eoi() first)");
    g.active[id] = false;
}

}  // namespace mv::gic
