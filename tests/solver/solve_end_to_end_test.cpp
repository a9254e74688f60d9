// End to end on built-in virtual displays: SimProbe readings (noise on) -> solve -> LUT in the
// display's LUT slot -> the display's own noise-free light on a separate verification set,
// against the target. Modest thresholds; bench_accuracy prints the full figures.
#include <doctest/doctest.h>

#include <algorithm>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "patches/patch_sets.hpp"
#include "emulators/sim_probe.hpp"
#include "core/clock.hpp"
#include "sim/virtual_display.hpp"
#include "solver/invert.hpp"
#include "solver/solve.hpp"

using namespace calkit;

namespace {

MeasurementSet measure(const std::string& display, bool hdr, int count) {
  SimulatedClock clock;
  VirtualDisplay vd(load_display_model(display), clock);
  SimProbe probe(vd, {});
  probe.open();
  MeasurementSet set;
  for (const Vec3& v : recommended_patch_set(hdr, count).rgb) {
    vd.show(v, 10, 0);
    clock.sleep_s(2.0);
    set.readings.push_back({v, probe.read().XYZ, {}});
  }
  return set;
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
