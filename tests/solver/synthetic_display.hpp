#pragma once
// A known analytic display for the solver's tests: black + primaries matrix · channel powers
// (+ an optional white sub-pixel and signal crosstalk), with optional seeded meter noise.
// The fit must recover it; it is ours, so it only checks the solver finds what we put in.
#include <cmath>
#include <random>
#include <vector>

#include "color/colorimetry.hpp"
#include "formats/measurement_set.hpp"

namespace synthetic {

using calkit::Mat3;
using calkit::Vec3;

struct Display {
  Vec3 black{0.05, 0.052, 0.06};
  Mat3 primaries;  // XYZ of full R, G, B above black, columns
  Vec3 gamma{2.3, 2.2, 2.45};
  Vec3 white_subpixel = Vec3::Zero();  // XYZ of the white sub-pixel at full drive
  bool white_from_linear = false;      // W from the smallest linear channel, else the smallest signal
  double crosstalk = 0;                // each channel's drive leaks this much into its neighbours

  Display() {
    // Roughly P3 primaries and a slightly cool white of about 130 cd/m².
    auto column = [](double x, double y, double Y) { return calkit::XYZ_from_xyY({x, y}, Y); };
    primaries.col(0) = column(0.675, 0.318, 30.0);
    primaries.col(1) = column(0.268, 0.685, 90.0);
    primaries.col(2) = column(0.151, 0.058, 9.5);
  }

  Vec3 XYZ(const Vec3& rgb) const {
    Vec3 drive = rgb;
    if (crosstalk != 0) {
      drive[0] = rgb[0] + crosstalk * rgb[1] * (1 - rgb[0]);
      drive[1] = rgb[1] + crosstalk * rgb[2] * (1 - rgb[1]);
      drive[2] = rgb[2] + crosstalk * rgb[0] * (1 - rgb[2]);
    }
    Vec3 f;
    for (int c = 0; c < 3; ++c) f[c] = std::pow(std::max(drive[c], 0.0), gamma[c]);
    double w = white_from_linear ? f.minCoeff() : std::pow(std::max(rgb.minCoeff(), 0.0), 2.2);
    return black + primaries * f + white_subpixel * w;
  }
};

// Greys, per-channel ramps and seeded random colours: a typical profiling set.
inline std::vector<Vec3> patch_rgb(int random_count, unsigned seed = 7) {
  std::vector<Vec3> out;
  for (int i = 0; i <= 16; ++i) out.push_back(Vec3::Constant(i / 16.0));
  for (int c = 0; c < 3; ++c)
    for (int i = 1; i <= 8; ++i) {
      Vec3 v = Vec3::Zero();
      v[c] = i / 8.0;
      out.push_back(v);
    }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < random_count; ++i) out.push_back(Vec3(u(rng), u(rng), u(rng)));
  return out;
}

// Readings of `display` with relative noise (1-sigma, each component) plus an absolute floor.
inline calkit::MeasurementSet measure(const Display& display, const std::vector<Vec3>& rgb, double relative_noise = 0,
                                      double floor_nits = 0, unsigned seed = 11) {
  calkit::MeasurementSet set;
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, 1);
  for (const Vec3& v : rgb) {
    calkit::Reading r;
    r.rgb = v;
    Vec3 XYZ = display.XYZ(v);
    for (int c = 0; c < 3; ++c) XYZ[c] += XYZ[c] * relative_noise * n(rng) + floor_nits * n(rng);
    r.XYZ = XYZ;
    set.readings.push_back(r);
  }
  return set;
}

inline std::vector<Vec3> random_rgb(int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Vec3> out;
  for (int i = 0; i < count; ++i) out.push_back(Vec3(u(rng), u(rng), u(rng)));
  return out;
}

}  // namespace synthetic
