#pragma once
// Whether the fitted display model can represent the display: its residuals compared with the
// probe's noise (issue 20). A model that captures the display leaves residuals that are the
// meter's noise: in units of each reading's 1-sigma their mean square (the reduced chi-square)
// is about 1, and they are uncorrelated. A reduced chi-square well above 1, or residuals that
// keep one sign along the greyscale or one channel, mean the model misses something systematic,
// and the groups of readings below say where it sits.
#include <string>
#include <vector>

#include "formats/measurement_set.hpp"
#include "solver/fitted_model.hpp"
#include "solver/noise_model.hpp"

namespace calkit {

// One limit for every statistic: a standard normal exceeds it (either side) with a probability
// of 1e-4, so the ~50 statistics of a test stay under a 1 % false alarm together. The fit's
// choice of tone-curve stiffness uses it too (fitted_model.cpp).
constexpr double kLimitSigma = 3.89;

// The quantile of chi-square(k) / k at the normal quantile z (Wilson & Hilferty 1931):
// (1 - 2/(9k) + z·sqrt(2/(9k)))³, good to ~1 % from k = 3.
double reduced_chi2_quantile(double k, double z);

// Readings of one kind and what their residuals say. Each statistic has a limit that the noise
// alone exceeds with a probability of about 1e-4 (bias_test.cpp), so a verdict over every group
// rarely blames noise.
struct ResidualGroup {
  std::string name;  // "near black", "greys", "red", "green", "blue", "saturated", "high load"
  int readings = 0;
  // Mean square of the group's normalised residuals, scaled by the degrees of freedom the fit
  // took (as the overall one), and its upper limit under the noise model.
  double chi2 = 0, chi2_limit = 0;
  // The largest mean normalised residual of an XYZ component, in standard errors (N(0, 1) under
  // noise alone): a group the model puts consistently too bright or too dim, too red or too blue.
  double offset = 0;
  std::string offset_component;  // "X", "Y" or "Z"
  // Lag-1 correlation of the residuals along the group's level (greys by level, a channel's
  // ramp by its drive), in standard errors; only for groups with an order (greys, channels).
  double correlation = 0;
  bool ordered = false;
  bool biased = false;
  std::string why;  // what exceeded its limit, "" when nothing did
};

struct BiasTest {
  std::string noise;  // where the noise came from: "stated by the probe", "repeated readings", "assumed"
  int readings = 0;
  double effective_parameters = 0;  // spent by the fit: base model + correction
  double degrees_of_freedom = 0;    // 3·readings - effective_parameters
  // Reduced chi-square and the range the noise alone gives it (99.99 % two-sided).
  double chi2 = 0, chi2_low = 0, chi2_high = 0;
  std::vector<ResidualGroup> groups;
  bool passed = true;  // chi2 <= chi2_high and no group biased

  std::string where() const;    // the biased groups, comma separated ("" when none)
  std::string verdict() const;  // one line: the figures and where the bias sits
};

// Residuals in XYZ of the model against the readings it was fitted to, each in units of its
// 1-sigma (reading_sigmas: stated by the probe, else from repeated readings, else `assumed`).
// `fit` supplies the effective parameters.
BiasTest bias_test(const FittedDisplayModel& model, const std::vector<Reading>& readings, const FitReport& fit,
                   const NoiseModel& assumed = {});

}  // namespace calkit
