#pragma once
// The fitted display model: device RGB (full range 0..1) -> absolute XYZ (cd/m²).
//
//   base(rgb) = black + M · f + w · f_w(d),  f = (f_r(r), f_g(g), f_b(b)),  d = min(f) or min(rgb)
//   XYZ(rgb)  = P⁻¹( P(base(rgb)) + C(rgb) )
//
// Physics first: per-channel monotone tone curves f_c and a 3×3 primary matrix M describe an
// additive display; the optional white term w·f_w(d) is a white sub-pixel (WOLED), driven from
// the smallest linear channel or the smallest signal, whichever fits the readings better, and
// ridge-penalised so it vanishes on displays without one. What that misses (crosstalk, sag,
// local tone-curve errors) goes into C, a smooth P-spline in the perceptual space P, whose
// smoothness GCV sets from the data so that measurement noise does not become ripples.
// See solver/README.md.
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"
#include "solver/perceptual_space.hpp"
#include "solver/spline_correction.hpp"
#include "solver/monotone_curve.hpp"

namespace calkit {

// What drives a white sub-pixel: the smallest linear channel (RGBW conversion in linear light)
// or the smallest signal.
enum class WhiteDrive { SmallestLinear, SmallestSignal };

struct FitOptions {
  bool correction = true;          // fit the smooth correction C (false: base model only)
  int correction_intervals = 0;    // spline intervals per axis; 0 = from the number of readings
  bool white_subpixel = true;      // fit the w·f_w(min) term
  int max_iterations = 200;        // Levenberg-Marquardt
  // A colorimeter's absolute noise floor (1 sigma per XYZ component, cd/m²). Readings whose
  // perceptual coordinates this much noise moves by more than ~0.5 dE (deep blacks, above all
  // in PQ) count for correspondingly less.
  double noise_floor_nits = 0.002;
};

struct FitReport {
  int readings = 0;
  int iterations = 0;
  // Residuals in dE units per reading, each weighed by how far the meter's noise floor lets it
  // be trusted (1 for all but the darkest readings).
  double base_rms = 0;       // RMS of the base model
  double model_rms = 0;      // with the correction
  double gcv_rms = 0;        // estimated prediction error of the corrected model
  double max_residual = 0;   // largest residual of the corrected model
  SplineFitReport correction;
};

class FittedDisplayModel {
 public:
  FittedDisplayModel() = default;

  Vec3 XYZ(const Vec3& rgb) const;       // absolute cd/m²
  Vec3 base_XYZ(const Vec3& rgb) const;  // without the correction
  // The model's colour in its perceptual space (what the inversion works in).
  Vec3 perceptual(const Vec3& rgb) const;
  // perceptual(rgb) and its analytic derivative by device RGB (column k: d/d rgb[k]) in one
  // pass; the white term's min() passes its derivative to the smallest channel.
  Vec3 perceptual_with_jacobian(const Vec3& rgb, Mat3* J) const;
  const PerceptualSpace& space() const { return space_; }

  // A start for the inversion: the base model's matrix and curves inverted, clamped to 0..1.
  Vec3 initial_rgb(const Vec3& XYZ) const;
  // Device RGB clamped to what changes the light: 0 up to each channel's clip point (1 unless
  // the display clips at its peak, as PQ displays do).
  Vec3 clamp_signal(const Vec3& rgb) const { return rgb.cwiseMax(0.0).cwiseMin(top_); }
  const Vec3& top_signal() const { return top_; }

  const Vec3& black() const { return black_; }
  const Mat3& primaries() const { return matrix_; }   // columns: XYZ of R, G, B above black
  const Vec3& white_subpixel() const { return white_; }
  WhiteDrive white_drive() const { return white_drive_; }
  const MonotoneCurve& curve(int channel) const { return curves_[channel]; }  // 0..2 RGB, 3 white
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
  SplineCorrection correction_;
  PerceptualSpace space_;
  Mat3 matrix_inverse_ = Mat3::Identity();
  Vec3 top_ = Vec3::Ones();
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
