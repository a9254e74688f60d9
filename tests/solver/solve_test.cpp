// Inversion, gamut mapping and the LUTs solve() writes, on the known synthetic display.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "box_search.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "luts/apply.hpp"
#include "solver/invert.hpp"
#include "solver/solve.hpp"
#include "synthetic_display.hpp"

using namespace calkit;

namespace {

FittedDisplayModel fitted(const synthetic::Display& d, double noise = 0) {
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(600), noise, noise);
  return fit_display_model(set, PerceptualSpace::lab(d.XYZ(Vec3::Ones())));
}

}  // namespace

TEST_CASE("invert: model(invert(colour)) == colour for in-gamut colours within 1e-4") {
  synthetic::Display d;
  d.crosstalk = 0.03;
  FittedDisplayModel m = fitted(d, 0.002);
  int checked = 0;
  for (const Vec3& rgb : synthetic::random_rgb(300, 5)) {
    // Stay a little inside the cube so the colour is certainly reproducible.
    Vec3 inner = 0.02 * Vec3::Ones() + 0.96 * rgb;
    Vec3 XYZ = m.XYZ(inner);
    Inversion inv = invert_model(m, XYZ, m.initial_rgb(XYZ));
    INFO("rgb " << inner.transpose());
    CHECK(inv.exact);
    CHECK((m.XYZ(inv.rgb) - XYZ).norm() < 1e-4 * std::max(XYZ.norm(), 1.0));
    CHECK((inv.rgb - inner).cwiseAbs().maxCoeff() < 1e-4);
    ++checked;
  }
  CHECK(checked == 300);
}

// The mapping's two guarantees (solver/invert.hpp), against the nearest colour the display shows
// found by compass search (box_search.hpp): a mapped colour is at most twice as far from its
// target as that nearest colour, and no further from it across the target's hue plane (for a
// grey: no more chroma).
TEST_CASE("invert: out-of-gamut colours go no further than twice the nearest, hue and greys held better") {
  synthetic::Display d;
  FittedDisplayModel m = fitted(d);
  TargetOptions o;
  o.primaries = rec2020_space();  // much wider than the display
  o.white_nits = 100;
  Target t = target_by_name("bt1886", o);
  t.display_black_XYZ = m.XYZ(Vec3::Zero());
  DeviceMapper mapper(m, t, 0.05);
  const PerceptualSpace& space = mapper.space();
  auto across = [](const Vec3& p, const Vec3& want) {
    double c = std::hypot(want.y(), want.z());
    if (c < 1e-9) return std::hypot(p.y(), p.z());  // a grey: all chroma is off
    return std::abs(-p.y() * want.z() / c + p.z() * want.y() / c);
  };
  int mapped_count = 0;
  for (const Vec3& s : {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0.9, 0.2, 0.1), Vec3(0.1, 0.8, 0.7),
                        Vec3(0.7, 0.1, 0.8), Vec3(0.5, 0.9, 0.1), Vec3(0.3, 0.3, 0.9)}) {
    Vec3 XYZ = t.XYZ(s);
    bool mapped = false;
    Vec3 rgb = mapper.device_rgb(XYZ, m.initial_rgb(XYZ), &mapped);
    Vec3 want = space.from_XYZ(XYZ);
    test::BoxSearch nearest = test::nearest_in_box(m, space, want, {m.initial_rgb(XYZ), rgb});
    if (nearest.distance <= 0.1) continue;
    CHECK(mapped);
    ++mapped_count;
    Vec3 shown = space.from_XYZ(m.XYZ(rgb)), closest = space.from_XYZ(m.XYZ(nearest.rgb));
    INFO("signal " << s.transpose() << " want " << want.transpose() << " shown " << shown.transpose() << " nearest "
                   << closest.transpose());
    CHECK((shown - want).norm() <= 2 * nearest.distance + 1e-3);
    CHECK(across(shown - want, want) <= across(closest - want, want) + 1e-3);
  }
  CHECK(mapped_count >= 5);

  // Greys brighter than the display can show at D65: no more chroma than the nearest colour.
  o.white_nits = 400;
  Target bright = target_by_name("bt1886", o);
  DeviceMapper clamp_mapper(m, bright, 0.05);
  for (double v : {0.8, 0.9, 1.0}) {
    Vec3 XYZ = bright.XYZ(Vec3::Constant(v));
    Vec3 want = clamp_mapper.space().from_XYZ(XYZ);
    Vec3 shown = clamp_mapper.space().from_XYZ(m.XYZ(clamp_mapper.device_rgb(XYZ, m.initial_rgb(XYZ))));
    test::BoxSearch nearest = test::nearest_in_box(m, clamp_mapper.space(), want, {m.initial_rgb(XYZ)});
    Vec3 closest = clamp_mapper.space().from_XYZ(m.XYZ(nearest.rgb));
    INFO("grey " << v);
    CHECK(nearest.distance > 0.1);
    CHECK(std::hypot(shown.y(), shown.z()) <= std::hypot(closest.y(), closest.z()) + 1e-3);
  }
}

TEST_CASE("solve: through the LUT the display shows the BT.1886 target, greys are monotonic") {
  synthetic::Display d;
  d.crosstalk = 0.02;
  d.white_subpixel = XYZ_from_xyY({0.31, 0.33}, 20.0);
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(800));
  SolveOptions options;
  options.lut_size = 17;
  options.lut1d_size = 256;
  SolveResult r = solve(set, target_by_name("bt1886"), options);
  REQUIRE(r.lut.size == 17);
  REQUIRE(r.lut.table.size() == 17u * 17 * 17);
  REQUIRE(r.lut1d.table.size() == 256u);
  CHECK(r.lut.metadata.count("calkit_target") == 1);
  // Greyscale: every channel non-decreasing along the diagonal and in the 1D LUT.
  for (int i = 1; i < 17; ++i)
    for (int c = 0; c < 3; ++c) CHECK(r.lut.at(i, i, i)[c] >= r.lut.at(i - 1, i - 1, i - 1)[c]);
  for (size_t i = 1; i < r.lut1d.table.size(); ++i)
    for (int c = 0; c < 3; ++c) CHECK(r.lut1d.table[i][c] >= r.lut1d.table[i - 1][c]);
  // Accuracy through the LUT (tetrahedral, as a monitor applies it) on colours in Rec.709.
  Vec3 white = r.target.XYZ(Vec3::Ones());
  double sum = 0, worst = 0;
  auto signals = synthetic::random_rgb(300, 17);
  for (const Vec3& s : signals) {
    Vec3 shown = d.XYZ(apply_tetrahedral(r.lut, s));
    double de = delta_e2000(lab_from_XYZ(shown, white), lab_from_XYZ(r.target.XYZ(s), white));
    sum += de;
    worst = std::max(worst, de);
  }
  MESSAGE("synthetic display through a 17³ LUT: mean dE00 " << sum / signals.size() << " max " << worst);
  CHECK(sum / signals.size() < 0.3);
  CHECK(worst < 1.5);
  // Black is the display's black: BT.1886 black compensation at the measured black.
  CHECK(r.lut.at(0, 0, 0).norm() < 1e-4);
  CHECK(r.target.display_black_XYZ.y() == doctest::Approx(d.black.y()).epsilon(1e-2));
}

TEST_CASE("solve: noisy readings give a smooth LUT (no ripples beyond the noise-free LUT's)") {
  synthetic::Display d;
  d.crosstalk = 0.02;
  SolveOptions options;
  options.lut_size = 17;
  auto rgb = synthetic::patch_rgb(1000);
  SolveResult clean = solve(synthetic::measure(d, rgb), target_by_name("bt1886"), options);
  SolveResult noisy = solve(synthetic::measure(d, rgb, 0.004, 0.002, 3), target_by_name("bt1886"), options);
  // Second differences of the device values along each LUT axis, noisy minus clean, on nodes
  // above the deep shadows (where device values are steep and a noisy black legitimately moves
  // them) and away from the gamut boundary (where the mapper clips, kinks move with the noise).
  const int n = 17;
  double worst = 0;
  int count = 0;
  for (int b = 4; b < n; ++b)
    for (int g = 4; g < n; ++g)
      for (int r = 4; r < n; ++r)
        for (int axis = 0; axis < 3; ++axis) {
          int idx[3] = {r, g, b};
          if (idx[axis] < 5 || idx[axis] + 1 >= n) continue;
          auto node = [&](const Lut3d& lut, int delta) -> const Vec3& {
            int j[3] = {r, g, b};
            j[axis] += delta;
            return lut.at(j[0], j[1], j[2]);
          };
          bool inside = true;
          for (int k = -1; k <= 1; ++k)
            for (const Lut3d* lut : {&noisy.lut, &clean.lut})
              inside = inside && node(*lut, k).minCoeff() > 1e-6 && node(*lut, k).maxCoeff() < 1 - 1e-6;
          if (!inside) continue;
          Vec3 dn = node(noisy.lut, 1) - 2 * node(noisy.lut, 0) + node(noisy.lut, -1);
          Vec3 dc = node(clean.lut, 1) - 2 * node(clean.lut, 0) + node(clean.lut, -1);
          worst = std::max(worst, (dn - dc).cwiseAbs().maxCoeff());
          ++count;
        }
  MESSAGE("LUT second differences, noisy minus clean: max " << worst << " over " << count);
  REQUIRE(count > 2000);
  // 0.4 % noise per reading is about 2 10-bit codes of signal; the GCV-smoothed LUT bends by
  // less than 8 codes more than the noise-free one anywhere.
  CHECK(worst < 0.008);
}

TEST_CASE("solve: legal range maps BT.709 code 64 and 940 (of 1023) to the signal's 0 and 1") {
  CHECK(signal_from_lut_input(64.0 / 1023, LutRange::Legal) == doctest::Approx(0).scale(1));
  CHECK(signal_from_lut_input(940.0 / 1023, LutRange::Legal) == doctest::Approx(1));
  CHECK(lut_output_from_device(0, LutRange::Legal) == doctest::Approx(64.0 / 1023));
  CHECK(lut_output_from_device(1, LutRange::Legal) == doctest::Approx(940.0 / 1023));
  synthetic::Display d;
  SolveOptions options;
  options.lut_size = 5;
  options.range = LutRange::Legal;
  SolveResult r = solve(synthetic::measure(d, synthetic::patch_rgb(200)), target_by_name("bt1886"), options);
  for (const Vec3& v : r.lut.table) {
    CHECK(v.minCoeff() >= 64.0 / 1023 - 1e-9);
    CHECK(v.maxCoeff() <= 940.0 / 1023 + 1e-9);
  }
}

TEST_CASE("solve: LUT sizes outside 2..256 are an InputError") {
  synthetic::Display d;
  SolveOptions options;
  options.lut_size = 1;
  CHECK_THROWS_AS(solve(synthetic::measure(d, synthetic::patch_rgb(50)), target_by_name("bt1886"), options),
                  InputError);
}
