// Model inversion and gamut mapping (see invert.hpp).
#include "solver/invert.hpp"

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"

namespace calkit {

namespace {

constexpr double kExact = 1e-4;  // dE units: below any visible or measurable difference

Vec3 clamp01(const Vec3& v) { return v.cwiseMax(0.0).cwiseMin(1.0); }

}  // namespace

Inversion invert_model(const FittedDisplayModel& model, const Vec3& XYZ, const Vec3& start,
                       int max_iterations) {
  Inversion out;
  Vec3 goal = model.space().from_XYZ(XYZ);
  Vec3 x = clamp01(start);
  Vec3 f = model.perceptual(x) - goal;
  double cost = f.squaredNorm();
  double damping = 1e-6;
  for (int it = 0; it < max_iterations; ++it) {
    out.iterations = it + 1;
    if (cost < 1e-14) break;
    Mat3 J;
    for (int k = 0; k < 3; ++k) {
      // Forward difference, backwards at the top of the range so both stay inside 0..1.
      double h = x[k] > 0.5 ? -1e-6 : 1e-6;
      Vec3 y = x;
      y[k] += h;
      J.col(k) = (model.perceptual(y) - goal - f) / h;
    }
    Mat3 A = J.transpose() * J;
    Vec3 g = J.transpose() * f;
    bool improved = false;
    for (int attempt = 0; attempt < 10; ++attempt) {
      Mat3 a = A;
      a.diagonal() += damping * (A.diagonal().array() + 1e-12).matrix();
      Vec3 y = clamp01(x + a.ldlt().solve(-g));
      Vec3 fy = model.perceptual(y) - goal;
      double cy = fy.squaredNorm();
      if (cy < cost) {
        improved = (cost - cy) > 1e-16 * cost && (y - x).norm() > 1e-13;
        x = y;
        f = fy;
        cost = cy;
        damping = std::max(damping * 0.1, 1e-9);
        break;
      }
      damping *= 10;
    }
    if (!improved) break;
  }
  out.rgb = x;
  out.residual = std::sqrt(cost);
  out.exact = out.residual < kExact;
  return out;
}

DeviceMapper::DeviceMapper(const FittedDisplayModel& model, const Target& target)
    : model_(model), target_(target) {
  space_ = target.hdr() ? PerceptualSpace::itp()
                        : PerceptualSpace::lab(target.XYZ(Vec3::Ones()));
  neutral_range(model, target.container.white, &neutral_min_, &neutral_max_);
}

void DeviceMapper::neutral_range(const FittedDisplayModel& model, Xy white, double* min_nits,
                                 double* max_nits) {
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

bool DeviceMapper::reproducible(const Vec3& XYZ, Vec3& rgb, bool retry) const {
  if (!target_.inside_gamut_limit(XYZ)) return false;
  Inversion inv = invert_model(model_, XYZ, rgb, retry ? 40 : 20);
  if (!inv.exact && retry) {
    Inversion fresh = invert_model(model_, XYZ, model_.initial_rgb(XYZ));
    if (fresh.residual < inv.residual) inv = fresh;
  }
  if (inv.exact) rgb = inv.rgb;
  return inv.exact;
}

Vec3 DeviceMapper::neutral_at(double lightness) const {
  Xy white = target_.container.white;
  double lo = 0, hi = neutral_max_ * 2 + 1;
  for (int i = 0; i < 60; ++i) {
    double m = 0.5 * (lo + hi);
    (space_.from_XYZ(XYZ_from_xyY(white, m)).x() < lightness ? lo : hi) = m;
  }
  return space_.from_XYZ(XYZ_from_xyY(white, 0.5 * (lo + hi)));
}

// The most chroma (as a fraction of `chroma`) reproducible at one lightness and the hue of
// `chroma`, by bisection; `rgb` starts the inversions and returns the answer.
Vec3 DeviceMapper::map_at_lightness(double lightness, const Vec3& chroma, Vec3& rgb) const {
  const Vec3 hint = rgb;
  Vec3 neutral = neutral_at(lightness);
  Vec3 candidate = space_.to_XYZ(neutral + chroma);
  Vec3 trial = rgb;
  if (reproducible(candidate, trial)) {
    rgb = trial;
    return candidate;
  }
  double lo = 0, hi = 1;
  Vec3 best = space_.to_XYZ(neutral);
  Vec3 best_rgb = rgb;
  if (!reproducible(best, best_rgb)) {
    best_rgb = invert_model(model_, best, model_.initial_rgb(best)).rgb;
  }
  for (int i = 0; i < 12; ++i) {
    double m = 0.5 * (lo + hi);
    Vec3 c = space_.to_XYZ(neutral + m * chroma);
    // Box-constrained inversions near the gamut boundary can stall from one start: try two.
    Vec3 r = best_rgb;
    bool ok = reproducible(c, r, false);
    if (!ok) {
      r = hint;
      ok = reproducible(c, r, false);
    }
    if (ok) {
      lo = m;
      best = c;
      best_rgb = r;
    } else {
      hi = m;
    }
  }
  rgb = best_rgb;
  return best;
}

// Two lightnesses are tried at the colour's hue: its own (clamped to the neutrals the display
// shows) and that of the nearest colour the display can show in any hue (`nearest_rgb`, the
// box-constrained inversion). The one that ends nearer the colour wins: a saturated colour
// brighter than the display's primaries can reach keeps its chroma and loses some lightness,
// instead of fading to grey at its own lightness, and the LUT stays continuous across the
// gamut boundary.
Vec3 DeviceMapper::map(const Vec3& XYZ, Vec3& rgb, const Vec3& nearest_rgb) const {
  Xy white = target_.container.white;
  Vec3 q = space_.from_XYZ(XYZ);
  double l_min = space_.from_XYZ(XYZ_from_xyY(white, neutral_min_)).x();
  double l_max = space_.from_XYZ(XYZ_from_xyY(white, neutral_max_)).x();
  double lightness = std::clamp(q.x(), l_min, l_max);
  Vec3 chroma(0, q.y(), q.z());
  Vec3 best = map_at_lightness(lightness, chroma, rgb);
  double nearest = std::clamp(space_.from_XYZ(model_.XYZ(nearest_rgb)).x(), l_min, l_max);
  if (chroma.norm() < 1e-9 || std::abs(nearest - lightness) < 1e-6) return best;
  Vec3 other_rgb = nearest_rgb;
  Vec3 other = map_at_lightness(nearest, chroma, other_rgb);
  if ((space_.from_XYZ(other) - q).norm() < (space_.from_XYZ(best) - q).norm()) {
    rgb = other_rgb;
    return other;
  }
  return best;
}

Vec3 DeviceMapper::device_rgb(const Vec3& XYZ, const Vec3& start, bool* mapped) const {
  Inversion inv = invert_model(model_, XYZ, start);
  if (!inv.exact) {
    Inversion fresh = invert_model(model_, XYZ, model_.initial_rgb(XYZ));
    if (fresh.residual < inv.residual) inv = fresh;
  }
  if (inv.exact && target_.inside_gamut_limit(XYZ)) {
    if (mapped) *mapped = false;
    return inv.rgb;
  }
  if (mapped) *mapped = true;
  Vec3 rgb = clamp01(start);
  map(XYZ, rgb, inv.rgb);
  return rgb;
}

Vec3 DeviceMapper::mapped_XYZ(const Vec3& XYZ) const {
  Vec3 rgb = model_.initial_rgb(XYZ);
  if (reproducible(XYZ, rgb)) return XYZ;
  Vec3 nearest = invert_model(model_, XYZ, model_.initial_rgb(XYZ)).rgb;
  return map(XYZ, rgb, nearest);
}

}  // namespace calkit
