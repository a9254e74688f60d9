// Model inversion and gamut mapping (see invert.hpp).
#include "solver/invert.hpp"

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"

namespace calkit {
namespace {

constexpr double kExact = 1e-4;  // dE units: below any visible or measurable difference
constexpr double kDone = 1e-7;   // residual (dE) at which an inversion stops

}  // namespace

Inversion invert_model(const FittedDisplayModel& model, const Vec3& XYZ, const Vec3& start,
                       int max_iterations) {
  Inversion out;
  Vec3 goal = model.space().from_XYZ(XYZ);
  Vec3 x = model.clamp_signal(start);
  const Vec3& top = model.top_signal();
  Mat3 J;
  Vec3 f = model.perceptual_with_jacobian(x, &J) - goal;
  double cost = f.squaredNorm();
  double damping = 1e-6;
  for (int it = 0; it < max_iterations; ++it) {
    out.iterations = it + 1;
    if (cost < kDone * kDone) break;
    Mat3 A = J.transpose() * J;
    Vec3 g = J.transpose() * f;
    // A channel at a bound that the descent pushes outwards stays there: the step is solved in
    // the others only (projected Gauss-Newton), so they do not creep along a clamped direction.
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
      a.diagonal() += damping * (A.diagonal().array() + 1e-12).matrix();
      Vec3 step = a.ldlt().solve(-g);
      if (!step.allFinite()) {  // a flat Jacobian (a channel at 0 on a steep curve)
        damping *= 10;
        continue;
      }
      Vec3 y = model.clamp_signal(x + step);
      Mat3 Jy;
      Vec3 fy = model.perceptual_with_jacobian(y, &Jy) - goal;
      double cy = fy.squaredNorm();
      if (cy < cost) {
        improved = (cost - cy) > 1e-16 * cost && (y - x).norm() > 1e-13;
        x = y;
        f = fy;
        J = Jy;
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

// Newton on the gamut boundary. `rgb` is where a box-constrained inversion of a colour on the
// ray neutral + m·chroma stopped, with one channel at (or, on a steep curve near 0, creeping
// towards) its bound. Holding that channel there, the other two and m are three unknowns for
// three equations. If a free channel reaches its own bound on the way, the ray meets that face
// first and it is held instead. Returns false when this does not converge.
bool DeviceMapper::boundary_newton(const Vec3& neutral, const Vec3& chroma, Vec3& rgb,
                                   double& m) const {
  constexpr double kNearBound = 1e-4;
  const Vec3& top = model_.top_signal();
  // The ray is straight in the mapper's space; the model works in its own (Lab of the display's
  // white rather than the target's, for SDR).
  auto on_ray = [&](double at) {
    return model_.space().from_XYZ(space_.to_XYZ(neutral + at * chroma));
  };
  Vec3 x = rgb;
  int held = -1;
  double nearest = kNearBound;
  for (int c = 0; c < 3; ++c) {
    double gap = std::min(x[c], top[c] - x[c]);
    if (gap < nearest) nearest = gap, held = c;
  }
  for (int attempt = 0; attempt < 3 && held >= 0; ++attempt) {
    x[held] = x[held] < 0.5 * top[held] ? 0.0 : top[held];
    bool converged = false;
    for (int it = 0; it < 30 && !converged; ++it) {
      Mat3 J;
      Vec3 goal = on_ray(m);
      Vec3 f = model_.perceptual_with_jacobian(x, &J) - goal;
      converged = f.norm() < 0.1 * kExact;
      if (converged) break;
      J.col(held) = -(on_ray(m + 1e-6) - goal) / 1e-6;  // the held channel's column carries m
      Vec3 step = J.partialPivLu().solve(-f);
      if (!step.allFinite()) return false;
      m += step[held];
      step[held] = 0;
      x = model_.clamp_signal(x + step);
    }
    int pinned = -1;
    for (int c = 0; c < 3; ++c)
      if (c != held && (x[c] <= 0 || x[c] >= top[c])) pinned = c;
    if (converged && pinned < 0) {
      rgb = x;
      return true;
    }
    if (pinned < 0) return false;
    held = pinned;
  }
  return false;
}

// The most chroma (as a fraction m of `chroma`) reproducible at one lightness and the hue of
// `chroma`; `rgb` starts the inversions and returns the answer. The model's inverse along the
// ray is a smooth path from the neutral: it is followed in quarters of m until an inversion no
// longer fits inside the box, then the exit is found by Newton on the boundary, or by bisection
// where that does not converge (folds of the gamut near black).
Vec3 DeviceMapper::map_at_lightness(double lightness, const Vec3& chroma, Vec3& rgb) const {
  Vec3 neutral = neutral_at(lightness);
  auto on_ray = [&](double m) { return space_.to_XYZ(neutral + m * chroma); };
  Vec3 inside_rgb = rgb;
  if (!reproducible(on_ray(0), inside_rgb))
    inside_rgb = invert_model(model_, on_ray(0), model_.initial_rgb(on_ray(0))).rgb;
  double inside = 0, outside = 1;
  Vec3 stopped = inside_rgb;
  for (double m = 0.25; m <= 1.0; m += 0.25) {
    Inversion inv = invert_model(model_, on_ray(m), inside_rgb, 20);
    if (!inv.exact || !target_.inside_gamut_limit(on_ray(m))) {
      outside = m;
      stopped = inv.rgb;
      break;
    }
    inside = m;
    inside_rgb = inv.rgb;
  }
  if (inside >= 1) {
    rgb = inside_rgb;
    return on_ray(1);
  }
  double m = 0.5 * (inside + outside);
  if (boundary_newton(neutral, chroma, stopped, m) && m >= inside - 0.01 && m <= outside &&
      target_.inside_gamut_limit(on_ray(m))) {
    // Newton may land a hair before the last reproducible step: that step is the answer then.
    if (m < inside) m = inside, stopped = inside_rgb;
    rgb = stopped;
    return on_ray(m);
  }
  // Bisection to 0.02 dE of chroma, well below what a probe resolves.
  while ((outside - inside) * chroma.norm() > 0.02) {
    double mid = 0.5 * (inside + outside);
    Vec3 r = inside_rgb;
    if (reproducible(on_ray(mid), r, false)) {
      inside = mid;
      inside_rgb = r;
    } else {
      outside = mid;
    }
  }
  rgb = inside_rgb;
  return on_ray(inside);
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
  Vec3 rgb = model_.clamp_signal(start);
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
