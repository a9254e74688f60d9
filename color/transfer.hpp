#pragma once
// Transfer functions. Signals are normalised 0..1 (full range); light is in cd/m² where the
// standard is absolute (BT.1886, PQ, HLG display light) and relative 0..1 otherwise.
#include "core/types.hpp"

namespace calkit {

// ITU-R BT.1886 (03/2011) Annex 1 reference EOTF, with black compensation at the display's black.
class Bt1886Eotf {
 public:
  Bt1886Eotf(double white_nits, double black_nits, double gamma = 2.4);
  double nits(double signal) const;  // L = a * max(V + b, 0)^gamma
  double signal(double nits) const;  // inverse: V = (L / a)^(1/gamma) - b
  double a() const { return a_; }
  double b() const { return b_; }
  double gamma() const { return gamma_; }

 private:
  double a_, b_, gamma_;
};

// IEC 61966-2-1 sRGB piecewise EOTF, relative light.
double srgb_eotf(double signal);
double srgb_inverse_eotf(double light);

// Pure power law, relative light.
double gamma_eotf(double signal, double gamma);
double gamma_inverse_eotf(double light, double gamma);

// SMPTE ST 2084 (PQ), absolute: signal <-> cd/m² (0..10000).
double pq_eotf(double signal);
double pq_inverse_eotf(double nits);
// pq_inverse_eotf and its derivative d signal / d nits (the solver's analytic Jacobians); the
// derivative is infinite at 0 cd/m², so it is taken at 1e-9 cd/m² there.
double pq_inverse_eotf_with_slope(double nits, double* slope);

// ITU-R BT.2100-2 HLG.
double hlg_oetf(double scene);              // scene light 0..1 -> signal
double hlg_inverse_oetf(double signal);     // signal -> scene light 0..1
double hlg_system_gamma(double peak_nits);  // 1.2 at 1000 cd/m², extended rule of BT.2100 note 5f
// HLG EOTF for a display of the given peak and black: non-linear RGB -> display light RGB (cd/m²),
// and its inverse. Rec.2020 luminance weights in the OOTF.
Vec3 hlg_eotf(const Vec3& signal, double peak_nits, double black_nits = 0);
Vec3 hlg_inverse_eotf(const Vec3& nits, double peak_nits, double black_nits = 0);
// The same with an explicit system gamma (e.g. adjusted for surround, BT.2390 §6.2).
Vec3 hlg_eotf(const Vec3& signal, double peak_nits, double black_nits, double system_gamma);
Vec3 hlg_inverse_eotf(const Vec3& nits, double peak_nits, double black_nits, double system_gamma);

// ITU-R BT.2390 EETF (Report ITU-R BT.2390-4 (04/2018) §5.4.1, pp. 20-21; the same EETF
// continues in Report ITU-R BT.2408-4+ §3.1.1 and Annex 5): maps PQ content mastered on
// [source_black, source_peak] to a display's [target_black, target_peak] with the Hermite-spline
// knee KS = 1.5 maxLum - 0.5 and the black-level lift b (1 - E2)^4. Works on luminance in cd/m².
class Bt2390Eetf {
 public:
  Bt2390Eetf(double source_black, double source_peak, double target_black, double target_peak);
  double nits(double source_nits) const;
  double knee_nits() const;  // the roll-off start, in source cd/m²

 private:
  double source_black_, source_peak_, target_black_, target_peak_;
};

}  // namespace calkit
