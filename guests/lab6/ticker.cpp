// SPDX-License-Identifier: MIT
// Lab 6's bare-metal "ticker": beside a Linux VM that boots
// (systems/lab6-smp.toml), it takes its virtual timer's interrupt every
// millisecond for 1.5 s of virtual time, about as long as Linux takes to
// reach its shell, and reports how many it took and how late the latest
// was. A microvisor that lets Linux's boot (its stage-2 faults, its emulated
// devices, its WFIs) starve the other VM shows here.
#include "gic.hpp"
#include "guest.hpp"

using namespace guest;

namespace {

constexpr u32 PERIODS = 1500;  // of 1 ms

}  // namespace

int main() {
    gic::init_distributor();
    gic::init_cpu();
    const gic::TickCount t = gic::count_timer_ticks(PERIODS);
    mvt::value("ticker_ticks", t.ticks);
    mvt::value("ticker_latest_us", static_cast<long long>(t.latest_us));
    mvt::value("ticker_latest_at_us", static_cast<long long>(t.latest_at_us));
    mvt::expect(t.ticks >= PERIODS * 9 / 10 && t.ticks <= PERIODS + 1, "ticker_rate",
                "%u timer interrupts in %u ms at 1 kHz beside Linux, expected %u-%u", t.ticks, PERIODS,
                PERIODS * 9 / 10, PERIODS + 1);
    mvt::done();
    return 0;
}
