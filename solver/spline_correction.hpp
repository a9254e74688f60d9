#pragma once
// A smooth 3D correction: a tensor-product uniform cubic B-spline over device RGB [0,1]³ with
// three outputs, fitted as a P-spline (Eilers & Marx 1996, Statist. Sci. 11(2):89): least
// squares plus lambda times the squared second differences of the coefficients along each axis
// (and a small ridge, so regions without data fall back to no correction). lambda is chosen by
// generalised cross-validation (Craven & Wahba 1979), so the data's noise sets the smoothness.
#include <vector>

#include "core/types.hpp"

namespace calkit {

struct SplineFitReport {
  double lambda = 0;
  double effective_parameters = 0;  // trace of the hat matrix
  double rms_before = 0;            // residual RMS (per output component) without correction
  double rms_after = 0;             // with it
  double gcv_rms = 0;               // GCV's prediction-error estimate, as an RMS
};

class SplineCorrection {
 public:
  SplineCorrection() = default;
  explicit SplineCorrection(int intervals);

  int intervals() const { return intervals_; }
  bool empty() const { return coef_.empty(); }
  Vec3 operator()(const Vec3& rgb) const;
  // The correction and its derivative by device RGB (column k: d/d rgb[k]), rgb inside 0..1.
  Vec3 value_and_jacobian(const Vec3& rgb, Mat3* J) const;

  // Fits residuals[i] at rgb[i] (weighted least squares when weights are given).
  SplineFitReport fit(const std::vector<Vec3>& rgb, const std::vector<Vec3>& residuals,
                      const std::vector<double>& weights = {});

  const std::vector<Vec3>& coefficients() const { return coef_; }

 private:
  int side() const { return intervals_ + 3; }
  int intervals_ = 0;
  std::vector<Vec3> coef_;
};

}  // namespace calkit
