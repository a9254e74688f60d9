// The display-model fit recovers a known analytic display (tests/solver/synthetic_display.hpp):
// its parameters and its predictions on colours it was not fitted on.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "emulators/sim_readings.hpp"
#include "formats/measurement_file.hpp"
#include "patches/patch_sets.hpp"
#include "sim/single_effect_displays.hpp"
#include "solver/fitted_model.hpp"
#include "solver/solve.hpp"
#include "synthetic_display.hpp"

using namespace calkit;

namespace {

PerceptualSpace lab_space(const synthetic::Display& d) { return PerceptualSpace::lab(d.XYZ(Vec3::Ones())); }

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
    CHECK((Vec3(m.primaries().col(c)) - Vec3(d.primaries.col(c))).norm() < 2e-3 * d.primaries.col(c).norm());
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
  MESSAGE("noisy: mean dE00 " << e.mean << " max " << e.max << " fit rms " << report.model_rms << " lambda "
                              << report.correction.lambda);
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

// The inversion's steps use the model's analytic Jacobians by signal and by linear light: they
// must be the derivatives of the model itself, checked by central differences in each channel's
// signal and linear light
// away from the min() kinks of the white term and from the shadows where a curve's slope is below
// 0.02 (there the signal-dependent terms' derivatives are capped by design, fitted_model.cpp).
// Returns how many colours it checked above `light` (Y above black, relative to the white's).
static int check_jacobian(const FittedDisplayModel& m, double light = 2) {
  const double white = m.base_XYZ(Vec3::Ones()).y() - m.black().y();
  int above = 0;
  for (const Vec3& rgb : synthetic::random_rgb(200, 5)) {
    Vec3 sorted = rgb;
    std::sort(sorted.data(), sorted.data() + 3);
    if (sorted[1] - sorted[0] < 1e-3 || sorted[2] - sorted[1] < 1e-3 || sorted[0] < 0.01 || sorted[2] > 0.99) continue;
    bool steep = true;
    for (int c = 0; c < 3; ++c) {
      double slope = 0;
      m.curve(c).value_and_derivative(rgb[c], &slope);
      steep = steep && slope >= 0.02;
    }
    if (!steep) continue;
    above += m.base_XYZ(rgb).y() - m.black().y() > light * white;
    Mat3 J;
    Vec3 p = m.perceptual_with_jacobian(rgb, &J, FittedDisplayModel::Variables::LinearLight);
    CHECK((p - m.perceptual(rgb)).norm() < 1e-9);
    Mat3 J_signal;
    m.perceptual_with_jacobian(rgb, &J_signal, FittedDisplayModel::Variables::Signal);
    for (int k = 0; k < 3; ++k) {
      Vec3 up = m.linear_light(rgb), down = up;
      up[k] += 1e-6;
      down[k] -= 1e-6;
      Vec3 central = (m.perceptual(m.signal_for_linear(up)) - m.perceptual(m.signal_for_linear(down))) / 2e-6;
      INFO("rgb " << rgb.transpose() << " column " << k);
      Vec3 up_signal = rgb, down_signal = rgb;
      up_signal[k] += 1e-6;
      down_signal[k] -= 1e-6;
      Vec3 by_signal = (m.perceptual(up_signal) - m.perceptual(down_signal)) / 2e-6;
      CHECK((Vec3(J_signal.col(k)) - by_signal).norm() < 1e-4 * std::max(1.0, by_signal.norm()));
      CHECK((Vec3(J.col(k)) - central).norm() < 1e-4 * std::max(1.0, central.norm()));
    }
  }
  return above;
}

TEST_CASE("model: the analytic Jacobian is the derivative of the model (CIELAB and ICtCp)") {
  synthetic::Display d;
  d.crosstalk = 0.03;
  d.white_subpixel = XYZ_from_xyY({0.3127, 0.3290}, 40.0);
  MeasurementSet set = synthetic::measure(d, synthetic::patch_rgb(400));
  check_jacobian(fit_display_model(set, lab_space(d)));
  check_jacobian(fit_display_model(set, PerceptualSpace::itp()));
  d.white_from_linear = true;
  check_jacobian(fit_display_model(synthetic::measure(d, synthetic::patch_rgb(400)), lab_space(d)));
}

// The load gain on 500 SimProbe readings (10 % windows on black) of single-effect displays
// (sim/single_effect_displays.hpp): the virtual display loses power_sag · (the patch's light)
// to supply sag, and its ABL gain is (knee_apl / APL)^p above knee_apl with p fixed by the full-
// field level (sim/display_model.hpp); at a 10 % window the APL is a tenth of the patch's light, so
// the fit, which counts load in the measured white's light, must find p, the knee at
// 10 · knee_apl / g(white), and the sag; and no load on a panel without one.
static FittedDisplayModel fit_on_sim(const DisplayModel& display) {
  std::vector<Reading> readings = usable_readings(read_with_sim_probe(display, recommended_patch_set(false, 500).rgb));
  FittedDisplayModel model;
  fit_display_model_into(model, readings, fit_space(readings, false));
  return model;
}

TEST_CASE("fit: the load gain finds a panel's supply sag and brightness cap, and no load on a panel without") {
  const LoadGain none = fit_on_sim(clean_display_model(false)).load_gain();
  CHECK(none.sag < 0.002);
  CHECK(none.exponent < 0.01);

  DisplayModel sagging = clean_display_model(false);
  sagging.power_sag = 0.03;
  const LoadGain sag = fit_on_sim(sagging).load_gain();
  // In the model's units, whose white has sagged by 3 %: 0.03 · (1 - 0.03).
  CHECK(sag.sag == doctest::Approx(0.03 * 0.97).epsilon(0.03));
  CHECK(sag.exponent < 0.01);

  for (AblParams abl : {AblParams{0.05, 100}, AblParams{0.08, 60}}) {
    DisplayModel capped = clean_display_model(false);
    capped.abl = abl;
    INFO("ABL knee " << abl.knee_apl << ", full field " << abl.full_field_nits);
    const FittedDisplayModel model = fit_on_sim(capped);
    const double p = std::log(abl.full_field_nits / capped.peak_nits) / std::log(abl.knee_apl);
    const double white_kept = std::pow(abl.knee_apl / 0.1, p);
    CHECK(model.load_gain().exponent == doctest::Approx(p).epsilon(0.05));
    CHECK(model.load_gain().knee == doctest::Approx(10 * abl.knee_apl / white_kept).epsilon(0.03));
    CHECK(model.load_gain().sag < 0.003);
    // And the derivatives through the cap are the model's own (checked at colours above its
    // knee: there the light above black exceeds the knee's, as g(L)·L rises with L).
    CHECK(check_jacobian(model, model.load_gain().knee) > 0);
  }
}

TEST_CASE("model: a display that clips at its peak stops its signals at the clip point") {
  // A tone curve that reaches 1 at x = 0.75 and stays there, like a PQ panel at its peak.
  MonotoneCurve flat = MonotoneCurve::power(2.2);
  std::vector<double> theta = flat.parameters();
  const std::vector<double>& x = flat.knots_x();
  for (size_t j = 0; j + 1 < x.size(); ++j)
    if (x[j] >= 0.75) theta[j] = -30;  // log-log slope e^-30: flat
  flat.set_parameters(theta);
  double clip = flat.clip_point();
  CHECK(flat(clip) == doctest::Approx(1 - 1e-3).epsilon(1e-9));
  CHECK(clip < 0.8);
  CHECK(flat(1.0) - flat(clip) < 1.1e-3);  // nothing above it changes the light
  CHECK(MonotoneCurve::power(2.4).clip_point() == 1.0);
}

TEST_CASE("curve: resampled onto more knots, a curve keeps its values") {
  // A power law is a straight line in log-log: on any knots it is the same function.
  MonotoneCurve gamma = MonotoneCurve::power(2.4).resampled(MonotoneCurve::kFineKnots);
  CHECK(gamma.knots_x().size() == size_t(MonotoneCurve::kFineKnots));
  // So is one whose log-log slope is held at least 1 (a white sub-pixel's curve).
  MonotoneCurve white =
      MonotoneCurve::power(2.2, MonotoneCurve::kDefaultKnots, 1.0).resampled(MonotoneCurve::kFineKnots);
  for (double x : {0.001, 0.01, 0.1, 0.37, 0.5, 0.9, 1.0}) {
    CHECK(gamma(x) == doctest::Approx(std::pow(x, 2.4)).epsilon(1e-9));
    CHECK(white(x) == doctest::Approx(std::pow(x, 2.2)).epsilon(1e-9));
  }
  // A curve that bends (a power law flattened at the top, as a PQ panel at its peak): at its own
  // knots the finer curve takes the coarse one's values, and it stays monotone and flat above.
  MonotoneCurve bent = MonotoneCurve::power(2.2);
  std::vector<double> theta = bent.parameters();
  for (size_t j = 0; j + 1 < bent.knots_x().size(); ++j)
    if (bent.knots_x()[j] >= 0.75) theta[j] = -30;
  bent.set_parameters(theta);
  MonotoneCurve fine = bent.resampled(MonotoneCurve::kFineKnots);
  double previous = 0;
  for (double x : fine.knots_x()) {
    CHECK(fine(x) == doctest::Approx(bent(x)).epsilon(1e-9));
    CHECK(fine(x) >= previous);
    previous = fine(x);
  }
  CHECK(fine.clip_point() == doctest::Approx(bent.clip_point()).epsilon(0.02));
  // A curve with an explicit clip keeps it: a power law up to the clip signal, 1 above.
  const double top = 0.7518;  // ST 2084's signal for 1000 cd/m²
  MonotoneCurve clipped = MonotoneCurve::power(2.4).with_clip(top).resampled(MonotoneCurve::kFineKnots);
  CHECK(clipped.clips());
  CHECK(clipped.knots_x().size() == size_t(MonotoneCurve::kFineKnots));
  CHECK(clipped.parameters().size() == size_t(MonotoneCurve::kFineKnots));  // 63 increments and the clip
  for (double x : {0.01, 0.2, 0.5, 0.75}) CHECK(clipped(x) == doctest::Approx(std::pow(x / top, 2.4)).epsilon(1e-9));
  CHECK(clipped(0.76) == 1.0);
  CHECK(clipped(1.0) == 1.0);
}

TEST_CASE("curve: the inverse is the power law's own, and undoes a bent or clipped curve") {
  // A power law's inverse is y^(1/gamma); between the knots the curve is a cubic the inverse
  // solves by Newton's method, so values inside segments test it, not only the knots.
  MonotoneCurve gamma = MonotoneCurve::power(2.4, MonotoneCurve::kFineKnots);
  for (double y : {1e-6, 1e-4, 0.003, 0.0217, 0.18, 0.5, 0.77, 0.999})
    CHECK(gamma.inverse(y) == doctest::Approx(std::pow(y, 1 / 2.4)).epsilon(1e-12));
  MonotoneCurve bent = MonotoneCurve::power(2.2);
  std::vector<double> theta = bent.parameters();
  for (size_t j = 0; j < theta.size(); ++j) theta[j] += 0.4 * std::sin(double(j));  // a wavy, still monotone curve
  bent.set_parameters(theta);
  MonotoneCurve clipped = MonotoneCurve::power(2.4).with_clip(0.7518);
  for (const MonotoneCurve* curve : {&bent, &clipped})
    for (double x = 0.0013; x < 0.75; x *= 1.37)
      CHECK((*curve)(curve->inverse((*curve)(x))) == doctest::Approx((*curve)(x)).epsilon(1e-12));
}

// Readings the SimProbe made with the noise it states: a fit that represents the display leaves a
// chi-square inside the noise's range.
static void check_fixture_fits(const std::string& file, const std::string& target) {
  MeasurementSet set = read_measurements(std::string(CALKIT_TEST_DATA) + "/solver/" + file);
  SolveOptions options;
  options.lut_size = 9;
  SolveResult r = solve(set, target_by_name(target), options);
  INFO(r.bias.verdict());
  CHECK(r.bias.chi2 >= r.bias.chi2_low);
  CHECK(r.bias.chi2 <= r.bias.chi2_high);
  CHECK(r.bias.passed);
}

// Readings on which Levenberg-Marquardt found no step down at its second iteration (a collapsed
// tone-curve segment took steps of 10⁵ at any damping) and stopped with the readings' chi-square at
// 81 (solver/README.md, The display model).
TEST_CASE("fit: a fit that stalls far from the readings is continued until it fits them") {
  check_fixture_fits("qdoled-adaptive-500-seed3.json", "bt1886");
}

// PQ readings of a WOLED whose roll-off to its 650 cd/m² peak the coarse knots cannot follow
// (greys near it 4-10 sigma above and below the curve), and on which the fine knots' continuation
// found no step down from its first: the readings' chi-square stayed at 2.85 (solver/README.md,
// The display model).
TEST_CASE("fit: a stalled fit near a PQ roll-off is continued on the fine knots") {
  check_fixture_fits("woled-pq-adaptive-175-seed3.json", "pq-p3d65");
}
