// Adaptive measurement (issue 20 item 3), judged by what the display shows and by the noise the
// SimProbe states: the batches go only where the calibration LUT drives the display, and the
// model's prediction of readings it has not seen is as good as the noise allows on a display it
// represents, and visibly worse when the display drifts.
#include <doctest/doctest.h>

#include <set>
#include <tuple>

#include "color/rgb_space.hpp"
#include "emulators/sim_readings.hpp"
#include "patches/patch_sets.hpp"
#include "sim/single_effect_displays.hpp"
#include "solver/adaptive.hpp"
#include "solver/target.hpp"

using namespace calkit;

namespace {

// The share of patches whose light, on the noise-free display, lies outside the Rec.709 gamut:
// a linear Rec.709 component below -1 % of the luminance.
double share_outside_rec709(const DisplayModel& model, const std::vector<Vec3>& rgb) {
  SimulatedClock clock;
  VirtualDisplay display(model, clock);
  const Mat3 to_rec709 = rec709_space().XYZ_to_rgb();
  int outside = 0;
  for (const Vec3& v : rgb) {
    Vec3 XYZ = display.steady_XYZ(v, 10, 0);
    if ((to_rec709 * XYZ).minCoeff() < -0.01 * XYZ.y()) ++outside;
  }
  return double(outside) / rgb.size();
}

MeasurementSet starting_readings(const DisplayModel& model, int count) {
  return read_with_sim_probe(model, recommended_patch_set(false, count).rgb);
}

}  // namespace

TEST_CASE("adaptive batches on a P3 panel calibrated to Rec.709 stay inside Rec.709, where the LUT drives it") {
  // The clean SDR panel has P3-D65 primaries: a BT.1886 / Rec.709 LUT never drives it outside
  // Rec.709, and a patch there says nothing the LUT uses.
  const DisplayModel panel = clean_display_model(false);
  const MeasurementSet start = starting_readings(panel, 100);
  // The fixed set fills the whole device cube (the check can fail).
  CHECK(share_outside_rec709(panel, recommended_patch_set(false, 100).rgb) > 0.2);

  AdaptiveOptions options;
  options.count = 40;
  AdaptiveBatch batch = next_adaptive_batch(start, target_by_name("bt1886"), options);
  REQUIRE(batch.rgb.size() == 40);
  CHECK(batch.readings == 100);
  CHECK(share_outside_rec709(panel, batch.rgb) == 0);
  std::set<std::tuple<double, double, double>> seen;
  for (const Reading& r : start.readings) seen.insert({r.rgb.x(), r.rgb.y(), r.rgb.z()});
  for (const Vec3& v : batch.rgb) {
    CHECK(v.minCoeff() >= 0);
    CHECK(v.maxCoeff() <= 1);
    CHECK(seen.insert({v.x(), v.y(), v.z()}).second);  // neither read before nor chosen twice
  }
  // The choice is a function of the readings (a resumed run makes the same one).
  CHECK(next_adaptive_batch(start, target_by_name("bt1886"), options).rgb == batch.rgb);
}

TEST_CASE("a batch's prediction: within the noise on a display the model represents, far off after a drift") {
  const DisplayModel panel = clean_display_model(false);
  const MeasurementSet before = starting_readings(panel, 200);
  AdaptiveOptions options;
  options.count = 60;
  const AdaptiveBatch next = next_adaptive_batch(before, target_by_name("bt1886"), options);

  // The display as it was: the prediction error is the noise plus the fit's own uncertainty
  // (about 70 effective parameters on 600 components: a few percent above the noise).
  BatchPrediction same = predict_batch(next.model, read_with_sim_probe(panel, next.rgb));
  INFO("same display: " << same.noise_units << "x the noise, " << same.rms << " dE");
  CHECK(same.readings == 60);
  CHECK(same.noise_units > 0.8);
  CHECK(same.noise_units < 1.4);

  // The panel 1 % brighter (warming up between batches): five times the 0.2 % relative noise.
  DisplayModel warmer = panel;
  warmer.peak_nits *= 1.01;
  BatchPrediction drifted = predict_batch(next.model, read_with_sim_probe(warmer, next.rgb));
  INFO("drifted display: " << drifted.noise_units << "x the noise");
  CHECK(drifted.noise_units > 3);
}
