// The adjust guidance against physics: a display that adds its primaries' light (the model the
// gains assume) lands exactly on the target white once the suggested gains are applied, and
// the light step brings it to the target luminance. Δu′v′ is checked against CIE 15:2004's u′v′
// formulas written out here.
#include "measure/adjust.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"

namespace calkit {
namespace {

// An additive display: the columns are the XYZ (cd/m²) of full red, green and blue.
Mat3 primaries_of(Xy r, Xy g, Xy b, const Vec3& luminances) {
  Mat3 p;
  p.col(0) = XYZ_from_xyY(r, luminances[0]);
  p.col(1) = XYZ_from_xyY(g, luminances[1]);
  p.col(2) = XYZ_from_xyY(b, luminances[2]);
  return p;
}

// CIE 15:2004 (5.3): u′ = 4x / (−2x + 12y + 3), v′ = 9y / (−2x + 12y + 3).
double delta_uv_cie(Xy a, Xy b) {
  auto u = [](Xy c) { return 4 * c.x / (-2 * c.x + 12 * c.y + 3); };
  auto v = [](Xy c) { return 9 * c.y / (-2 * c.x + 12 * c.y + 3); };
  return std::hypot(u(a) - u(b), v(a) - v(b));
}

Vec3 gains_after(const AdjustGuidance& g) {
  Vec3 gains = Vec3::Ones();
  for (const AdjustStep& s : g.steps) {
    if (s.control == "red gain") gains[0] *= 1 + s.change;
    if (s.control == "green gain") gains[1] *= 1 + s.change;
    if (s.control == "blue gain") gains[2] *= 1 + s.change;
  }
  return gains;
}

double light_after(const AdjustGuidance& g) {
  for (const AdjustStep& s : g.steps)
    if (s.control == "light") return 1 + s.change;
  return 1;
}

TEST_CASE("following the gain and light steps puts an additive display's white on the target") {
  // A bluish, too-bright LCD (sRGB-like primaries, luminances of a 7500 K-ish white).
  Mat3 p = primaries_of({0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}, {70, 230, 30});
  Vec3 white = p * Vec3::Ones();
  AdjustTarget target;  // D65 at 100 cd/m²
  AdjustGuidance g = adjust_guidance(white, p, target);
  CHECK_FALSE(g.close_enough);
  CHECK(g.delta_uv == doctest::Approx(delta_uv_cie(xy_from_XYZ(white), kD65)).epsilon(1e-12));
  // The gains are only ever lowered, and one channel stays at full drive.
  Vec3 gains = gains_after(g);
  CHECK(gains.maxCoeff() == doctest::Approx(1));
  CHECK(gains.minCoeff() < 1);
  Vec3 adjusted = p * gains;
  CHECK(delta_uv_cie(xy_from_XYZ(adjusted), kD65) < 1e-9);
  // The light step was computed on the white before the gains: once they are in, reading again
  // gives the light step that lands on 100 cd/m².
  AdjustGuidance again = adjust_guidance(adjusted, p * gains.asDiagonal(), target);
  CHECK(again.white_close);
  CHECK(again.steps.size() == 1);
  CHECK(light_after(again) * adjusted.y() == doctest::Approx(100).epsilon(1e-12));
  AdjustGuidance done = adjust_guidance(adjusted * light_after(again), p, target);
  CHECK(done.close_enough);
  CHECK(done.steps.empty());
}

TEST_CASE("the steps do not depend on the gains and light already set: the primaries are read once") {
  Mat3 p = primaries_of({0.68, 0.32}, {0.265, 0.69}, {0.15, 0.06}, {60, 200, 25});
  AdjustTarget target;
  target.white = {0.314, 0.351};  // DCI white
  target.nits = 48;
  Vec3 set = {0.97, 0.9, 1.0};  // gains a person already moved, and the light lowered to 60 %
  AdjustGuidance first = adjust_guidance(p * Vec3::Ones(), p, target);
  AdjustGuidance later = adjust_guidance(0.6 * p * set, p, target);
  Vec3 g1 = gains_after(first), g2 = gains_after(later).cwiseProduct(set);
  CHECK((g1 / g1.maxCoeff() - g2 / g2.maxCoeff()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("close enough is the tolerance in Δu′v′ and in light, and a PQ target has no light step") {
  AdjustTarget target;
  Uv d65 = uv_prime_from_xy(kD65);
  // A white 0.0015 from D65 in u′ at 102 cd/m² is close enough; 0.0025 is not.
  Xy near = xy_from_uv_prime({d65.u + 0.0015, d65.v});
  Xy far = xy_from_uv_prime({d65.u + 0.0025, d65.v});
  CHECK(adjust_guidance(XYZ_from_xyY(near, 102), std::nullopt, target).close_enough);
  AdjustGuidance off = adjust_guidance(XYZ_from_xyY(far, 102), std::nullopt, target);
  CHECK_FALSE(off.close_enough);
  CHECK(off.steps.empty());  // without the primaries there is no gain to name
  CHECK_FALSE(adjust_guidance(XYZ_from_xyY(near, 110), std::nullopt, target).close_enough);
  target.nits = 0;
  AdjustGuidance hdr = adjust_guidance(XYZ_from_xyY(near, 640), std::nullopt, target);
  CHECK(hdr.close_enough);
  CHECK(hdr.light_error == 0);
}

}  // namespace
}  // namespace calkit
