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

// The same for any display model, each reading with the 1-sigma the SimProbe states for it.
inline MeasurementSet read_model_on_sim(const DisplayModel& display, const std::vector<Vec3>& signals) {
  SimulatedClock clock;
  VirtualDisplay vd(display, clock);
  SimProbe probe(vd, {});
  probe.open();
  MeasurementSet set;
  for (const Vec3& v : signals) {
    vd.show(v, 10, 0);
    clock.sleep_s(2.0);
    ProbeReading read = probe.read();
    set.readings.push_back({v, read.XYZ, {}, read.uncertainty});
  }
  return set;
}

inline MeasurementSet read_on_sim(const std::string& display, const std::vector<Vec3>& signals) {
  SimulatedClock clock;
  VirtualDisplay vd(load_display_model(display), clock);
  SimProbe probe(vd, {});
  probe.open();
  MeasurementSet set;
  for (const Vec3& v : signals) {
    vd.show(v, 10, 0);
    clock.sleep_s(2.0);
    set.readings.push_back({v, probe.read().XYZ, {}});
  }
  return set;
}

}  // namespace calkit::test
