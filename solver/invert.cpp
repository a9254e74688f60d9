// Model inversion and gamut mapping (see invert.hpp).
#include "solver/invert.hpp"

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"

namespace calkit {
namespace {

constexpr double kExact = 1e-4;  // dE units: below any visible or measurable difference
constexpr double kDone = 1e-7;   // residual (dE) at which an inversion stops
// Colours the display cannot show go to the nearest colour it shows with differences across the
// target's hue plane (for a neutral target: both chroma axes) weighed this much more than the
// others. Of every box-constrained answer, the weighted one is at most this many times as far as
// the nearest and never further across the hue plane than it (invert.hpp). Strict hue
// preservation (a large weight) fails near a primary whose hue differs from the target
// primary's: holding the hue there costs far more chroma and lightness than the hue is worth.
constexpr double kHueWeight = 2;
// Below this chroma (dE units, about one just-noticeable difference) a target counts as neutral,
// fading in linearly from a chroma of this much to none.
constexpr double kNeutralChroma = 1.0;
// The hand-over from the nearest colour to the hue-weighted one spans the in-gamut tolerance,
// and at least this much (dE), so a tolerance of 0 still hands over continuously.
constexpr double kMinimumHandOver = 0.05;

using Variables = FittedDisplayModel::Variables;

// Levenberg-Marquardt for |W (p - goal)| inside the box of the model's signals, over the device
// signals or over the channels' linear light (FittedDisplayModel::perceptual_with_jacobian):
// `eval(rgb, &J, by)` gives the perceptual coordinates p of a signal and their Jacobian. A
// channel at a bound that the descent pushes outwards is held there and the step is solved in
// the others only (projected Gauss-Newton), so they do not creep along a clamped direction.
template <class Eval>
Inversion box_levenberg_marquardt(const FittedDisplayModel& model, const Eval& eval, const Vec3& goal, const Mat3& W,
                                  const Vec3& start, Variables by, int max_iterations) {
  const bool linear = by == Variables::LinearLight;
  const Vec3& top = linear ? model.top_linear() : model.top_signal();
  auto clamp = [&](const Vec3& v) { return Vec3(v.cwiseMax(0.0).cwiseMin(top)); };
  auto signal = [&](const Vec3& x) { return linear ? model.signal_for_linear(x) : x; };
  auto at = [&](const Vec3& x, Mat3* J) { return eval(signal(x), J, by); };
  Inversion out;
  Vec3 x = clamp(linear ? model.linear_light(model.clamp_signal(start)) : start);
  Mat3 J;
  Vec3 f = W * (at(x, &J) - goal);
  J = W * J;
  double cost = f.squaredNorm();
  double damping = 1e-6;
  for (int it = 0; it < max_iterations; ++it) {
    out.iterations = it + 1;
    if (cost < kDone * kDone) break;
    Mat3 A = J.transpose() * J;
    Vec3 g = J.transpose() * f;
    for (int c = 0; c < 3; ++c) {
      if ((x[c] <= 0 && g[c] > 0) || (x[c] >= top[c] && g[c] < 0)) {
        A.row(c).setZero();
        A.col(c).setZero();
        A(c, c) = 1;
        g[c] = 0;
      }
    }
    bool improved = false;
    for (int attempt = 0; attempt < 10; ++attempt) {
      Mat3 a = A;
      // Marquardt's scaling by the diagonal, floored so a channel the colour barely depends on
      // (a flat curve's shadows) does not take huge steps.
      a.diagonal() += damping * A.diagonal().cwiseMax(1e-6 * A.diagonal().maxCoeff() + 1e-12);
      Vec3 step = a.ldlt().solve(-g);
      if (!step.allFinite()) {  // a flat Jacobian (a channel at 0 on a steep curve)
        damping *= 10;
        continue;
      }
      Vec3 y = clamp(x + step);
      Mat3 Jy;
      Vec3 fy = W * (at(y, &Jy) - goal);
      double cy = fy.squaredNorm();
      if (cy < cost) {
        improved = (cost - cy) > 1e-16 * cost && (y - x).norm() > 1e-13;
        x = y;
        f = fy;
        J = W * Jy;
        cost = cy;
        damping = std::max(damping * 0.1, 1e-9);
        break;
      }
      damping *= 10;
    }
    if (!improved) break;
  }
  out.rgb = signal(x);
  out.residual = std::sqrt(cost);
  out.exact = out.residual < kExact;
  return out;
}

// In linear light first (where the base model is linear, so channels at 0 on a flat curve move),
// then, when that did not reproduce the colour, by signal (where terms that follow the signal are
// smooth, so steps across their shadows succeed) from there with every channel that gives no
// visible light (below 1e-6 of its peak: on a PQ-like curve that can be a signal of 0.1) at 0.
template <class Eval>
Inversion invert_in_box(const FittedDisplayModel& model, const Eval& eval, const Vec3& goal, const Mat3& W,
                        const Vec3& start, int max_iterations) {
  Inversion out = box_levenberg_marquardt(model, eval, goal, W, start, Variables::LinearLight, max_iterations);
  if (out.exact) return out;
  Vec3 from = out.rgb, light = model.linear_light(out.rgb);
  for (int c = 0; c < 3; ++c)
    if (light[c] < 1e-6 * model.top_linear()[c]) from[c] = 0;
  Inversion polished = box_levenberg_marquardt(model, eval, goal, W, from, Variables::Signal, max_iterations);
  return polished.residual < out.residual ? polished : out;
}

bool same_space(const PerceptualSpace& a, const PerceptualSpace& b) {
  if (a.kind() != b.kind()) return false;
  return a.kind() == PerceptualSpace::Kind::Itp || (a.white_XYZ() - b.white_XYZ()).norm() == 0;
}

}  // namespace

Inversion invert_model(const FittedDisplayModel& model, const Vec3& XYZ, const Vec3& start, int max_iterations) {
  auto eval = [&](const Vec3& rgb, Mat3* J, Variables by) { return model.perceptual_with_jacobian(rgb, J, by); };
  return invert_in_box(model, eval, model.space().from_XYZ(XYZ), Mat3::Identity(), start, max_iterations);
}

DeviceMapper::DeviceMapper(const FittedDisplayModel& model, const Target& target, double in_gamut_tolerance)
    : model_(model), target_(target), tolerance_(std::max(in_gamut_tolerance, 0.0)) {
  space_ = target.hdr() ? PerceptualSpace::itp() : PerceptualSpace::lab(target.XYZ(Vec3::Ones()));
  model_space_ = same_space(space_, model.space());
  limit_from_XYZ_ = target.gamut.XYZ_to_rgb();
}

void DeviceMapper::neutral_range(const FittedDisplayModel& model, Xy white, double* min_nits, double* max_nits) {
  auto ok = [&](double Y) {
    Vec3 XYZ = XYZ_from_xyY(white, Y);
    return invert_model(model, XYZ, model.initial_rgb(XYZ)).exact;
  };
  double top = model.XYZ(Vec3::Ones()).y() * 1.5;
  double black = std::max(model.XYZ(Vec3::Zero()).y(), 0.0);
  // A mid neutral should be reproducible on any display worth calibrating; search out from it.
  double mid = black + 0.2 * (top / 1.5 - black);
  if (!ok(mid)) mid = black + 0.05 * (top / 1.5 - black);
  double lo = mid, hi = top;
  for (int i = 0; i < 40; ++i) {
    double m = 0.5 * (lo + hi);
    (ok(m) ? lo : hi) = m;
  }
  *max_nits = lo;
  lo = 0;
  hi = mid;
  for (int i = 0; i < 40; ++i) {
    double m = 0.5 * (lo + hi);
    (ok(m) ? hi : lo) = m;
  }
  *min_nits = hi;
}

// The model's colour in the mapping space: its own space, or (SDR: CIELAB of the display's
// white there, of the target's white here) through XYZ by the chain rule.
Vec3 DeviceMapper::perceptual_with_jacobian(const Vec3& rgb, Mat3* J, FittedDisplayModel::Variables by) const {
  if (model_space_) return model_.perceptual_with_jacobian(rgb, J, by);
  Mat3 J_model, model_from_XYZ, here_from_XYZ;
  Vec3 p = model_.perceptual_with_jacobian(rgb, &J_model, by);
  Vec3 XYZ = model_.space().to_XYZ(p);
  model_.space().from_XYZ_with_jacobian(XYZ, &model_from_XYZ);
  Vec3 q = space_.from_XYZ_with_jacobian(XYZ, &here_from_XYZ);
  *J = here_from_XYZ * model_from_XYZ.inverse() * J_model;
  return q;
}

Inversion DeviceMapper::invert(const Vec3& goal, const Mat3& weight, const Vec3& start, int max_iterations) const {
  auto eval = [&](const Vec3& rgb, Mat3* J, Variables by) { return perceptual_with_jacobian(rgb, J, by); };
  return invert_in_box(model_, eval, goal, weight, start, max_iterations);
}

// Desaturation in linear light towards the white of the same luminance keeps luminance and
// dominant wavelength; it stops where the last negative channel of the limit's RGB reaches 0.
Vec3 DeviceMapper::limited(const Vec3& XYZ) const {
  if (target_.inside_gamut_limit(XYZ)) return XYZ;
  Vec3 rgb = limit_from_XYZ_ * XYZ;
  double Y = XYZ.y(), lowest = rgb.minCoeff();
  if (!(Y > 0)) return Vec3::Zero();
  double t = -lowest / (Y - lowest);
  return (1 - t) * XYZ + t * XYZ_from_xyY(target_.gamut.white, Y);
}

// The nearest colour the display shows: from a neighbour's answer, else afresh.
Inversion DeviceMapper::nearest(const Vec3& goal, const Vec3& XYZ, const Vec3& start) const {
  Inversion out = invert(goal, Mat3::Identity(), start, 40);
  if (!out.exact) {
    Inversion fresh = invert(goal, Mat3::Identity(), model_.initial_rgb(XYZ), 40);
    if (fresh.residual < out.residual) out = fresh;
  }
  return out;
}

bool DeviceMapper::shows(const Vec3& XYZ) const {
  if (!target_.inside_gamut_limit(XYZ)) return false;
  return nearest(space_.from_XYZ(XYZ), XYZ, model_.initial_rgb(XYZ)).residual <= tolerance_;
}

Vec3 DeviceMapper::device_rgb(const Vec3& XYZ, const Vec3& start, bool* mapped) const {
  Vec3 wanted = limited(XYZ);
  Vec3 goal = space_.from_XYZ(wanted);
  Inversion nearest = this->nearest(goal, wanted, start);
  if (mapped) *mapped = nearest.residual > kExact || (wanted - XYZ).norm() > 1e-12 * XYZ.norm();
  if (nearest.residual <= tolerance_) return nearest.rgb;

  // The nearest colour with hue errors weighed up, weighed in from the tolerance to twice it
  // (smoothstep).
  double s = std::clamp((nearest.residual - tolerance_) / std::max(tolerance_, kMinimumHandOver), 0.0, 1.0);
  double w = s * s * (3 - 2 * s);
  double chroma = std::hypot(goal.y(), goal.z());
  Vec3 along = chroma > 0 ? Vec3(0, goal.y() / chroma, goal.z() / chroma) : Vec3(0, 1, 0);
  Vec3 across(0, -along.z(), along.y());
  double neutral = std::max(0.0, 1 - chroma / kNeutralChroma);
  Mat3 weight;
  weight.row(0) = Vec3(1, 0, 0).transpose();
  weight.row(1) = (1 + w * neutral * (kHueWeight - 1)) * along.transpose();
  weight.row(2) = (1 + w * (kHueWeight - 1)) * across.transpose();
  return invert(goal, weight, nearest.rgb, 60).rgb;
}

Vec3 DeviceMapper::mapped_XYZ(const Vec3& XYZ) const { return model_.XYZ(device_rgb(XYZ, model_.initial_rgb(XYZ))); }

}  // namespace calkit
