#include "solver/adaptive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "color/difference.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "solver/invert.hpp"
#include "solver/noise_model.hpp"
#include "solver/solve.hpp"

namespace calkit {

namespace {

// Each reading's squared residual against the model, in units of its noise, per component.
std::vector<double> squared_noise_units(const FittedDisplayModel& model, const std::vector<Reading>& readings,
                                        const NoiseModel& noise) {
  std::vector<Vec3> sigma = reading_sigmas(readings, noise);
  std::vector<double> out(readings.size());
  for (std::size_t i = 0; i < readings.size(); ++i) {
    Vec3 z = (model.XYZ(readings[i].rgb) - readings[i].XYZ).cwiseQuotient(sigma[i].cwiseMax(1e-12));
    out[i] = z.squaredNorm() / 3;
  }
  return out;
}

// Device signals the calibration will send: the target's colours for random target signals and
// a grey ramp, through the fitted model's inversion (gamut-mapped where the display cannot show
// them, as the LUT maps them).
std::vector<Vec3> candidate_signals(const FittedDisplayModel& model, const Target& target, double tolerance,
                                    const AdaptiveOptions& options) {
  DeviceMapper mapper(model, target, tolerance);
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Vec3> signals;
  // PQ content is clipped at the mastering peak: signals above it ask for the colour at it.
  const double top = target.hdr() && !target.reference_XYZ ? pq_inverse_eotf(target.mastering_peak) : 1.0;
  const int greys = std::max(16, options.candidates / 20);
  for (int i = 0; i < greys; ++i) signals.push_back(Vec3::Constant(top * i / (greys - 1)));
  while (int(signals.size()) < options.candidates)
    signals.push_back(top * Vec3(unit(random), unit(random), unit(random)));
  std::vector<Vec3> rgb;
  rgb.reserve(signals.size());
  for (const Vec3& s : signals) {
    Vec3 XYZ = target.XYZ(s);
    rgb.push_back(model.clamp_signal(mapper.device_rgb(XYZ, model.initial_rgb(XYZ))));
  }
  return rgb;
}

}  // namespace

AdaptivePlan adaptive_plan(int budget) {
  AdaptivePlan plan;
  plan.start = std::min(budget, std::max(64, budget * 2 / 5));
  plan.batch = std::max(16, budget / 10);
  return plan;
}

AdaptiveBatch next_adaptive_batch(const MeasurementSet& so_far, const Target& target_in,
                                  const AdaptiveOptions& options) {
  AdaptiveBatch batch;
  const std::vector<Reading> data = usable_readings(so_far);
  const FitReport fit = fit_display_model_into(batch.model, data, fit_space(data, target_in.hdr()), options.fit);
  const FittedDisplayModel& model = batch.model;
  double min_nits = 0, max_nits = 0;
  const Target target = target_for_display(target_in, model, &min_nits, &max_nits);
  std::vector<double> misfit = squared_noise_units(model, data, options.fit.noise);
  batch.readings = int(data.size());
  batch.fit_rms = fit.model_rms;
  batch.predicted_rms = fit.gcv_rms;
  for (double m : misfit) batch.chi2 += m / misfit.size();

  // Distances are the verification's colour difference: dE2000 in the fit's CIELAB (SDR), where
  // a step in chroma counts for less than one in lightness or near neutral, and the Euclidean
  // distance of the fit's ICtCp, scaled as dE ITP, for PQ.
  const bool lab = model.space().kind() == PerceptualSpace::Kind::Lab;
  auto difference = [lab](const Vec3& a, const Vec3& b) { return lab ? delta_e2000(a, b) : (a - b).norm(); };
  std::vector<Vec3> candidates = candidate_signals(model, target, fit.model_rms, options);
  const std::size_t n = candidates.size();
  std::vector<Vec3> at(n), read(data.size());
  for (std::size_t i = 0; i < n; ++i) at[i] = model.perceptual(candidates[i]);
  for (std::size_t j = 0; j < data.size(); ++j) read[j] = model.perceptual(data[j].rgb);

  // distance: to the nearest reading (then to the nearest reading or pick); weight: the RMS
  // misfit, in noise units and at least 1, of the 8 readings nearest to the candidate.
  const std::size_t k = std::min<std::size_t>(8, read.size());
  std::vector<double> distance(n), weight(n);
  std::vector<std::pair<double, std::size_t>> nearest(read.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < read.size(); ++j) nearest[j] = {difference(at[i], read[j]), j};
    std::partial_sort(nearest.begin(), nearest.begin() + k, nearest.end());
    distance[i] = nearest[0].first;
    double local = 0;
    for (std::size_t q = 0; q < k; ++q) local += misfit[nearest[q].second] / k;
    weight[i] = std::sqrt(std::max(1.0, local));
  }
  for (int pick = 0; pick < options.count; ++pick) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (distance[i] * weight[i] > distance[best] * weight[best]) best = i;
    if (distance[best] <= 0) break;  // every candidate has been read
    batch.rgb.push_back(candidates[best]);
    for (std::size_t i = 0; i < n; ++i) distance[i] = std::min(distance[i], difference(at[i], at[best]));
  }
  return batch;
}

BatchPrediction predict_batch(const FittedDisplayModel& model, const MeasurementSet& batch, const NoiseModel& noise) {
  std::vector<Reading> fresh = usable_readings(batch);
  BatchPrediction p;
  p.readings = int(fresh.size());
  if (fresh.empty()) return p;
  const PerceptualSpace& space = model.space();
  std::vector<double> misfit = squared_noise_units(model, fresh, noise);
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    p.rms += (space.from_XYZ(model.XYZ(fresh[i].rgb)) - space.from_XYZ(fresh[i].XYZ)).squaredNorm() / fresh.size();
    p.noise_units += misfit[i] / fresh.size();
  }
  p.rms = std::sqrt(p.rms);
  p.noise_units = std::sqrt(p.noise_units);
  return p;
}

}  // namespace calkit
