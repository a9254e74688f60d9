#pragma once
// Shared by bench/solver, bench/accuracy and bench/vs_argyll: measure a virtual display with the
// SimProbe (noise on), and verify a calibration LUT through the display's LUT slot on a separate
// verification set. Header-only so every bench stays one program.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/clock.hpp"
#include "emulators/sim_probe.hpp"
#include "formats/measurement_set.hpp"
#include "patches/patch_sets.hpp"
#include "sim/virtual_display.hpp"
#include "solver/invert.hpp"
#include "solver/solve.hpp"

namespace bench {

using calkit::Vec3;

inline bool display_is_hdr(const std::string& name) {
  return calkit::load_display_model(name).eotf == calkit::PanelEotf::Pq;
}

// Patches shown as a 10% window on black, read after the display settled.
inline calkit::MeasurementSet measure_on_sim(const std::string& display, const std::vector<Vec3>& rgb,
                                             std::uint64_t seed) {
  calkit::SimulatedClock clock;
  calkit::VirtualDisplay vd(calkit::load_display_model(display), clock);
  calkit::SimProbeOptions options;
  options.seed = seed;
  calkit::SimProbe probe(vd, options);
  probe.open();
  calkit::MeasurementSet set;
  set.info["display"] = display;
  for (const Vec3& v : rgb) {
    vd.show(v, 10, 0);
    clock.sleep_s(2.0);
    calkit::Reading r;
    r.rgb = v;
    r.XYZ = probe.read().XYZ;
    set.readings.push_back(r);
  }
  return set;
}

// Target-encoded verification signals (`calkit verify --set accuracy`): a 21-step greyscale,
// primary/secondary sweeps and 250 seeded random colours (a different seed from any profiling set).
inline std::vector<Vec3> verification_signals() { return calkit::accuracy_verification_set().rgb; }

struct Stats {
  double mean = 0, p95 = 0, max = 0;
  int count = 0, skipped = 0;
};

inline Stats stats_of(std::vector<double> e, int skipped) {
  Stats s;
  s.count = int(e.size());
  s.skipped = skipped;
  if (e.empty()) return s;
  std::sort(e.begin(), e.end());
  for (double v : e) s.mean += v / e.size();
  s.p95 = e[std::min(e.size() - 1, size_t(0.95 * (e.size() - 1) + 0.5))];
  s.max = e.back();
  return s;
}

// Error of the display through `lut` against the target: dE2000 (Lab relative to the target
// white) for SDR, dE ITP for PQ. Colours the display cannot show (the fitted model's mapper
// moves them by more than 0.05 dE) are left out and counted in `skipped`.
// `relative`: scale what is shown so that the LUT's white reads the target white, as if the
// display's brightness control had been set to it (for links, like ArgyllCMS's, that map the
// source white to the display's white instead of to an absolute luminance).
// `as_read`: what the SimProbe reads (noise on, as `calkit verify` sees it) instead of the
// display's own noise-free light.
inline Stats verify_through_lut(const std::string& display, const calkit::Lut3d& lut, const calkit::SolveResult& solved,
                                const std::vector<Vec3>& signals, bool relative = false, bool as_read = false) {
  calkit::SimulatedClock clock;
  calkit::VirtualDisplay vd(calkit::load_display_model(display), clock);
  vd.load_lut(lut);
  std::optional<calkit::SimProbe> probe;
  if (as_read) {
    probe.emplace(vd);
    probe->open();
  }
  auto light = [&](const Vec3& s) {
    if (!probe) return vd.steady_XYZ(s, 10, 0);
    vd.show(s, 10, 0);
    clock.sleep_s(2.0);
    return probe->read().XYZ;
  };
  const calkit::Target& t = solved.target;
  calkit::DeviceMapper mapper(solved.model, t);
  Vec3 white = t.XYZ(Vec3::Ones());
  double scale = relative ? white.y() / vd.steady_XYZ(Vec3::Ones(), 10, 0).y() : 1.0;
  std::vector<double> errors;
  int skipped = 0;
  for (const Vec3& s : signals) {
    Vec3 want = t.XYZ(s);
    Vec3 can = mapper.mapped_XYZ(want);
    double moved = t.hdr() ? calkit::delta_e_itp_XYZ(can, want)
                           : calkit::delta_e2000(calkit::lab_from_XYZ(can, white), calkit::lab_from_XYZ(want, white));
    if (moved > 0.05) {
      ++skipped;
      continue;
    }
    Vec3 shown = scale * light(s);
    errors.push_back(t.hdr()
                         ? calkit::delta_e_itp_XYZ(shown, want)
                         : calkit::delta_e2000(calkit::lab_from_XYZ(shown, white), calkit::lab_from_XYZ(want, white)));
  }
  return stats_of(errors, skipped);
}

}  // namespace bench
