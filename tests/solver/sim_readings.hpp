#pragma once
// Readings of a built-in virtual display by the SimProbe (noise on), each patch a 10 % window on
// black read after the display settled: what the solver tests fit their models to.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "emulators/sim_probe.hpp"
#include "formats/measurement_set.hpp"
#include "sim/virtual_display.hpp"

namespace calkit::test {

// Each reading with the 1-sigma the SimProbe states for it, as a probe's driver states it.
inline MeasurementSet read_model_on_sim(const DisplayModel& display, const std::vector<Vec3>& signals) {
  SimulatedClock clock;
  VirtualDisplay vd(display, clock);
  SimProbe probe(vd, {});
  probe.open();
  MeasurementSet set;
  const std::vector<int> repeats = repeat_counts(signals);
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const Vec3& v = signals[i];
    vd.show_at(v, 10, 0, 0.5, 0.5, repeats[i]);
    clock.sleep_s(2.0);
    ProbeReading read = probe.read();
    set.readings.push_back({v, read.XYZ, {}, read.uncertainty});
  }
  return set;
}

// The same for a built-in display by name.
inline MeasurementSet read_on_sim(const std::string& display, const std::vector<Vec3>& signals) {
  return read_model_on_sim(load_display_model(display), signals);
}

}  // namespace calkit::test
