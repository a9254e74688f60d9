// The single-effect virtual displays (sim/single_effect_displays.hpp): the clean panels are the
// additive displays they claim (white at the peak and D65, the published ST 2084 decode), and
// each single-effect display is a valid model that differs from its clean panel in its light.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/clock.hpp"
#include "sim/single_effect_displays.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

TEST_CASE("single-effect displays: the clean SDR panel is additive, gamma 2.2, white at 200 cd/m2 and D65") {
  SimulatedClock clock;
  VirtualDisplay vd(clean_display_model(false), clock);
  Vec3 black = vd.steady_XYZ(Vec3::Zero());
  Vec3 white = vd.steady_XYZ(Vec3::Ones()) - black;
  CHECK(white.y() == doctest::Approx(200).epsilon(1e-9));
  Xy xy = xy_from_XYZ(white);
  CHECK(xy.x == doctest::Approx(kD65.x).epsilon(1e-6));
  CHECK(xy.y == doctest::Approx(kD65.y).epsilon(1e-6));
  CHECK(black.y() == doctest::Approx(0.05).epsilon(1e-9));
  // Additive: R + G + B above black is white above black; a grey follows the power law.
  Vec3 sum = Vec3::Zero();
  for (int c = 0; c < 3; ++c) {
    Vec3 s = Vec3::Zero();
    s[c] = 1;
    sum += vd.steady_XYZ(s) - black;
  }
  CHECK((sum - white).norm() < 1e-9 * white.norm());
  CHECK((vd.steady_XYZ(Vec3::Constant(0.5)) - black).y() == doctest::Approx(200 * std::pow(0.5, 2.2)).epsilon(1e-9));
}

TEST_CASE("single-effect displays: the clean PQ panel decodes ST 2084 and clips at its 1000 cd/m2 peak") {
  SimulatedClock clock;
  VirtualDisplay vd(clean_display_model(true), clock);
  double black = vd.steady_XYZ(Vec3::Zero()).y();
  // ST 2084: signal 0.5081 is 100 cd/m² (the standard's table, to 4 digits).
  CHECK(vd.steady_XYZ(Vec3::Constant(0.5081)).y() - black == doctest::Approx(100).epsilon(2e-3));
  CHECK(vd.steady_XYZ(Vec3::Constant(pq_inverse_eotf(1000))).y() - black == doctest::Approx(1000).epsilon(1e-6));
  CHECK(vd.steady_XYZ(Vec3::Constant(0.9)).y() - black == doctest::Approx(1000).epsilon(1e-9));
}

TEST_CASE("single-effect displays: every one is a valid model whose light differs from its clean panel") {
  std::set<std::string> effects;
  for (const SingleEffectDisplay& d : single_effect_displays()) {
    INFO(d.model.name);
    effects.insert(d.effect);
    bool hdr = d.model.eotf == PanelEotf::Pq;
    SimulatedClock clock;
    VirtualDisplay changed(d.model, clock), clean(clean_display_model(hdr), clock);
    if (d.effect == "none") continue;
    double largest = 0;
    for (double r : {0.0, 0.05, 0.3, 0.7, 0.75, 1.0})
      for (double g : {0.0, 0.05, 0.3, 0.7, 0.75, 1.0})
        for (double b : {0.0, 0.05, 0.3, 0.7, 0.75, 1.0}) {
          Vec3 s(r, g, b);
          Vec3 a = changed.steady_XYZ(s), c = clean.steady_XYZ(s);
          largest = std::max(largest, (a - c).norm() / std::max(c.norm(), 0.01));
        }
    CHECK(largest > 1e-4);  // black bloom, the faintest: 4e-4 of a dark grey's light
  }
  for (const char* effect : {"none", "shadow tone", "black level", "tone shape", "white sub-pixel", "crosstalk",
                             "power sag", "frame load", "tracking error", "roll-off"})
    CHECK(effects.count(effect) == 1);
}
