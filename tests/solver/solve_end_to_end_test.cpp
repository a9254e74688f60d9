// End to end on built-in virtual displays: SimProbe readings (noise on) -> solve -> LUT in the
// display's LUT slot -> the display's own noise-free light on a separate verification set,
// against the target. Modest thresholds; bench_accuracy prints the full figures.
#include <doctest/doctest.h>

#include <algorithm>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/clock.hpp"
#include "emulators/sim_probe.hpp"
#include "emulators/sim_readings.hpp"
#include "patches/patch_sets.hpp"
#include "sim/virtual_display.hpp"
#include "solver/invert.hpp"
#include "solver/solve.hpp"

using namespace calkit;

namespace {

MeasurementSet measure(const std::string& display, bool hdr, int count) {
  return read_with_sim_probe(load_display_model(display), recommended_patch_set(hdr, count).rgb);
}

// Mean and 95th percentile error through the LUT over colours the display can show.
std::pair<double, double> verify(const std::string& display, const SolveResult& r) {
  SimulatedClock clock;
  VirtualDisplay vd(load_display_model(display), clock);
  vd.load_lut(r.lut);
  DeviceMapper mapper(r.model, r.target);
  Vec3 white = r.target.XYZ(Vec3::Ones());
  std::vector<double> e;
  std::vector<Vec3> signals = greyscale_ramp(11).rgb;
  for (const Vec3& v : random_set(120, 4242).rgb) signals.push_back(v);
  for (const Vec3& s : signals) {
    Vec3 want = r.target.XYZ(s);
    if (delta_e_itp_XYZ(mapper.mapped_XYZ(want), want) > 0.05) continue;
    Vec3 shown = vd.steady_XYZ(s, 10, 0);
    e.push_back(r.target.hdr() ? delta_e_itp_XYZ(shown, want)
                               : delta_e2000(lab_from_XYZ(shown, white), lab_from_XYZ(want, white)));
  }
  REQUIRE(e.size() > 40);
  std::sort(e.begin(), e.end());
  double mean = 0;
  for (double v : e) mean += v / e.size();
  return {mean, e[size_t(0.95 * (e.size() - 1))]};
}

}  // namespace

TEST_CASE("end to end: sim:ips-lcd calibrated to BT.1886 through a 17³ LUT") {
  SolveOptions options;
  options.lut_size = 17;
  SolveResult r = solve(measure("sim:ips-lcd", false, 500), target_by_name("bt1886"), options);
  auto [mean, p95] = verify("sim:ips-lcd", r);
  MESSAGE("sim:ips-lcd dE2000 mean " << mean << " p95 " << p95);
  CHECK(mean < 0.5);
  CHECK(p95 < 1.0);
}

TEST_CASE("end to end: sim:miniled-hdr calibrated to PQ P3-D65 through a 17³ LUT") {
  SolveOptions options;
  options.lut_size = 17;
  SolveResult r = solve(measure("sim:miniled-hdr", true, 500), target_by_name("pq-p3d65"), options);
  auto [mean, p95] = verify("sim:miniled-hdr", r);
  MESSAGE("sim:miniled-hdr dE ITP mean " << mean << " p95 " << p95);
  CHECK(mean < 3.0);
  CHECK(p95 < 8.0);
}

TEST_CASE("end to end: the model of a panel that clips at its peak predicts its roll-off") {
  // sim:miniled-hdr rolls off from 1000 cd/m² and clips at PQ(2000): the fitted model must
  // follow the display's own light on bright colours near the clip it was not fitted on.
  const std::string display = "sim:miniled-hdr";
  MeasurementSet set = measure(display, true, 1000);
  FittedDisplayModel model = fit_display_model(set, PerceptualSpace::itp());
  CHECK(model.top_signal().minCoeff() < 0.9);  // a clip point is found
  SimulatedClock clock;
  VirtualDisplay vd(load_display_model(display), clock);
  double sum = 0, worst = 0;
  int count = 0;
  for (const Vec3& v : random_set(300, 77).rgb) {
    Vec3 rgb = 0.6 * Vec3::Ones() + 0.25 * v;  // PQ 0.6..0.85: roll-off and clip
    double e = delta_e_itp_XYZ(model.XYZ(rgb), vd.steady_XYZ(rgb, 10, 0));
    sum += e;
    worst = std::max(worst, e);
    ++count;
  }
  MESSAGE("model vs display near the clip: mean dE ITP " << sum / count << " max " << worst);
  CHECK(sum / count < 1.0);
  CHECK(worst < 3.0);
}

namespace {

// Display light through a LUT (or without one) for a target signal, noise-free.
Vec3 shown_through(const std::string& display, const Lut3d* lut, const Vec3& signal) {
  SimulatedClock clock;
  VirtualDisplay vd(load_display_model(display), clock);
  if (lut) vd.load_lut(*lut);
  return vd.steady_XYZ(signal, 10, 0);
}

// Five times a colorimeter's noise floor (NoiseModel::floor_nits): below it a grey's colour is
// the meter's noise and the display's own black (which no reading resolves on an OLED).
constexpr double kMeasurable = 0.01;

// What one reading's noise (the assumed 1-sigma floor on each component) moves a colour by, in
// dE ITP: a calibration cannot be held to beat an uncalibrated grey by less than this.
double noise_de_itp(const Vec3& XYZ) {
  NoiseModel noise;
  return delta_e_itp_XYZ(XYZ + noise.sigma(XYZ), XYZ);
}

// The default LUT size: near black the lifted target bends the drive within the first cells.
void check_near_black(const std::string& display) {
  SolveResult r = solve(measure(display, true, 1000), target_by_name("pq-p3d65"));
  const Target& t = r.target;
  double worst = 0;
  int checked = 0;
  for (double s = 0.005; t.XYZ(Vec3::Constant(s)).y() < 1.0; s += 0.005) {
    Vec3 want = t.XYZ(Vec3::Constant(s));
    if (want.y() < kMeasurable) continue;
    double calibrated = delta_e_itp_XYZ(shown_through(display, &r.lut, Vec3::Constant(s)), want);
    double uncalibrated = delta_e_itp_XYZ(shown_through(display, nullptr, Vec3::Constant(s)), want);
    INFO(display << " grey " << s << ": target " << want.y() << " cd/m², calibrated " << calibrated
                 << " dE ITP, uncalibrated " << uncalibrated);
    CHECK(calibrated <= std::max(uncalibrated, noise_de_itp(want)));
    CHECK(calibrated < 2.0);
    worst = std::max(worst, calibrated);
    ++checked;
  }
  MESSAGE(display << ": " << checked << " greys under 1 cd/m² (black " << t.display_black_XYZ.y()
                  << "), worst calibrated " << worst << " dE ITP");
  CHECK(checked >= 20);
}

}  // namespace

// Item 4 of issue 13: below 1 cd/m² (and above what a meter resolves) the calibrated greyscale
// follows the target (BT.2390's lift onto the measured black) within 2 dE ITP and is never
// further from it than the display without the LUT.
TEST_CASE(
    "end to end: near black on sim:woled-tv the PQ greys follow the BT.2390 lift, never worse than uncalibrated") {
  check_near_black("sim:woled-tv");
}
TEST_CASE(
    "end to end: near black on sim:qdoled-hdr the PQ greys follow the BT.2390 lift, never worse than uncalibrated") {
  check_near_black("sim:qdoled-hdr");
}
TEST_CASE(
    "end to end: near black on sim:miniled-hdr the PQ greys follow the BT.2390 lift, never worse than uncalibrated") {
  check_near_black("sim:miniled-hdr");
}

// P3 content in a Rec.2020 container keeps its P3 primaries on wide-gamut displays: the P3
// primaries and secondaries at 80 % saturation (the full ones fall just outside these panels'
// red-green edges) and 100 cd/m² brightest channel, encoded in Rec.2020, come out through the
// pq-rec2020 LUT at their own chromaticity.
TEST_CASE("end to end: P3 primaries in a Rec.2020 container come out as P3 primaries") {
  Mat3 p3_to_2020 = rec2020_space().XYZ_to_rgb() * p3d65_space().rgb_to_XYZ();
  for (const char* display : {"sim:qdoled-hdr", "sim:miniled-hdr"}) {
    SolveOptions options;
    options.lut_size = 33;  // quick; away from black and the peak a 33³ LUT interpolates well
    SolveResult r = solve(measure(display, true, 1000), target_by_name("pq-rec2020"), options);
    for (const Vec3& p3 : {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0, 1, 1), Vec3(1, 0, 1), Vec3(1, 1, 0)}) {
      Vec3 linear = p3_to_2020 * (100.0 * (0.8 * p3 + 0.2 * Vec3::Ones())), signal;
      for (int c = 0; c < 3; ++c) signal[c] = pq_inverse_eotf(std::max(linear[c], 0.0));
      Vec3 want = r.target.XYZ(signal), shown = shown_through(display, &r.lut, signal);
      Uv a = uv_prime_from_xy(xy_from_XYZ(want)), b = uv_prime_from_xy(xy_from_XYZ(shown));
      INFO(display << " P3 " << p3.transpose() << ": dE ITP " << delta_e_itp_XYZ(shown, want) << ", du'v' "
                   << std::hypot(a.u - b.u, a.v - b.v));
      CHECK(std::hypot(a.u - b.u, a.v - b.v) < 0.004);  // about one just-noticeable u'v' difference
      CHECK(delta_e_itp_XYZ(shown, want) < 3.0);
    }
  }
}
