// Verification metrics against physical invariants and published vectors.
#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "report/verification.hpp"
#include "scenario.hpp"

using namespace calkit;
using namespace calkit::test;

namespace {

VerificationOptions sdr_options() {
  VerificationOptions o;
  o.target = rec709_description();
  return o;
}

// A display that is the target times a per-signal factor.
TargetFunction scaled(TargetFunction f, double factor) {
  return [f, factor](const Vec3& s) { return Vec3(factor * f(s)); };
}

}  // namespace

TEST_CASE("a display that matches its target has zero error and passes") {
  auto target = rec709_bt1886();
  auto result = evaluate(measure(verification_signals(), target), target, sdr_options());
  CHECK(std::abs(result.summary.de2000.max) < 1e-9);
  CHECK(std::abs(result.summary.de_itp.max) < 1e-6);
  CHECK(result.verdict.pass);
  CHECK(result.verdict.line.rfind("PASS", 0) == 0);
  CHECK(result.verdict.line.find('\n') == std::string::npos);
}

TEST_CASE("point gamma of a pure power-law display equals its exponent") {
  // BT.1886 with zero black is the pure 2.4 power law; the display is a pure 2.2 power law.
  auto target = rec709_bt1886(100, 0);
  Mat3 npm = rec709_space().rgb_to_XYZ();
  TargetFunction display = [npm](const Vec3& s) { return Vec3(npm * (100.0 * s.array().pow(2.2)).matrix()); };
  auto result = evaluate(measure(verification_signals(), display), target, sdr_options());
  int checked = 0;
  for (const auto& step : result.greyscale.steps) {
    if (step.signal <= 0 || step.signal >= 1) continue;
    CHECK(step.measured_gamma == doctest::Approx(2.2).epsilon(1e-9));
    CHECK(step.target_gamma == doctest::Approx(2.4).epsilon(1e-9));
    ++checked;
  }
  CHECK(checked == 9);
  CHECK(result.greyscale.mean_gamma == doctest::Approx(2.2).epsilon(1e-9));
}

TEST_CASE("contrast is white over black, and black and white levels are the readings") {
  auto target = rec709_bt1886(100, 0.05);
  auto result = evaluate(measure(verification_signals(), target), target, sdr_options());
  CHECK(result.greyscale.white_nits == doctest::Approx(100).epsilon(1e-12));
  CHECK(result.greyscale.black_nits == doctest::Approx(0.05).epsilon(1e-9));
  CHECK(result.greyscale.contrast == doctest::Approx(2000).epsilon(1e-9));
  CHECK(std::abs(result.greyscale.white_error_pct) < 1e-9);
}

TEST_CASE("no black reading gives no contrast instead of a made-up one") {
  auto target = rec709_bt1886();
  auto signals = verification_signals();
  signals.erase(signals.begin());  // drop the 0 % step
  auto result = evaluate(measure(signals, target), target, sdr_options());
  CHECK(std::isnan(result.greyscale.black_nits));
  CHECK(std::isnan(result.greyscale.contrast));
}

TEST_CASE("a 10 % brighter display tracks +10 % and keeps its chromaticity") {
  auto target = rec709_bt1886();
  auto result = evaluate(measure(verification_signals(), scaled(target, 1.1)), target, sdr_options());
  for (const auto& step : result.greyscale.steps) {
    if (step.signal == 0) continue;
    CHECK(step.luminance_error_pct == doctest::Approx(10).epsilon(1e-9));
    for (int c = 0; c < 3; ++c) CHECK(step.rgb_balance[c] == doctest::Approx(100).epsilon(1e-9));
  }
  CHECK(result.greyscale.white_error_pct == doctest::Approx(10).epsilon(1e-9));
  CHECK(std::abs(result.greyscale.white_delta_xy) < 1e-12);
}

TEST_CASE("RGB balance reads a channel cast in the target's linear RGB") {
  // Greys whose linear Rec.709 RGB is (1.1, 1, 0.9) times the target's. Balance is chromaticity
  // only, so it is 100 * (1.1, 1, 0.9) / Y(1.1, 1, 0.9), with the BT.709 luminance row
  // 0.2126390, 0.7151687, 0.0721923 (SMPTE RP 177 NPM, tests/data/matrices.csv).
  auto target = rec709_bt1886();
  Mat3 npm = rec709_space().rgb_to_XYZ();
  Mat3 to_rgb = rec709_space().XYZ_to_rgb();
  TargetFunction display = [&](const Vec3& s) {
    Vec3 rgb = to_rgb * target(s);
    return Vec3(npm * rgb.cwiseProduct(Vec3(1.1, 1.0, 0.9)));
  };
  auto result = evaluate(measure(verification_signals(), display), target, sdr_options());
  double y = 0.2126390 * 1.1 + 0.7151687 * 1.0 + 0.0721923 * 0.9;
  const auto& white = result.greyscale.steps.back();
  REQUIRE(white.signal == 1.0);
  CHECK(white.rgb_balance.x() == doctest::Approx(110 / y).epsilon(1e-6));
  CHECK(white.rgb_balance.y() == doctest::Approx(100 / y).epsilon(1e-6));
  CHECK(white.rgb_balance.z() == doctest::Approx(90 / y).epsilon(1e-6));
}

TEST_CASE("greyscale CCT and Duv come from Ohno 2013 / 2014 (colour-science vectors)") {
  // tests/data/cct_vectors.csv: uv1960 (0.1978, 0.3122) -> 6507.4748 K, Duv 0.0032233 (Ohno
  // 2013, ~1 K table dependent); the Duv polynomial gives D65-like values to 1e-12.
  Xy xy = xy_from_uv1960({0.1978, 0.3122});
  auto target = rec709_bt1886();
  TargetFunction display = [&](const Vec3& s) { return XYZ_from_xyY(xy, target(s).y()); };
  auto result = evaluate(measure(verification_signals(), display), target, sdr_options());
  int checked = 0;
  for (const auto& step : result.greyscale.steps) {
    if (step.signal == 0) continue;
    CHECK(std::abs(step.cct - 6507.474788799616) < 1.0);
    CHECK(std::abs(step.duv - 0.003223346337596) < 2e-5);
    ++checked;
  }
  CHECK(checked == 10);
  CHECK(std::abs(result.greyscale.white_cct - 6507.474788799616) < 1.0);
}

TEST_CASE("Duv of a greyscale step matches the third-party polynomial vector") {
  // tests/data/cct_vectors.csv: xy (0.3604, 0.3339) -> Duv -0.015143925038518163 (closed form).
  auto target = rec709_bt1886();
  TargetFunction display = [&](const Vec3& s) { return XYZ_from_xyY({0.3604, 0.3339}, target(s).y()); };
  auto result = evaluate(measure(verification_signals(), display), target, sdr_options());
  CHECK(result.greyscale.steps[5].duv == doctest::Approx(-0.015143925038518163).epsilon(1e-9));
}

TEST_CASE("white chromaticity error is the xy and u'v' distance from the target white") {
  auto target = rec709_bt1886();
  TargetFunction display = [&](const Vec3& s) {
    Vec3 t = target(s);
    bool grey = s.x() == s.y() && s.y() == s.z();
    return grey ? XYZ_from_xyY({0.3127 + 0.003, 0.3290 - 0.004}, t.y()) : t;
  };
  auto result = evaluate(measure(verification_signals(), display), target, sdr_options());
  CHECK(result.greyscale.white_delta_xy == doctest::Approx(0.005).epsilon(1e-6));
  Uv a = uv_prime_from_xy({0.3157, 0.3250}), b = uv_prime_from_xy({0.3127, 0.3290});
  CHECK(result.greyscale.white_delta_uv == doctest::Approx(std::hypot(a.u - b.u, a.v - b.v)).epsilon(1e-6));
}

TEST_CASE("a large error on one patch fails the max criterion and names it") {
  auto target = rec709_bt1886();
  auto set = measure(verification_signals(), target);
  set.readings[12].XYZ *= 1.6;  // green primary, 60 % too bright: dE2000 well above 3
  auto result = evaluate(set, target, sdr_options());
  CHECK_FALSE(result.verdict.pass);
  CHECK(result.summary.de2000.max > 3.0);
  CHECK(result.summary.de2000.max_index == 12);
  CHECK(result.verdict.line.rfind("FAIL", 0) == 0);
  CHECK(result.verdict.line.find("max dE2000") != std::string::npos);
}

TEST_CASE("user thresholds decide the verdict") {
  auto target = rec709_bt1886();
  auto options = sdr_options();
  auto result = evaluate(measure(verification_signals(), scaled(target, 1.02)), target, options);
  double mean = result.summary.de2000.mean;
  REQUIRE(mean > 0);
  options.thresholds.mean_de2000 = mean * 0.5;
  CHECK_FALSE(evaluate(measure(verification_signals(), scaled(target, 1.02)), target, options).verdict.pass);
  options.thresholds.mean_de2000 = mean * 2;
  options.thresholds.max_de2000 = 100;
  options.thresholds.greyscale_max_de2000 = 100;
  CHECK(evaluate(measure(verification_signals(), scaled(target, 1.02)), target, options).verdict.pass);
}

TEST_CASE("patches are grouped by their signal") {
  CHECK(classify_patch({0.5, 0.5, 0.5}) == "greyscale");
  CHECK(classify_patch({0.75, 0, 0}) == "primaries");
  CHECK(classify_patch({0, 1, 1}) == "secondaries");
  CHECK(classify_patch({0.2, 0.5, 0.1}) == "colors");
  CHECK(classify_patch({1, 0.5, 0}) == "colors");
}

TEST_CASE("bad input throws InputError naming the field") {
  auto target = rec709_bt1886();
  CHECK_THROWS_AS(evaluate(MeasurementSet{}, target, sdr_options()), InputError);
  auto options = sdr_options();
  options.groups = {"greyscale"};
  try {
    evaluate(measure(verification_signals(), target), target, options);
    FAIL("no throw");
  } catch (const InputError& e) {
    CHECK(e.field() == "groups");
  }
}

TEST_CASE("HDR: PQ tracking to the display's peak, roll-off and dE ITP verdict") {
  // A 600 cd/m² display that follows PQ (SMPTE ST 2084) exactly and clips at its peak, verified
  // against a target that clips the same way (tracking to the display's peak).
  auto pq = rec2020_pq();
  TargetFunction target = [&](const Vec3& s) {
    Vec3 t = pq(s);
    return t.y() > 600 ? Vec3(t * (600 / t.y())) : t;
  };
  TargetFunction display = target;
  std::vector<Vec3> signals;
  for (int i = 0; i <= 20; ++i) signals.push_back(Vec3::Constant(i / 20.0));
  signals.push_back({0.5, 0, 0});
  signals.push_back({0, 0.5, 0});
  VerificationOptions options;
  options.target = rec2020_pq_description();
  options.window_pct = 10;
  auto result = evaluate(measure(signals, display), target, options);
  const auto& g = result.greyscale;
  CHECK(g.peak_nits == doctest::Approx(600).epsilon(1e-9));
  CHECK(g.window_pct == 10);
  // Steps at or under 600 cd/m² are on the curve; PQ(0.70) = 622 cd/m² is within 5 % of 600,
  // PQ(0.75) = 983 cd/m² is not: the roll-off is the 0.70 step.
  CHECK(pq_eotf(0.70) > 600);
  CHECK(600 >= 0.95 * pq_eotf(0.70));
  CHECK(600 < 0.95 * pq_eotf(0.75));
  CHECK(g.rolloff_signal == doctest::Approx(0.70));
  CHECK(std::abs(g.mean_abs_luminance_error_pct) < 1e-9);
  CHECK(std::abs(result.summary.de_itp.max) < 1e-6);
  CHECK(result.verdict.pass);
  CHECK(result.verdict.line.find("dE ITP") != std::string::npos);
  CHECK(std::isnan(g.steps[5].measured_gamma));  // point gamma is an SDR measure
}

TEST_CASE("HDR: patches the display cannot show and the black are reported, not judged") {
  // A display that is exact but for one colour 30 % too dark and a black 0.002 cd/m² above the
  // target's: with the colour declared outside the display's gamut both are left out of the
  // statistics, and the verdict passes on the rest.
  auto pq = rec2020_pq();
  const Vec3 outside{0.6, 0.1, 0.1};
  TargetFunction display = [&](const Vec3& s) {
    if (s == outside) return Vec3(0.7 * pq(s));
    return s.maxCoeff() <= 0 ? Vec3(pq(s) + Vec3::Constant(0.002)) : pq(s);
  };
  std::vector<Vec3> signals{Vec3::Zero(), Vec3::Constant(0.5), Vec3::Constant(1), {0.3, 0.5, 0.4}, outside};
  VerificationOptions options;
  options.target = rec2020_pq_description();
  options.shown_by_display = [&](const Vec3& XYZ) { return (XYZ - pq(outside)).norm() > 1e-9; };
  auto result = evaluate(measure(signals, display), pq, options);
  CHECK(result.summary.not_judged == 2);
  CHECK(result.summary.de_itp.count == 3);
  CHECK(std::abs(result.summary.de_itp.max) < 1e-6);
  CHECK_FALSE(result.patches[0].judged);
  CHECK(result.patches[0].de_itp > 1);  // still computed and reported
  CHECK_FALSE(result.patches[4].judged);
  CHECK(result.patches[4].de_itp > 3);
  CHECK(result.verdict.pass);
  CHECK(result.verdict.line.find("2 not judged") != std::string::npos);
  CHECK(result.verdict.line.find("p95 dE ITP") != std::string::npos);
  // Nothing the display shows: nothing passes.
  options.shown_by_display = [](const Vec3&) { return false; };
  CHECK_FALSE(evaluate(measure(signals, display), pq, options).verdict.pass);
}
