#pragma once
// Adaptive measurement (issue 20): after a small space-filling start, each next batch of patches
// goes where the calibration needs readings most, given the readings so far. The display model
// is fitted to them; candidates are the device signals the calibration LUT will send (the
// target's colours, uniform in the target's signal, through the fitted model's inversion), so
// no patch is spent on colours the LUT never drives; each candidate scores its distance, in the
// fit's perceptual space, to the nearest reading (where the model is least certain), scaled by
// how far the readings around it miss the model in units of their noise (where it is wrong).
// A batch is chosen greedily, each pick counting as a reading for the next, so it spreads out.
// See solver/README.md "Adaptive measurement".
#include <cstdint>
#include <string>
#include <vector>

#include "formats/measurement_set.hpp"
#include "solver/fitted_model.hpp"
#include "solver/target.hpp"

namespace calkit {

// The sizes of an adaptive run of `budget` patches: a starting set of 40 % (at least 64), then
// batches of a tenth of the budget (at least 16) until the budget is spent.
struct AdaptivePlan {
  int start = 0;
  int batch = 0;
};
AdaptivePlan adaptive_plan(int budget);

struct AdaptiveOptions {
  int count = 25;          // patches in the batch
  int candidates = 3000;   // target signals considered
  std::uint64_t seed = 1;  // of the candidates' random signals
  FitOptions fit;          // as solve() fits
};

// The model fitted to the readings so far, and what it says of the next readings.
struct AdaptiveBatch {
  std::vector<Vec3> rgb;  // the next patches, device RGB 0..1
  FittedDisplayModel model;
  int readings = 0;    // readings the choice was made from
  double fit_rms = 0;  // the fit's RMS residual (dE units of the fit space)
  // Its estimate of the error of predicting a new reading (GCV), dE units.
  double predicted_rms = 0;
  // Mean normalised squared residual of the readings (1: they are the meter's noise).
  double chi2 = 0;
};

// Throws InputError when the readings cannot be fitted (fewer than 20, no bright one).
AdaptiveBatch next_adaptive_batch(const MeasurementSet& so_far, const Target& target, const AdaptiveOptions& options);

// How well a model predicts readings it was not fitted to (the batch it chose, once measured):
// their RMS error in dE units of the model's fit space, and in units of the meter's noise (1: as
// well as the readings allow). The honest measure of the model's accuracy as the run goes.
struct BatchPrediction {
  int readings = 0;
  double rms = 0;
  double noise_units = 0;
};
BatchPrediction predict_batch(const FittedDisplayModel& model, const MeasurementSet& batch,
                              const NoiseModel& noise = {});

// When an adaptive run stops before its budget: once the model fitted before a batch predicted
// it within 1.2 times the meter's noise, two batches in a row (solver/README.md).
class AdaptiveStop {
 public:
  // The prediction of each batch after the start, in order; true: stop after this batch.
  bool after(const BatchPrediction& p) {
    within_noise_ = p.noise_units <= 1.2 ? within_noise_ + 1 : 0;
    return within_noise_ >= 2;
  }

 private:
  int within_noise_ = 0;
};

}  // namespace calkit
