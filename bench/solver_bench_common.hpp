#pragma once
// Shared by bench/solver, bench/accuracy and bench/vs_argyll: measure a virtual display with the
// SimProbe (noise on), and verify a calibration LUT through the display's LUT slot on a separate
// verification set. Header-only so every bench stays one program.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/clock.hpp"
#include "emulators/sim_probe.hpp"
#include "emulators/sim_readings.hpp"
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

// Readings by the SimProbe as a measurement session takes them (emulators/sim_readings.hpp).
// `noise` scales the SimProbe's noise (relative and floor) and the uncertainty it states.
inline calkit::MeasurementSet measure_model(const calkit::DisplayModel& display, const std::vector<Vec3>& rgb,
                                            std::uint64_t seed, double noise = 1) {
  calkit::SimProbeOptions options;
  options.seed = seed;
  options.relative_noise *= noise;
  options.noise_floor_nits *= noise;
  return calkit::read_with_sim_probe(display, rgb, options);
}

inline calkit::MeasurementSet measure_on_sim(const std::string& display, const std::vector<Vec3>& rgb,
                                             std::uint64_t seed, double noise = 1) {
  return measure_model(calkit::load_display_model(display), rgb, seed, noise);
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

// The physical reference for a calibration (issue 20): the exact inverse of the virtual display,
// written as a LUT of the same size as `solved.lut` and judged through the same interpolation.
// Each node asks for the colour calkit's own mapping aims at (the target's colour where the
// fitted model shows it, else where its gamut mapping puts it: the two LUTs then differ by the
// model's error alone) and is solved on the display's noise-free light (steady_XYZ, a 10 %
// window as measured, without the panel's quantisation) by projected Gauss-Newton in the
// mapping's perceptual space, from
// calkit's node. As solve() does, signal 0 drives 0 where calkit's does and the grey diagonal is
// made monotone. Full-range LUTs only (the benches' convention).
inline calkit::Lut3d exact_inverse_lut(const std::string& display, const calkit::SolveResult& solved) {
  // The panel's quantisation is left out of the light solved on: it makes the light a staircase
  // of the signal (no derivative), and it comes after the LUT anyway, on the verified display.
  calkit::DisplayModel smooth = calkit::load_display_model(display);
  smooth.panel_bits = 0;
  calkit::SimulatedClock clock;
  const calkit::VirtualDisplay vd(smooth, clock);
  const calkit::Target& t = solved.target;
  const calkit::DeviceMapper mapper(solved.model, t, solved.fit.model_rms);
  const calkit::PerceptualSpace& space = mapper.space();
  const int n = solved.lut.size;
  calkit::Lut3d lut = solved.lut;
  lut.title = "exact inverse of " + display;
  auto solve_node = [&](int index) {
    int r = index % n, g = (index / n) % n, b = index / (n * n);
    Vec3 signal = Vec3(r, g, b) / double(n - 1);
    Vec3 goal = space.from_XYZ(mapper.mapped_XYZ(t.XYZ(signal)));
    Vec3 x = solved.lut.table[index].cwiseMax(0.0).cwiseMin(1.0);
    auto error = [&](const Vec3& s) { return Vec3(space.from_XYZ(vd.steady_XYZ(s, 10, 0)) - goal); };
    Vec3 e = error(x);
    double damping = 1e-6;
    for (int iteration = 0; iteration < 30 && e.norm() > 1e-7; ++iteration) {
      calkit::Mat3 J;
      for (int c = 0; c < 3; ++c) {
        Vec3 d = x;
        double h = d[c] > 0.5 ? -1e-6 : 1e-6;
        d[c] += h;
        J.col(c) = (error(d) - e) / h;
      }
      bool improved = false;
      for (int attempt = 0; attempt < 8 && !improved; ++attempt) {
        calkit::Mat3 A = J.transpose() * J;
        A.diagonal() += damping * A.diagonal() + Vec3::Constant(1e-12);
        Vec3 next = (x - A.ldlt().solve(J.transpose() * e)).cwiseMax(0.0).cwiseMin(1.0);
        Vec3 en = error(next);
        if (en.norm() < e.norm()) {
          x = next;
          e = en;
          damping = std::max(damping / 4, 1e-9);
          improved = true;
        } else {
          damping *= 8;
        }
      }
      if (!improved) break;
    }
    lut.table[index] = x;
  };
  const int count = n * n * n;
  const int threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; ++k)
    pool.emplace_back([&, k] {
      for (int i = k; i < count; i += threads) solve_node(i);
    });
  for (std::thread& th : pool) th.join();
  if (solved.lut.at(0, 0, 0).isZero()) lut.at(0, 0, 0) = Vec3::Zero();
  for (int i = 1; i < n; ++i) lut.at(i, i, i) = lut.at(i, i, i).cwiseMax(lut.at(i - 1, i - 1, i - 1));
  return lut;
}

}  // namespace bench
