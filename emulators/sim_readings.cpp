#include "emulators/sim_readings.hpp"

#include "core/clock.hpp"
#include "emulators/virtual_pattern_generator.hpp"

namespace calkit {

MeasurementSet read_with_sim_probe(const DisplayModel& display, const std::vector<Vec3>& rgb,
                                   const SimProbeOptions& options) {
  SimulatedClock clock;
  VirtualDisplay vd(display, clock);
  VirtualPatternGenerator pattern(vd);
  SimProbe probe(vd, options);
  probe.open();
  MeasurementSet set;
  set.info["display"] = display.name;
  const std::vector<int> repeats = repeat_counts(rgb);
  for (std::size_t i = 0; i < rgb.size(); ++i) {
    Patch patch = Patch::from_rgb(rgb[i], 10);
    patch.window_percent = 10;
    patch.repeat = repeats[i];
    pattern.show(patch);
    clock.sleep_s(2.0);
    ProbeReading read = probe.read();
    set.readings.push_back({pattern.shown(patch).signal(), read.XYZ, {}, read.uncertainty});
  }
  return set;
}

}  // namespace calkit
