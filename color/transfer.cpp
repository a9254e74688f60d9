// Transfer functions: BT.1886, sRGB, power law, SMPTE ST 2084 (PQ), BT.2100 HLG, BT.2390 EETF.
#include "color/transfer.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace calkit {

// ---- ITU-R BT.1886 Annex 1 ----

Bt1886Eotf::Bt1886Eotf(double white_nits, double black_nits, double gamma) : gamma_(gamma) {
  if (!(white_nits > 0) || !(black_nits >= 0) || !(black_nits < white_nits))
    throw ValueError("white/black", "BT.1886 needs 0 <= black < white cd/m² (got white " + std::to_string(white_nits) +
                                        ", black " + std::to_string(black_nits) + ")");
  if (!(gamma > 0)) throw ValueError("gamma", "BT.1886 gamma must be positive");
  double w = std::pow(white_nits, 1.0 / gamma);
  double k = std::pow(black_nits, 1.0 / gamma);
  a_ = std::pow(w - k, gamma);
  b_ = k / (w - k);
}

double Bt1886Eotf::nits(double signal) const { return a_ * std::pow(std::max(signal + b_, 0.0), gamma_); }

double Bt1886Eotf::signal(double nits) const { return std::pow(std::max(nits, 0.0) / a_, 1.0 / gamma_) - b_; }

// ---- IEC 61966-2-1 sRGB ----

double srgb_eotf(double signal) {
  if (signal <= 0.04045) return signal / 12.92;
  return std::pow((signal + 0.055) / 1.055, 2.4);
}

double srgb_inverse_eotf(double light) {
  if (light <= 0.0031308) return light * 12.92;
  return 1.055 * std::pow(light, 1.0 / 2.4) - 0.055;
}

// ---- power law (negative values clamp to 0: a display emits no negative light) ----

double gamma_eotf(double signal, double gamma) { return std::pow(std::max(signal, 0.0), gamma); }

double gamma_inverse_eotf(double light, double gamma) { return std::pow(std::max(light, 0.0), 1.0 / gamma); }

// ---- SMPTE ST 2084:2014 / ITU-R BT.2100-2 Table 4 ----

namespace {
constexpr double kPqM1 = 2610.0 / 16384.0;
constexpr double kPqM2 = 2523.0 / 4096.0 * 128.0;
constexpr double kPqC1 = 3424.0 / 4096.0;
constexpr double kPqC2 = 2413.0 / 4096.0 * 32.0;
constexpr double kPqC3 = 2392.0 / 4096.0 * 32.0;
constexpr double kPqPeak = 10000.0;
}  // namespace

double pq_eotf(double signal) {
  double e = std::pow(std::max(signal, 0.0), 1.0 / kPqM2);
  double num = std::max(e - kPqC1, 0.0);
  return kPqPeak * std::pow(num / (kPqC2 - kPqC3 * e), 1.0 / kPqM1);
}

double pq_inverse_eotf(double nits) {
  double y = std::pow(std::max(nits, 0.0) / kPqPeak, kPqM1);
  return std::pow((kPqC1 + kPqC2 * y) / (1.0 + kPqC3 * y), kPqM2);
}

double pq_inverse_eotf_with_slope(double nits, double* slope) {
  double x = std::max(nits, 1e-9) / kPqPeak;
  double y = std::pow(x, kPqM1);
  double ratio = (kPqC1 + kPqC2 * y) / (1.0 + kPqC3 * y);
  double signal = std::pow(ratio, kPqM2);
  // Chain rule through signal = ratio^m2, ratio = (c1 + c2 y) / (1 + c3 y), y = x^m1.
  double d_ratio = (kPqC2 - kPqC3 * kPqC1) / ((1.0 + kPqC3 * y) * (1.0 + kPqC3 * y));
  *slope = kPqM2 * signal / ratio * d_ratio * kPqM1 * y / x / kPqPeak;
  return nits >= 1e-9 ? signal : pq_inverse_eotf(nits);
}

// ---- ITU-R BT.2100-2 Table 5 (HLG) ----

namespace {
// BT.2100-2 Table 5 defines b and c from a; the printed 0.28466892 and 0.55991073 are roundings
// (the exact c moves the EOTF at peak by 3e-9 relative, as colour-science's BT.2100 code does).
constexpr double kHlgA = 0.17883277;
constexpr double kHlgB = 1.0 - 4.0 * kHlgA;
const double kHlgC = 0.5 - kHlgA * std::log(4.0 * kHlgA);

// BT.2100-2 Table 5: Ys = 0.2627 R + 0.6780 G + 0.0593 B.
double hlg_luminance(const Vec3& rgb) { return 0.2627 * rgb.x() + 0.6780 * rgb.y() + 0.0593 * rgb.z(); }

void check_hlg_display(double peak_nits, double black_nits) {
  if (!(peak_nits > 0) || !(black_nits >= 0) || !(black_nits < peak_nits))
    throw ValueError("peak/black", "HLG needs 0 <= black < peak cd/m²");
}

void check_hlg_gamma(double gamma) {
  if (!(gamma > 0) || !std::isfinite(gamma)) throw ValueError("system gamma", "HLG system gamma must be positive");
}

// BT.2100-2 Table 5 note: beta = sqrt(3 (Lb/Lw)^(1/gamma)).
double hlg_black_lift(double peak_nits, double black_nits, double gamma) {
  return std::sqrt(3.0 * std::pow(black_nits / peak_nits, 1.0 / gamma));
}
}  // namespace

double hlg_oetf(double scene) {
  scene = std::max(scene, 0.0);
  if (scene <= 1.0 / 12.0) return std::sqrt(3.0 * scene);
  return kHlgA * std::log(12.0 * scene - kHlgB) + kHlgC;
}

double hlg_inverse_oetf(double signal) {
  signal = std::max(signal, 0.0);
  if (signal <= 0.5) return signal * signal / 3.0;
  return (std::exp((signal - kHlgC) / kHlgA) + kHlgB) / 12.0;
}

// BT.2100-2 Table 5 note 5f / BT.2390: gamma = 1.2 + 0.42 log10(Lw / 1000).
double hlg_system_gamma(double peak_nits) {
  if (!(peak_nits > 0)) throw ValueError("peak", "HLG peak must be positive");
  return 1.2 + 0.42 * std::log10(peak_nits / 1000.0);
}

// BT.2100-2: F_D = OOTF[OETF^-1(max(0, (1 - beta) E' + beta))], OOTF = Lw Ys^(gamma-1) E.
Vec3 hlg_eotf(const Vec3& signal, double peak_nits, double black_nits) {
  return hlg_eotf(signal, peak_nits, black_nits, hlg_system_gamma(peak_nits));
}

Vec3 hlg_inverse_eotf(const Vec3& nits, double peak_nits, double black_nits) {
  return hlg_inverse_eotf(nits, peak_nits, black_nits, hlg_system_gamma(peak_nits));
}

Vec3 hlg_eotf(const Vec3& signal, double peak_nits, double black_nits, double gamma) {
  check_hlg_display(peak_nits, black_nits);
  check_hlg_gamma(gamma);
  double beta = hlg_black_lift(peak_nits, black_nits, gamma);
  Vec3 scene;
  for (int i = 0; i < 3; ++i) scene[i] = hlg_inverse_oetf(std::max(0.0, (1.0 - beta) * signal[i] + beta));
  double ys = hlg_luminance(scene);
  if (ys <= 0) return Vec3::Zero();
  return peak_nits * std::pow(ys, gamma - 1.0) * scene;
}

Vec3 hlg_inverse_eotf(const Vec3& nits, double peak_nits, double black_nits, double gamma) {
  check_hlg_display(peak_nits, black_nits);
  check_hlg_gamma(gamma);
  double beta = hlg_black_lift(peak_nits, black_nits, gamma);
  Vec3 display = nits.cwiseMax(0.0);
  double yd = hlg_luminance(display);
  Vec3 scene = Vec3::Zero();
  if (yd > 0) scene = std::pow(yd / peak_nits, (1.0 - gamma) / gamma) * display / peak_nits;
  Vec3 signal;
  for (int i = 0; i < 3; ++i) signal[i] = (hlg_oetf(scene[i]) - beta) / (1.0 - beta);
  return signal;
}

// ---- Report ITU-R BT.2390-4 (04/2018) §5.4.1 EETF (pp. 20-21; continued in BT.2408-4+ §3.1.1) ----

Bt2390Eetf::Bt2390Eetf(double source_black, double source_peak, double target_black, double target_peak)
    : source_black_(source_black), source_peak_(source_peak), target_black_(target_black), target_peak_(target_peak) {
  if (!(source_black >= 0) || !(source_peak > source_black) || !(source_peak <= 10000))
    throw ValueError("mastering black/peak", "EETF needs 0 <= mastering black < mastering peak <= 10000 cd/m²");
  if (!(target_black >= 0) || !(target_peak > target_black))
    throw ValueError("display black/peak", "EETF needs 0 <= display black < display peak cd/m²");
}

namespace {
struct EetfRange {
  double pq_black, pq_range, min_lum, max_lum, knee;
};

EetfRange eetf_range(double sb, double sp, double tb, double tp) {
  EetfRange r;
  r.pq_black = pq_inverse_eotf(sb);
  r.pq_range = pq_inverse_eotf(sp) - r.pq_black;
  r.min_lum = (pq_inverse_eotf(tb) - r.pq_black) / r.pq_range;
  r.max_lum = (pq_inverse_eotf(tp) - r.pq_black) / r.pq_range;
  r.knee = 1.5 * r.max_lum - 0.5;  // KS
  return r;
}
}  // namespace

double Bt2390Eetf::nits(double source_nits) const {
  EetfRange r = eetf_range(source_black_, source_peak_, target_black_, target_peak_);
  double e1 = (pq_inverse_eotf(source_nits) - r.pq_black) / r.pq_range;
  e1 = std::clamp(e1, 0.0, 1.0);
  double e2 = e1;
  if (r.knee < 1.0 && e1 >= r.knee) {
    // Hermite spline from (KS, KS) with slope 1 to (1, maxLum) with slope 0.
    double t = (e1 - r.knee) / (1.0 - r.knee);
    double t2 = t * t, t3 = t2 * t;
    e2 = (2 * t3 - 3 * t2 + 1) * r.knee + (t3 - 2 * t2 + t) * (1.0 - r.knee) + (-2 * t3 + 3 * t2) * r.max_lum;
  }
  double e3 = e2 + std::max(r.min_lum, 0.0) * std::pow(1.0 - e2, 4.0);  // black-level lift
  return pq_eotf(e3 * r.pq_range + r.pq_black);
}

double Bt2390Eetf::knee_nits() const {
  EetfRange r = eetf_range(source_black_, source_peak_, target_black_, target_peak_);
  if (r.knee >= 1.0) return source_peak_;
  return pq_eotf(std::max(r.knee, 0.0) * r.pq_range + r.pq_black);
}

}  // namespace calkit
