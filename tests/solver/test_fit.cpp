// The display-model fit recovers a known analytic display (tests/solver/synthetic_display.hpp):
// its parameters and its predictions on colours it was not fitted on.
#include <doctest/doctest.h>

#include <algorithm>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/input_error.hpp"
#include "solver/fitted_model.hpp"
#include "synthetic_display.hpp"

using namespace calkit;

namespace {

PerceptualSpace lab_space(const synthetic::Display& d) {
  return PerceptualSpace::lab(d.XYZ(Vec3::Ones()));
}

struct Errors {
  double mean = 0, max = 0;
};

// dE2000 between model and truth on held-out random colours, Lab relative to the true white.
Errors prediction_errors(const FittedDisplayModel& model, const synthetic::Display& d) {
  Vec3 white = d.XYZ(Vec3::Ones());
  Errors e;
  auto rgbs = synthetic::random_rgb(400, 99);
  for (const Vec3& rgb : rgbs) {
    double de = delta_e2000(lab_from_XYZ(model.XYZ(rgb), white), lab_from_XYZ(d.XYZ(rgb), white));
    e.mean += de / rgbs.size();
    e.max = std::max(e.max, de);
  }
  return e;
}

}  // namespace

TEST_CASE("fit: noise-free readings of an additive display give back its black, primaries and gammas") {
  synthetic::Display d;
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(300));
  FitReport report;
  FittedDisplayModel m = fit_display_model(set, lab_space(d), {}, &report);
  CHECK((m.black() - d.black).norm() < 1e-3 * d.black.norm());
  for (int c = 0; c < 3; ++c) {
    INFO("channel " << c);
    CHECK((Vec3(m.primaries().col(c)) - Vec3(d.primaries.col(c))).norm() <
          2e-3 * d.primaries.col(c).norm());
    CHECK(m.curve(c).gamma_at_half() == doctest::Approx(d.gamma[c]).epsilon(2e-3));
    // The curve itself, in the shadows too (relative).
    for (double x : {0.02, 0.1, 0.3, 0.7})
      CHECK(m.curve(c)(x) == doctest::Approx(std::pow(x, d.gamma[c])).epsilon(5e-3));
  }
  CHECK(m.white_subpixel().norm() < 1e-3 * d.primaries.col(1).norm());
  Errors e = prediction_errors(m, d);
  CHECK(e.mean < 0.01);
  CHECK(e.max < 0.05);
}

// A synthetic display with a white sub-pixel driven one way: the fit finds the drive, the
// sub-pixel's colour and predicts the display.
static void check_white_subpixel_found(bool from_linear, WhiteDrive expected) {
  synthetic::Display d;
  d.white_subpixel = XYZ_from_xyY({0.3127, 0.3290}, 60.0);
  d.white_from_linear = from_linear;
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(400));
  FittedDisplayModel m = fit_display_model(set, lab_space(d));
  CHECK(m.white_drive() == expected);
  CHECK((m.white_subpixel() - d.white_subpixel).norm() < 0.02 * d.white_subpixel.norm());
  Errors e = prediction_errors(m, d);
  CHECK(e.mean < 0.05);
  CHECK(e.max < 0.3);
}

TEST_CASE("fit: a white sub-pixel is found and predicted") {
  check_white_subpixel_found(false, WhiteDrive::SmallestSignal);
}

TEST_CASE("fit: a white sub-pixel driven from the smallest linear channel is found and predicted") {
  check_white_subpixel_found(true, WhiteDrive::SmallestLinear);
}

TEST_CASE("fit: the smooth correction takes up crosstalk the base model does not describe") {
  synthetic::Display d;
  d.crosstalk = 0.04;
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(800));
  FitOptions base_only;
  base_only.correction = false;
  FittedDisplayModel base = fit_display_model(set, lab_space(d), base_only);
  FitReport report;
  FittedDisplayModel full = fit_display_model(set, lab_space(d), {}, &report);
  Errors eb = prediction_errors(base, d), ef = prediction_errors(full, d);
  MESSAGE("crosstalk: base mean dE00 " << eb.mean << ", corrected " << ef.mean);
  CHECK(ef.mean < 0.5 * eb.mean);
  CHECK(ef.mean < 0.15);
  CHECK(report.model_rms < report.base_rms);
}

TEST_CASE("fit: noisy readings still predict the display to well under a just-noticeable difference") {
  synthetic::Display d;
  d.crosstalk = 0.02;
  // 0.3 % relative noise per component and a 0.003 cd/m² floor, like a colorimeter.
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(1000), 0.003, 0.003);
  FitReport report;
  FittedDisplayModel m = fit_display_model(set, lab_space(d), {}, &report);
  Errors e = prediction_errors(m, d);
  MESSAGE("noisy: mean dE00 " << e.mean << " max " << e.max << " fit rms " << report.model_rms
                               << " lambda " << report.correction.lambda);
  CHECK(e.mean < 0.15);
  CHECK(e.max < 0.6);
  // The smoothing did not chase the noise: the fit residual stays near the noise level.
  CHECK(report.model_rms > 0.05);
}

TEST_CASE("fit: too few readings or readings outside 0..1 are an InputError") {
  synthetic::Display d;
  MeasurementSet few = synthetic::measure(d, synthetic::random_rgb(10, 1));
  CHECK_THROWS_AS(fit_display_model(few, lab_space(d)), InputError);
  MeasurementSet bad = synthetic::measure(d, synthetic::patch_rgb(50));
  bad.readings[3].rgb = Vec3(1.5, 0, 0);
  CHECK_THROWS_AS(fit_display_model(bad, lab_space(d)), InputError);
}
