// The bias test (solver/bias_test.hpp) judges residuals against the noise that made them: readings
// of a display the model represents exactly, with Gaussian noise of a stated sigma, must pass
// with a reduced chi-square inside the noise's range (a statistical fact, checked here with the
// chi-square distribution's own range); a defect added to one kind of reading must fail and be
// found where it was put; noise measured from repeated readings must come out as the noise put in.
#include <doctest/doctest.h>

#include <Eigen/Core>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "emulators/sim_readings.hpp"
#include "patches/patch_sets.hpp"
#include "sim/single_effect_displays.hpp"
#include "solver/bias_test.hpp"
#include "solver/solve.hpp"
#include "synthetic_display.hpp"

using namespace calkit;

namespace {

constexpr double kRelative = 0.003, kFloor = 0.004;

// Readings of the analytic display with Gaussian noise sqrt((0.3 % XYZ)² + 0.004²) per component,
// each stating that sigma (as a probe's driver does), and `defect` added to the true light.
template <class Defect>
std::vector<Reading> noisy_readings(const synthetic::Display& d, const std::vector<Vec3>& rgb, Defect defect,
                                    unsigned seed = 5, double sigma_scale = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::vector<Reading> out;
  for (const Vec3& v : rgb) {
    Reading r;
    r.rgb = v;
    Vec3 truth = d.XYZ(v) + defect(v, d.XYZ(v));
    for (int c = 0; c < 3; ++c) {
      double sigma = std::hypot(kRelative * truth[c], kFloor);
      r.XYZ[c] = truth[c] + sigma * normal(rng);
      r.uncertainty[c] = sigma * sigma_scale;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<Vec3> profiling_set() { return synthetic::patch_rgb(400); }

BiasTest fit_and_test(const std::vector<Reading>& readings, FitOptions options = {}) {
  FittedDisplayModel model;
  FitReport fit = fit_display_model_into(model, readings, fit_space(readings, false), options);
  return bias_test(model, readings, fit, options.noise);
}

const ResidualGroup& group(const BiasTest& b, const std::string& name) {
  for (const ResidualGroup& g : b.groups)
    if (g.name == name) return g;
  FAIL("no group " << name);
  return b.groups.front();
}

auto no_defect = [](const Vec3&, const Vec3&) { return Vec3(Vec3::Zero()); };

}  // namespace

TEST_CASE("bias test: a model that represents the display leaves the noise, with chi-square inside its range") {
  synthetic::Display d;
  for (unsigned seed : {5u, 6u, 7u}) {
    BiasTest b = fit_and_test(noisy_readings(d, profiling_set(), no_defect, seed));
    INFO(b.verdict());
    CHECK(b.noise == "stated by the probe");
    CHECK(b.readings == int(profiling_set().size()));
    // The range is chi-square's at 1e-4 either side: its half-width is ~3.9·sqrt(2/dof).
    CHECK(b.chi2_high - 1 == doctest::Approx(3.89 * std::sqrt(2 / b.degrees_of_freedom)).epsilon(0.15));
    CHECK(b.chi2 > b.chi2_low);
    CHECK(b.chi2 < b.chi2_high);
    CHECK(b.passed);
    CHECK(b.where().empty());
    // The fit spends parameters (the base model's and the correction's), not more than it has.
    CHECK(b.effective_parameters > 12);
    CHECK(b.effective_parameters < 0.2 * 3 * b.readings);
  }
}

TEST_CASE("bias test: noise stated twice too large gives a chi-square of a quarter, below the range") {
  BiasTest b = fit_and_test(noisy_readings(synthetic::Display{}, profiling_set(), no_defect, 5, 2.0));
  CHECK(b.chi2 == doctest::Approx(0.25).epsilon(0.15));
  CHECK(b.chi2 < b.chi2_low);
}

TEST_CASE("bias test: a grey-only excess the model cannot represent fails, and sits in the greys") {
  // A 3 % luminance excess on exact greys only (no additive display does that): every grey is
  // 10-100 sigma off, the colours around them are not.
  auto greys_brighter = [](const Vec3& rgb, const Vec3& XYZ) {
    bool grey = rgb.maxCoeff() - rgb.minCoeff() < 1e-9 && rgb.maxCoeff() > 0.2;
    return Vec3(grey ? Vec3(0.03 * XYZ) : Vec3(Vec3::Zero()));
  };
  BiasTest b = fit_and_test(noisy_readings(synthetic::Display{}, profiling_set(), greys_brighter));
  INFO(b.verdict());
  CHECK_FALSE(b.passed);
  const ResidualGroup& greys = group(b, "greys");
  CHECK(greys.biased);
  CHECK(greys.chi2 > greys.chi2_limit);
  CHECK(greys.offset > 3.89);  // measured above the model: the model's light too low
  CHECK(b.where().find("greys") != std::string::npos);
  CHECK(b.verdict().rfind("bias: ", 0) == 0);
}

TEST_CASE("bias test: a shadow lift the curves cannot follow sits near black") {
  // 0.05 cd/m² more light on every colour darker than 1 % of white but not black: a step at the
  // first light that no monotone curve through black has.
  synthetic::Display d;
  double white_Y = d.XYZ(Vec3::Ones()).y();
  auto lifted = [&](const Vec3& rgb, const Vec3& XYZ) {
    bool dark = XYZ.y() < 0.01 * white_Y && rgb.maxCoeff() > 0;
    return Vec3(dark ? Vec3(Vec3::Constant(0.05)) : Vec3(Vec3::Zero()));
  };
  std::vector<Vec3> rgb = profiling_set();
  for (int i = 1; i <= 20; ++i) rgb.push_back(Vec3::Constant(0.004 * i));  // a near-black ramp
  BiasTest b = fit_and_test(noisy_readings(d, rgb, lifted));
  INFO(b.verdict());
  CHECK_FALSE(b.passed);
  CHECK(group(b, "near black").biased);
}

TEST_CASE("bias test: without a stated noise, repeated readings of one patch measure it") {
  // Noise at 2.5 times the assumed model, no sigma stated, 40 patches read twice.
  NoiseModel assumed{0.002, 0.002};
  synthetic::Display d;
  std::vector<Vec3> rgb = profiling_set();
  for (int i = 0; i < 40; ++i) rgb.push_back(rgb[60 + i]);
  std::mt19937 rng(3);
  std::normal_distribution<double> normal(0, 1);
  std::vector<Reading> readings;
  for (const Vec3& v : rgb) {
    Reading r;
    r.rgb = v;
    Vec3 truth = d.XYZ(v), sigma = 2.5 * assumed.sigma(truth);
    for (int c = 0; c < 3; ++c) r.XYZ[c] = truth[c] + sigma[c] * normal(rng);
    readings.push_back(r);
  }
  std::string source;
  std::vector<Vec3> sigmas = reading_sigmas(readings, assumed, &source);
  INFO(source);
  CHECK(source.find("40 repeated patches") != std::string::npos);
  // 120 degrees of freedom: the scale is within ~3 standard errors (1/sqrt(2·120) relative).
  double scale = sigmas[0].y() / assumed.sigma(readings[0].XYZ).y();
  CHECK(scale == doctest::Approx(2.5).epsilon(0.2));
  FitOptions options;
  options.noise = assumed;
  BiasTest b = fit_and_test(readings, options);
  INFO(b.verdict());
  CHECK(b.chi2 < b.chi2_high);
  // Identical repeats are one reading stored twice: they measure nothing.
  std::vector<Reading> copies(readings.begin(), readings.begin() + 100);
  for (int i = 0; i < 50; ++i) copies.push_back(copies[i]);
  reading_sigmas(copies, assumed, &source);
  CHECK(source.rfind("assumed", 0) == 0);
}

TEST_CASE("bias test: solve() reports it in the JSON and warns on stderr when it fails") {
  auto greys_brighter = [](const Vec3& rgb, const Vec3& XYZ) {
    bool grey = rgb.maxCoeff() - rgb.minCoeff() < 1e-9 && rgb.maxCoeff() > 0.2;
    return Vec3(grey ? Vec3(0.03 * XYZ) : Vec3(Vec3::Zero()));
  };
  for (bool defect : {false, true}) {
    MeasurementSet set;
    set.readings = defect ? noisy_readings(synthetic::Display{}, profiling_set(), greys_brighter)
                          : noisy_readings(synthetic::Display{}, profiling_set(), no_defect);
    SolveOptions options;
    options.lut_size = 9;
    SolveResult r = solve(set, target_by_name("bt1886"), options);
    std::string json = solve_summary_json(r);
    CHECK(json.find("\"bias_test\"") != std::string::npos);
    CHECK(json.find("\"tone_curve_stiffness\"") != std::string::npos);
    CHECK(json.find(defect ? "\"verdict\": \"bias\"" : "\"verdict\": \"pass\"") != std::string::npos);
    bool warned = false;
    for (const std::string& w : r.warnings) warned = warned || w.rfind("bias: ", 0) == 0;
    CHECK(warned == defect);
  }
}

// The roll-off panels' fits have close minima, and the last bits of the arithmetic once decided
// between them: ctest also runs those cases with Eigen's matrix products blocked for another
// machine's caches (CALKIT_TEST_EIGEN_CACHES=L1,L2,L3 in bytes; the blocking sets the order of
// the sums), as on the Xeon where they failed (tests/solver/CMakeLists.txt).
static const bool kEigenCachesFromEnvironment = [] {
  const char* text = std::getenv("CALKIT_TEST_EIGEN_CACHES");
  long l1 = 0, l2 = 0, l3 = 0;
  if (!text) return false;
  if (std::sscanf(text, "%ld,%ld,%ld", &l1, &l2, &l3) != 3) {
    std::fprintf(stderr, "CALKIT_TEST_EIGEN_CACHES is not L1,L2,L3 in bytes: %s\n", text);
    std::abort();
  }
  Eigen::setCpuCacheSizes(l1, l2, l3);
  return true;
}();

// Issue 20: on virtual displays that each add one physical effect to a clean panel, over its
// plausible range (sim/single_effect_displays.hpp), the model fitted to 500 SimProbe readings
// leaves residuals inside the range the probe's stated noise gives them.
static void check_single_effect(const std::string& effect, std::uint64_t seed = SimProbeOptions().seed) {
  int checked = 0;
  for (const SingleEffectDisplay& d : single_effect_displays()) {
    bool hdr = d.model.eotf == PanelEotf::Pq;
    if (d.effect != effect) continue;
    SimProbeOptions probe;
    probe.seed = seed;
    MeasurementSet set = read_with_sim_probe(d.model, recommended_patch_set(hdr, 500).rgb, probe);
    std::vector<Reading> readings = usable_readings(set);
    FittedDisplayModel model;
    FitReport fit = fit_display_model_into(model, readings, fit_space(readings, hdr));
    BiasTest b = bias_test(model, readings, fit);
    INFO(d.model.name << ": " << b.verdict());
    CHECK(b.noise == "stated by the probe");
    CHECK(b.chi2 >= b.chi2_low);
    CHECK(b.chi2 <= b.chi2_high);
    CHECK(b.passed);
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("bias test on single-effect displays: the clean SDR and PQ panels") { check_single_effect("none"); }
TEST_CASE("bias test on single-effect displays: shadow tone near black") { check_single_effect("shadow tone"); }
TEST_CASE("bias test on single-effect displays: black level and colour") { check_single_effect("black level"); }
TEST_CASE("bias test on single-effect displays: tone curve shape") { check_single_effect("tone shape"); }
TEST_CASE("bias test on single-effect displays: white sub-pixel share and colour") {
  check_single_effect("white sub-pixel");
}
TEST_CASE("bias test on single-effect displays: crosstalk") { check_single_effect("crosstalk"); }
TEST_CASE("bias test on single-effect displays: power sag with the patch's load") { check_single_effect("power sag"); }
TEST_CASE("bias test on single-effect displays: ABL and black bloom with the frame's load") {
  check_single_effect("frame load");
}
TEST_CASE("bias test on single-effect displays: PQ roll-off to the panel's peak") { check_single_effect("roll-off"); }
// On noise seed 3 the 600 cd/m² roll-off panel's fits stalled at chi-square 2.42 until a stalled
// fit was continued with bounded curve steps (solver/README.md, The display model).
TEST_CASE("bias test on single-effect displays: PQ roll-off to the panel's peak, noise seed 3") {
  check_single_effect("roll-off", 3);
}
TEST_CASE("bias test on single-effect displays: PQ tracking error") { check_single_effect("tracking error"); }

// Issue 20: how many shapes the tone curves may take is the readings' to say. A panel whose tone
// is one power law per channel (a straight line in log-log) needs no bends, and its readings
// choose the stiff curves, which carry less of the noise into the model; a tone with a shoulder
// bends, and its readings rule out the stiffest. (sim:woled-tv, which bends less, is near a tie:
// 100 on one machine and 10 000 on another, from the same code and noise seed, both
// passing the bias test; it is no longer asserted.) The stiff curves stay supple
// in the shadows: stiff down to 0 signal, sim:reference's readings (black 0.002 cd/m², at the
// probe's noise floor) kept the supple curves, and the single-effect panel with that black failed
// the bias test near black (the single-effect test above).
TEST_CASE("fit: the readings choose the stiffest tone curves for power-law panels, not for a shoulder") {
  const std::vector<Vec3> signals = recommended_patch_set(false, 500).rgb;
  struct Fit {
    FitReport report;
    BiasTest bias;
  };
  auto fit_of = [](const MeasurementSet& set) {
    std::vector<Reading> readings = usable_readings(set);
    FittedDisplayModel model;
    FitReport report = fit_display_model_into(model, readings, fit_space(readings, false));
    return Fit{report, bias_test(model, readings, report)};
  };
  int clean_panels = 0;
  for (const SingleEffectDisplay& d : single_effect_displays()) {
    if (d.effect != "none" || d.model.eotf == PanelEotf::Pq) continue;
    // One power law per channel and nothing else: the stiffest curves.
    CHECK(fit_of(read_with_sim_probe(d.model, signals)).report.curve_stiffness == 10000);
    ++clean_panels;
  }
  CHECK(clean_panels > 0);
  Fit reference = fit_of(read_with_sim_probe(load_display_model("sim:reference"), signals));
  INFO(reference.bias.verdict());
  CHECK(reference.report.curve_stiffness > 1);
  CHECK(reference.bias.passed);
  // A tone that bends at its shoulder rules out the stiffest curves; three power laws of their own
  // gammas do not.
  int shoulders = 0;
  for (const SingleEffectDisplay& d : single_effect_displays()) {
    if (d.effect != "tone shape") continue;
    const bool shoulder = d.level.rfind("shoulder", 0) == 0;
    const double stiffness = fit_of(read_with_sim_probe(d.model, signals)).report.curve_stiffness;
    INFO(d.model.name);
    if (shoulder)
      CHECK(stiffness < 10000);
    else
      CHECK(stiffness == 10000);
    shoulders += shoulder;
  }
  CHECK(shoulders > 0);
}
