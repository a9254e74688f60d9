// Spatial non-uniformity of the virtual display: physical invariants of the model in
// sim/display_model.hpp (SpatialUniformity), checked through VirtualDisplay's light output.
#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

namespace {

// A display whose light is the panel alone (no black) so ratios of readings are ratios of light.
DisplayModel no_black(DisplayModel m) {
  m.black_nits = 0;
  m.black_bloom_nits = 0;
  return m;
}

}  // namespace

TEST_CASE("the centre of a non-uniform display emits exactly what the uniform display does") {
  SimulatedClock clock;
  for (const std::string& name : builtin_display_names()) {
    DisplayModel model = builtin_display_model(name);
    CAPTURE(name);
    REQUIRE_FALSE(model.uniformity.uniform());  // every built-in has some non-uniformity
    DisplayModel flat = model;
    flat.uniformity = SpatialUniformity{};
    VirtualDisplay shaded(model, clock), uniform(flat, clock);
    for (double level : {1.0, 0.5, 0.1}) {
      Vec3 s = Vec3::Constant(level);
      Vec3 a = shaded.steady_XYZ_at(s, 10, 0, 0.5, 0.5);
      Vec3 b = uniform.steady_XYZ(s, 10, 0);
      CHECK(a == b);
    }
  }
}

TEST_CASE("the corner luminance ratio is 1 - corner_falloff, whatever the tint") {
  SimulatedClock clock;
  for (const std::string& name : builtin_display_names()) {
    DisplayModel model = no_black(builtin_display_model(name));
    CAPTURE(name);
    VirtualDisplay display(model, clock);
    Vec3 centre = display.steady_XYZ_at(Vec3::Ones(), 4, 0, 0.5, 0.5);
    for (auto [x, y] : {std::pair{0.0, 0.0}, std::pair{1.0, 0.0}, std::pair{0.0, 1.0}, std::pair{1.0, 1.0}}) {
      Vec3 corner = display.steady_XYZ_at(Vec3::Ones(), 4, 0, x, y);
      CHECK(corner.y() / centre.y() == doctest::Approx(1 - model.uniformity.corner_falloff).epsilon(1e-12));
    }
  }
}

TEST_CASE("a tint moves the white chromaticity by exactly the model's shift") {
  DisplayModel m = no_black(builtin_display_model("sim:reference"));
  m.uniformity = SpatialUniformity{};
  m.uniformity.horizontal_tint_xy = {0.004, -0.002};
  m.uniformity.corner_tint_xy = {0.001, 0.003};
  SimulatedClock clock;
  VirtualDisplay display(m, clock);
  Xy centre = xy_from_XYZ(display.steady_XYZ_at(Vec3::Ones(), 4, 0, 0.5, 0.5));
  // Right edge, middle height: r^2 = 1/2, so the corner tint counts 1/sqrt(2)^2 = 1/2 (exponent 2).
  Xy right = xy_from_XYZ(display.steady_XYZ_at(Vec3::Ones(), 4, 0, 1.0, 0.5));
  CHECK(right.x - centre.x == doctest::Approx(0.004 + 0.001 * 0.5).epsilon(1e-9));
  CHECK(right.y - centre.y == doctest::Approx(-0.002 + 0.003 * 0.5).epsilon(1e-9));
  Xy left = xy_from_XYZ(display.steady_XYZ_at(Vec3::Ones(), 4, 0, 0.0, 0.5));
  CHECK(left.x - centre.x == doctest::Approx(-0.004 + 0.001 * 0.5).epsilon(1e-9));
}

TEST_CASE("zero uniformity parameters give identical zones") {
  DisplayModel m = builtin_display_model("sim:ips-lcd");
  m.uniformity = SpatialUniformity{};
  SimulatedClock clock;
  VirtualDisplay display(m, clock);
  Vec3 centre = display.steady_XYZ_at(Vec3::Constant(0.7), 5, 0.1, 0.5, 0.5);
  for (double x : {0.1, 0.3, 0.9})
    for (double y : {0.0, 0.6, 1.0}) CHECK(display.steady_XYZ_at(Vec3::Constant(0.7), 5, 0.1, x, y) == centre);
}

TEST_CASE("the light a probe sees follows the patch position") {
  SimulatedClock clock;
  VirtualDisplay display(no_black(builtin_display_model("sim:projector")), clock);
  display.show_at(Vec3::Ones(), 4, 0, 0.0, 0.0);
  clock.sleep_s(5);
  CHECK(display.emitted_XYZ() == display.steady_XYZ_at(Vec3::Ones(), 4, 0, 0.0, 0.0));
  CHECK(display.shown_centre_x() == 0.0);
  display.show(Vec3::Ones(), 4, 0);  // the old call is centred
  clock.sleep_s(5);
  CHECK(display.emitted_XYZ() == display.steady_XYZ(Vec3::Ones(), 4, 0));
  CHECK(display.shown_centre_x() == 0.5);
}

TEST_CASE("uniformity round-trips through JSON and bad values name the field") {
  DisplayModel m = builtin_display_model("sim:ips-lcd");
  DisplayModel back = display_model_from_json(display_model_to_json(m), "x.json");
  CHECK(back.uniformity.corner_falloff == m.uniformity.corner_falloff);
  CHECK(back.uniformity.horizontal_tint_xy.x == m.uniformity.horizontal_tint_xy.x);
  CHECK(back.uniformity.corner_tint_xy.y == m.uniformity.corner_tint_xy.y);
  const std::string base = R"({"primaries": {"red": [0.64, 0.33], "green": [0.3, 0.6], "blue": [0.15, 0.06],
    "white": [0.3127, 0.329]}, "peak_nits": 100, )";
  CHECK(display_model_from_json(base + R"("uniformity": {}})").uniformity.uniform());
  CHECK_THROWS_WITH_AS(display_model_from_json(base + R"("uniformity": {"corner_falloff": 1.5}})", "m.json"),
                       doctest::Contains("uniformity.corner_falloff"), InputError);
  CHECK_THROWS_WITH_AS(display_model_from_json(base + R"("uniformity": {"hot_spot": 1}})", "m.json"),
                       doctest::Contains("uniformity.hot_spot"), InputError);
  CHECK_THROWS_WITH_AS(display_model_from_json(base + R"("uniformity": {"corner_tint_xy": [0.2, 0]}})", "m.json"),
                       doctest::Contains("uniformity.corner_tint_xy"), InputError);
}
