#pragma once
// The fitted display model: device RGB (full range 0..1) -> absolute XYZ (cd/m²).
//
//   u(rgb)    = M · f + w · f_w(d),  f = (f_r(r), f_g(g), f_b(b)),  d = min(f) or min(rgb)
//   base(rgb) = black + g(u_Y / Y_white) · u(rgb)
//   XYZ(rgb)  = P⁻¹( P(base(rgb)) + C(rgb) )
//
// Physics first: per-channel monotone tone curves f_c and a 3×3 primary matrix M describe an
// additive display; the optional white term w·f_w(d) is a white sub-pixel (WOLED), driven from
// the smallest linear channel or the smallest signal, whichever fits the readings better, and
// ridge-penalised so it vanishes on displays without one. The load gain g (LoadGain) is the
// light lost to the load the patch puts on the panel (supply sag, brightness limiting), ridge-
// penalised in the same way. What that misses (crosstalk, local tone-curve errors) goes into C,
// a smooth P-spline in the perceptual space P, whose smoothness GCV sets from the data so that
// measurement noise does not become ripples.
// See solver/README.md.
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"
#include "solver/monotone_curve.hpp"
#include "solver/noise_model.hpp"
#include "solver/perceptual_space.hpp"
#include "solver/spline_correction.hpp"

namespace calkit {

// What drives a white sub-pixel: the smallest linear channel (RGBW conversion in linear light)
// or the smallest signal.
enum class WhiteDrive { SmallestLinear, SmallestSignal };

// The share of its light a panel keeps under load L (the light asked for, relative to the
// white's): g(L) = (1 - sag·L) · min(1, (knee / L)^exponent). A supply sags in proportion to the
// current drawn (sim/display_model.hpp, power_sag); automatic brightness limiting holds the
// panel's power once the frame's average light passes a knee, a power law of that average
// (gain ∝ 1/APL at exponent 1: a pure power cap, the frame's light held constant). Patches are read as a window on
// black, so the frame's average light is the patch's own light times the window's area: both show in the readings as
// functions of the patch's own light, and it is that the fit sees.
struct LoadGain {
  double sag = 0;
  double exponent = 0;
  double knee = 0.5;
  double operator()(double load, double* derivative = nullptr) const;
};

struct FitOptions {
  bool correction = true;        // fit the smooth correction C (false: base model only)
  int correction_intervals = 0;  // spline intervals per axis; 0 = from the number of readings
  bool white_subpixel = true;    // fit the w·f_w(min) term
  int max_iterations = 200;      // Levenberg-Marquardt
  // The meter's noise for readings whose probe states none (NoiseModel). Each reading counts by
  // its noise: its residual in the perceptual space is whitened by the noise's covariance there,
  // so the fit is a weighted least-squares (maximum-likelihood) fit to the readings, and readings
  // that are mostly noise (deep blacks, above all in PQ) count for correspondingly less.
  NoiseModel noise;
};

struct FitReport {
  int readings = 0;
  int iterations = 0;
  // Levenberg-Marquardt stopped because no step lowered the cost by more than 1e-6 of it, not at
  // FitOptions::max_iterations.
  bool converged = false;
  // Residuals in dE units per reading, each weighed by how far the meter's noise floor
  // (NoiseModel::floor_nits) lets it be trusted (1 for all but the darkest readings).
  double base_rms = 0;      // RMS of the base model
  double model_rms = 0;     // with the correction
  double gcv_rms = 0;       // estimated prediction error of the corrected model
  double max_residual = 0;  // largest residual of the corrected model
  // How many parameters the base model spends on the readings: the trace of its hat matrix at
  // the optimum, (JᵀJ + RᵀR)⁻¹ JᵀJ with J the readings' rows and R the regulariser's (Hastie &
  // Tibshirani 1990, "Generalized Additive Models", 3.5), fixed parameters left out. With the
  // correction's own trace, what the residuals' degrees of freedom lose (solver/bias_test.hpp).
  double base_effective_parameters = 0;
  // How much heavier than the default the readings chose the tone curves' smoothness penalty above
  // the shadows: 1 (supple), 100 or 10000 (near one power law each there).
  double curve_stiffness = 1;
  SplineFitReport correction;
};

class FittedDisplayModel {
 public:
  FittedDisplayModel() = default;

  Vec3 XYZ(const Vec3& rgb) const;       // absolute cd/m²
  Vec3 base_XYZ(const Vec3& rgb) const;  // without the correction
  // The model's colour in its perceptual space (what the inversion works in).
  Vec3 perceptual(const Vec3& rgb) const;
  const PerceptualSpace& space() const { return space_; }

  // perceptual(rgb) and its analytic derivative (column k: by variable k) in one pass, by the
  // device signals or by each channel's linear light l_c = f_c(rgb_c). In linear light an additive
  // display is linear and its gamut a box, and a channel at 0 on a PQ-like curve (whose signal
  // slope vanishes there) can still be seen to matter; by signal, terms that follow the signal
  // itself (the correction, a signal-driven white sub-pixel) stay smooth at 0. By linear light,
  // those terms' signal derivatives are divided by the curve's slope floored at 0.02, and the
  // white curve's slope is taken at a drive of at least 1e-3 (fitted_model.cpp says why).
  enum class Variables { Signal, LinearLight };
  Vec3 perceptual_with_jacobian(const Vec3& rgb, Mat3* J, Variables by = Variables::Signal) const;
  Vec3 linear_light(const Vec3& rgb) const;               // (f_r(r), f_g(g), f_b(b))
  Vec3 signal_for_linear(const Vec3& light) const;        // the inverse, clamped to 0..top_signal
  const Vec3& top_linear() const { return top_linear_; }  // linear light at top_signal

  // A start for the inversion: the base model's matrix and curves inverted, clamped to 0..1.
  Vec3 initial_rgb(const Vec3& XYZ) const;
  // Device RGB clamped to what changes the light: 0 up to each channel's clip point (1 unless
  // the display clips at its peak, as PQ displays do).
  Vec3 clamp_signal(const Vec3& rgb) const { return rgb.cwiseMax(0.0).cwiseMin(top_); }
  const Vec3& top_signal() const { return top_; }

  const Vec3& black() const { return black_; }
  const Mat3& primaries() const { return matrix_; }  // columns: XYZ of R, G, B above black
  const Vec3& white_subpixel() const { return white_; }
  WhiteDrive white_drive() const { return white_drive_; }
  const MonotoneCurve& curve(int channel) const { return curves_[channel]; }  // 0..2 RGB, 3 white
  const LoadGain& load_gain() const { return load_; }
  const SplineCorrection& correction() const { return correction_; }

  friend FitReport fit_display_model_into(FittedDisplayModel& model, const std::vector<Reading>& data,
                                          const PerceptualSpace& space, const FitOptions& options);

 private:
  Vec3 black_ = Vec3::Zero();
  Mat3 matrix_ = Mat3::Identity();
  Vec3 white_ = Vec3::Zero();
  WhiteDrive white_drive_ = WhiteDrive::SmallestSignal;
  MonotoneCurve curves_[4] = {MonotoneCurve::power(2.2), MonotoneCurve::power(2.2), MonotoneCurve::power(2.2),
                              MonotoneCurve::power(2.2)};
  LoadGain load_;
  double load_reference_Y_ = 1;  // the light (above black) of load 1: the white's
  SplineCorrection correction_;
  PerceptualSpace space_;
  Mat3 matrix_inverse_ = Mat3::Identity();
  Vec3 top_ = Vec3::Ones(), top_linear_ = Vec3::Ones();
  void update_derived();
};

// Fits the model to readings (device RGB 0..1 -> absolute XYZ). Residuals are weighed in `space`
// (dE units). Throws InputError when the readings cannot determine a model (fewer than 20, no
// bright reading, NaNs).
FitReport fit_display_model_into(FittedDisplayModel& model, const std::vector<Reading>& data,
                                 const PerceptualSpace& space, const FitOptions& options = {});
FittedDisplayModel fit_display_model(const MeasurementSet& set, const PerceptualSpace& space,
                                     const FitOptions& options = {}, FitReport* report = nullptr);

// Readings used for fitting: device RGB inside 0..1, finite XYZ; throws InputError otherwise.
std::vector<Reading> usable_readings(const MeasurementSet& set);

}  // namespace calkit
