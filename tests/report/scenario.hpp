#pragma once
// Synthetic verification inputs for the report tests: a Rec.709 / BT.1886 target, an HDR PQ
// target, and MeasurementSets "measured" on displays with known, simple deviations.
#include <cmath>
#include <functional>
#include <string>

#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "formats/measurement_set.hpp"
#include "report/verification.hpp"

namespace calkit::test {

// Rec.709 primaries, BT.1886 EOTF at white_nits / black_nits, per channel (BT.1886 Annex 1).
inline TargetFunction rec709_bt1886(double white_nits = 100, double black_nits = 0) {
  Mat3 npm = rec709_space().rgb_to_XYZ();
  Bt1886Eotf eotf(white_nits, black_nits);
  return [npm, eotf](const Vec3& s) { return Vec3(npm * Vec3(eotf.nits(s.x()), eotf.nits(s.y()), eotf.nits(s.z()))); };
}

// Rec.2020 primaries with the absolute PQ EOTF (SMPTE ST 2084), no tone mapping.
inline TargetFunction rec2020_pq() {
  Mat3 npm = rec2020_space().rgb_to_XYZ();
  return [npm](const Vec3& s) { return Vec3(npm * Vec3(pq_eotf(s.x()), pq_eotf(s.y()), pq_eotf(s.z()))); };
}

inline TargetDescription rec709_description(double white_nits = 100, double black_nits = 0) {
  TargetDescription d;
  d.name = "Rec.709 BT.1886";
  d.eotf = "BT.1886";
  d.white_nits = white_nits;
  d.black_nits = black_nits;
  return d;
}

inline TargetDescription rec2020_pq_description() {
  RgbSpace s = rec2020_space();
  TargetDescription d;
  d.name = "PQ Rec.2020";
  d.red = s.red;
  d.green = s.green;
  d.blue = s.blue;
  d.white = s.white;
  d.eotf = "PQ";
  d.white_nits = 10000;
  d.hdr = true;
  return d;
}

// Greyscale 0, 10, ..., 100 %, the six primaries/secondaries at 100 %, and a few colours.
inline std::vector<Vec3> verification_signals() {
  std::vector<Vec3> out;
  for (int i = 0; i <= 10; ++i) out.push_back(Vec3::Constant(i / 10.0));
  for (Vec3 s : {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0, 1, 1), Vec3(1, 0, 1), Vec3(1, 1, 0)})
    out.push_back(s);
  for (Vec3 s : {Vec3(0.45, 0.32, 0.26), Vec3(0.76, 0.59, 0.51), Vec3(0.36, 0.48, 0.61), Vec3(0.35, 0.42, 0.26),
                 Vec3(0.51, 0.50, 0.69), Vec3(0.40, 0.74, 0.67), Vec3(0.84, 0.47, 0.17), Vec3(0.26, 0.36, 0.65)})
    out.push_back(s);
  return out;
}

// Measures `display` (signal -> XYZ) at every signal.
inline MeasurementSet measure(const std::vector<Vec3>& signals, const TargetFunction& display) {
  MeasurementSet set;
  set.info["display"] = "Test display";
  set.info["probe"] = "simulated";
  set.info["date"] = "2026-11-21T12:00:00Z";
  for (const auto& s : signals) {
    Reading r;
    r.rgb = s;
    r.XYZ = display(s);
    set.readings.push_back(r);
  }
  return set;
}

}  // namespace calkit::test

namespace calkit::test {

// A deterministic "probe noise" in [-1, 1] from a patch's signal, so runs are repeatable.
inline double wobble(const Vec3& s, int k) {
  double v = std::sin(12.9898 * s.x() + 78.233 * s.y() + 37.719 * s.z() + 4.1 * k) * 43758.5453;
  return 2.0 * (v - std::floor(v)) - 1.0;
}

// An uncalibrated wide-gamut panel showing Rec.709 signals natively: P3 primaries, gamma 2.2,
// a cool white and 0.12 cd/m² black.
inline TargetFunction uncalibrated_panel() {
  RgbSpace panel = p3d65_space();
  panel.white = {0.3070, 0.3230};
  Mat3 npm = panel.rgb_to_XYZ();
  return [npm](const Vec3& s) {
    Vec3 lin = (s.array().pow(2.2) * 118.0).matrix();
    return Vec3(npm * lin + Vec3(0.113, 0.12, 0.14));
  };
}

// The same panel after calibration: the target with small errors that grow in the shadows.
inline TargetFunction calibrated_panel(TargetFunction target) {
  return [target](const Vec3& s) {
    Vec3 t = target(s);
    double y = t.y();
    Vec3 xyz = t;
    for (int c = 0; c < 3; ++c) xyz[c] += (0.004 * y + 0.0015) * wobble(s, c);
    return xyz;
  };
}

}  // namespace calkit::test
