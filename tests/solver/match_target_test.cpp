// solver/match_target: a target that is another display's measured response. Oracles: the
// fitted model of A predicts A's own readings within the fit's reported residual (invariant of a
// least-squares fit: no reading lies further than the largest residual), and lies close to the
// noise-free truth of the display that was measured; B driven through the LUT solved for that
// target shows, by B's own analytic response, what A shows for the same signal.
#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "luts/apply.hpp"
#include "solver/match_target.hpp"
#include "solver/solve.hpp"
#include "synthetic_display.hpp"

using namespace calkit;

namespace {

// Display A: Rec.709-like primaries inside B's, gamma near 2.2, a higher black than B's.
synthetic::Display display_a() {
  synthetic::Display a;
  a.black = Vec3(0.10, 0.104, 0.115);
  a.primaries.col(0) = XYZ_from_xyY({0.640, 0.330}, 24.0);
  a.primaries.col(1) = XYZ_from_xyY({0.300, 0.600}, 78.0);
  a.primaries.col(2) = XYZ_from_xyY({0.155, 0.070}, 8.5);
  a.gamma = Vec3(2.15, 2.2, 2.3);
  return a;
}

Vec3 white_of(const MeasurementSet& set) {
  for (const Reading& r : set.readings)
    if (r.rgb.minCoeff() >= 0.999) return r.XYZ;
  return Vec3::Zero();
}

}  // namespace

TEST_CASE("match target: model A predicts A's own readings within the fit residual") {
  synthetic::Display a = display_a();
  MeasurementSet set = synthetic::measure(a, synthetic::patch_rgb(300), 0.002, 0.002);
  MatchTarget m = match_target(set, "a.ti3");
  CHECK(m.target.name == "match:a.ti3");
  CHECK_FALSE(m.target.hdr());
  REQUIRE(m.fit.readings == static_cast<int>(set.readings.size()));
  Vec3 white = white_of(set);
  REQUIRE(white.y() > 0);
  double sum2 = 0;
  for (const Reading& r : set.readings) {
    double de = delta_e76(lab_from_XYZ(m.target.XYZ(r.rgb), white), lab_from_XYZ(r.XYZ, white));
    sum2 += de * de;
    // Readings above 1 cd/m² carry (nearly) full weight in the fit: none lies beyond its largest
    // residual (1 % for the noise-floor weights, which are not exactly 1 at a few cd/m²).
    if (r.XYZ.y() > 1) CHECK(de <= m.fit.max_residual * 1.01);
    // And the model is the display's truth to within the meter's noise.
    CHECK(delta_e2000(lab_from_XYZ(m.target.XYZ(r.rgb), white), lab_from_XYZ(a.XYZ(r.rgb), white)) < 0.6);
  }
  CHECK(std::sqrt(sum2 / set.readings.size()) <= m.fit.max_residual);
  CHECK(m.target.white_nits == doctest::Approx(a.XYZ(Vec3::Ones()).y()).epsilon(0.01));
  Xy w = xy_from_XYZ(a.XYZ(Vec3::Ones()));
  CHECK(m.target.container.white.x == doctest::Approx(w.x).epsilon(0.002));
  CHECK(m.target.container.white.y == doctest::Approx(w.y).epsilon(0.002));
  CHECK(m.target.description().find("match:a.ti3") != std::string::npos);
}

TEST_CASE("match target: B through the solved LUT shows what A shows") {
  synthetic::Display a = display_a();
  synthetic::Display b;  // P3-like primaries, 130 cd/m², its own gammas and a lower black
  MeasurementSet ra = synthetic::measure(a, synthetic::patch_rgb(300), 0.001, 0.001, 3);
  MeasurementSet rb = synthetic::measure(b, synthetic::patch_rgb(300), 0.001, 0.001, 5);
  MatchTarget m = match_target(ra, "a.ti3");
  SolveOptions options;
  options.lut_size = 17;
  SolveResult solved = solve(rb, m.target, options);
  Vec3 white = a.XYZ(Vec3::Ones());
  double sum = 0, worst = 0;
  auto signals = synthetic::random_rgb(200, 99);
  for (int i = 1; i <= 10; ++i) signals.push_back(Vec3::Constant(i / 10.0));
  for (const Vec3& s : signals) {
    Vec3 shown = b.XYZ(apply_tetrahedral(solved.lut, s));
    double de = delta_e2000(lab_from_XYZ(shown, white), lab_from_XYZ(a.XYZ(s), white));
    sum += de;
    worst = std::max(worst, de);
  }
  CHECK(sum / signals.size() < 0.5);
  CHECK(worst < 2.0);
  // Without the LUT the two displays are far apart.
  double apart = 0;
  for (const Vec3& s : signals)
    apart += delta_e2000(lab_from_XYZ(b.XYZ(s), white), lab_from_XYZ(a.XYZ(s), white)) / signals.size();
  CHECK(apart > 3.0);
}

TEST_CASE("match target: too few readings are refused naming the file") {
  MeasurementSet set = synthetic::measure(display_a(), synthetic::patch_rgb(0));
  set.readings.resize(5);
  try {
    match_target(set, "a.ti3");
    FAIL("accepted five readings");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("a.ti3") != std::string::npos);
  }
}
