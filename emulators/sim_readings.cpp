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
  std::vector<Patch> patches;
  std::vector<Vec3> shown;
  for (const Vec3& v : rgb) {
    patches.push_back(Patch::from_rgb(v, 10));
    patches.back().window_percent = 10;
    shown.push_back(pattern.shown(patches.back()).signal());
  }
  const std::vector<int> repeats = repeat_counts(shown);
  for (std::size_t i = 0; i < rgb.size(); ++i) {
    patches[i].repeat = repeats[i];
    pattern.show(patches[i]);
    clock.sleep_s(2.0);
    ProbeReading read = probe.read();
    set.readings.push_back({shown[i], read.XYZ, {}, read.uncertainty});
  }
  return set;
}

}  // namespace calkit
