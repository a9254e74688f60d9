#include "sim/virtual_display.hpp"

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "luts/apply.hpp"

namespace calkit {

namespace {

Vec3 clamp01(const Vec3& v) { return v.cwiseMax(0.0).cwiseMin(1.0); }

double quantise(double v, int bits) {
  double top = std::ldexp(1.0, bits) - 1;
  return std::round(v * top) / top;
}

// HDR roll-off: identity up to the knee, then g(x) = r (1 - (1 - x)^(1/r)) on x = (n - knee) /
// (clip - knee), which has slope 1 at the knee and maps clip onto peak (r = (peak - knee) /
// (clip - knee) < 1), monotonic in between.
double roll_off(double nits, double knee, double peak, double clip) {
  if (knee <= 0 || clip <= peak) return std::min(nits, peak);
  if (nits <= knee) return nits;
  double x = std::min((nits - knee) / (clip - knee), 1.0);
  double r = (peak - knee) / (clip - knee);
  return knee + (peak - knee) * (1 - std::pow(1 - x, 1 / r));
}

}  // namespace

VirtualDisplay::VirtualDisplay(DisplayModel model, Clock& clock)
    : model_(std::move(model)), clock_(clock), created_s_(clock.now_s()) {
  check_display_model(model_, model_.name);
  const double w = model_.white_subpixel_fraction;
  Vec3 white = XYZ_from_xyY(model_.white, 1);
  Vec3 white_subpixel = XYZ_from_xyY(model_.white_subpixel_xy, 1);
  // The colour sub-pixels make up what the white sub-pixel does not: their own white point is
  // white - w * W, with luminance 1 - w.
  Vec3 rgb_white = white - w * white_subpixel;
  RgbSpace native{"native", model_.red, model_.green, model_.blue, xy_from_XYZ(rgb_white)};
  rgb_to_XYZ_ = native.rgb_to_XYZ() * (1 - w);
  if ((rgb_to_XYZ_.row(1).array() <= 0).any() || !rgb_to_XYZ_.allFinite())
    throw InputError(model_.name, 0, "white_subpixel.xy",
                     "white minus the white sub-pixel falls outside the primaries' gamut");
  white_subpixel_XYZ_ = w * white_subpixel;
  black_XYZ_unit_ = XYZ_from_xyY(model_.black_xy, 1);
  change_s_ = created_s_ - 1e9;  // black has been on "forever": settled
  start_XYZ_ = steady_XYZ(Vec3::Zero(), 100, 0);
}

void VirtualDisplay::load_lut(const Lut3d& lut) {
  check_lut3d(lut, "display LUT slot");
  lut_ = lut;
}

void VirtualDisplay::clear_lut() { lut_.reset(); }

void VirtualDisplay::load_lut1d(const Lut1d& lut) {
  check_lut1d(lut, "display 1D LUT slot");
  lut1d_ = lut;
}

void VirtualDisplay::clear_lut1d() { lut1d_.reset(); }

void VirtualDisplay::set_controls(const DisplayControls& controls) {
  if (!std::isfinite(controls.light) || !controls.gain.allFinite())
    throw ValueError("controls", "virtual display: non-finite control value");
  controls_.light = std::clamp(controls.light, 0.05, 2.0);
  controls_.gain = controls.gain.cwiseMax(0.5).cwiseMin(1.0);
}

Vec3 VirtualDisplay::drift_gain(double t) const {
  const WarmupParams& w = model_.warmup;
  if (w.tau_s <= 0) return Vec3::Ones();
  double age = w.start_age_s + (t - created_s_);
  return Vec3::Ones() + (w.initial_gain - Vec3::Ones()) * std::exp(-age / w.tau_s);
}

// Relative XYZ (peak white Y = 1) that a full-drive-normalised signal produces, before sag, ABL
// and black.
Vec3 VirtualDisplay::relative_XYZ(const Vec3& signal, const Vec3& channel_gain) const {
  Vec3 s = clamp01(signal);
  if (lut1d_) s = clamp01(apply_1d(*lut1d_, s));
  if (lut_) s = clamp01(apply_tetrahedral(*lut_, s));
  Vec3 drive;
  for (int c = 0; c < 3; ++c) {
    double v = model_.panel_bits ? quantise(s[c], model_.panel_bits) : s[c];
    if (model_.eotf == PanelEotf::Gamma) {
      drive[c] = model_.tone[c].light(v);
    } else {
      const HdrResponse& h = model_.hdr;
      double nits = pq_eotf(v) * (1 + h.error_at(v));  // SMPTE ST 2084 decode + tracking error
      nits = roll_off(std::min(nits, h.clip_nits), h.rolloff_start_nits, model_.peak_nits, h.clip_nits);
      drive[c] = model_.tone[c].light(nits / model_.peak_nits);
    }
  }
  drive = (model_.crosstalk * drive).cwiseMax(0.0).cwiseProduct(channel_gain);
  return rgb_to_XYZ_ * drive + white_subpixel_XYZ_ * drive.minCoeff();
}

Vec3 VirtualDisplay::light_at(const Vec3& signal, double window_percent, double background_signal,
                              const Vec3& channel_gain, double centre_x, double centre_y) const {
  double area = std::clamp(window_percent / 100, 1e-4, 1.0);
  const Vec3 gain = channel_gain.cwiseProduct(controls_.gain);
  Vec3 patch = relative_XYZ(signal, gain);
  double bg_Y = area < 1 ? relative_XYZ(Vec3::Constant(background_signal), gain)[1] : 0;
  double apl = std::max(area * patch[1] + (1 - area) * bg_Y, 0.0);
  double sag = 1 - model_.power_sag * std::clamp(patch[1], 0.0, 1.0);
  double abl = model_.abl.gain(apl, model_.peak_nits);
  double black = model_.black_nits + model_.black_bloom_nits * apl;
  if (model_.technology.rfind("lcd", 0) == 0) black *= controls_.light;  // leakage of the backlight
  Vec3 spatial = model_.uniformity.gain(centre_x, centre_y, model_.white);
  return controls_.light * model_.peak_nits * sag * abl * patch.cwiseProduct(spatial) + black * black_XYZ_unit_;
}

Vec3 VirtualDisplay::steady_XYZ(const Vec3& signal, double window_percent, double background_signal) const {
  return light_at(signal, window_percent, background_signal, Vec3::Ones());
}

Vec3 VirtualDisplay::steady_XYZ_at(const Vec3& signal, double window_percent, double background_signal, double centre_x,
                                   double centre_y) const {
  return light_at(signal, window_percent, background_signal, Vec3::Ones(), centre_x, centre_y);
}

Vec3 VirtualDisplay::emitted_XYZ() {
  double t = clock_.now_s();
  Vec3 target =
      light_at(shown_signal_, shown_window_, shown_background_, drift_gain(t), shown_centre_x_, shown_centre_y_);
  double settle = rising_ ? model_.settle.rise_s : model_.settle.fall_s;
  double dt = t - change_s_;
  if (settle <= 0 || dt >= settle) return target;
  double p = 1 - std::pow(1 - std::max(dt, 0.0) / settle, 4);
  return start_XYZ_ + (target - start_XYZ_) * p;
}

void VirtualDisplay::show(const Vec3& signal, double window_percent, double background_signal) {
  show_at(signal, window_percent, background_signal, 0.5, 0.5);
}

void VirtualDisplay::show_at(const Vec3& signal, double window_percent, double background_signal, double centre_x,
                             double centre_y, int repeat) {
  if (!signal.allFinite() || !std::isfinite(window_percent) || !std::isfinite(background_signal) ||
      !std::isfinite(centre_x) || !std::isfinite(centre_y))
    throw ValueError("signal", "virtual display: non-finite signal, window, background or position");
  start_XYZ_ = emitted_XYZ();
  shown_signal_ = clamp01(signal);
  shown_window_ = std::clamp(window_percent, 0.01, 100.0);
  shown_background_ = std::clamp(background_signal, 0.0, 1.0);
  shown_centre_x_ = std::clamp(centre_x, 0.0, 1.0);
  shown_centre_y_ = std::clamp(centre_y, 0.0, 1.0);
  shown_repeat_ = std::max(repeat, 0);
  change_s_ = clock_.now_s();
  Vec3 target = light_at(shown_signal_, shown_window_, shown_background_, drift_gain(change_s_), shown_centre_x_,
                         shown_centre_y_);
  rising_ = target[1] >= start_XYZ_[1];
  ++show_count_;
}

}  // namespace calkit
