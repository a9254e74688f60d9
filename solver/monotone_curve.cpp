// Monotone log-log tone curve (see tone_curve.hpp).
#include "solver/monotone_curve.hpp"

#include <algorithm>
#include <cmath>

namespace calkit {

MonotoneCurve MonotoneCurve::power(double gamma, int knots, double min_slope) {
  MonotoneCurve c;
  c.min_slope_ = min_slope;
  for (int j = 0; j < knots; ++j) {
    double t = double(j + 1) / knots;
    c.x_.push_back(t * t);
    c.u_.push_back(std::log(t * t));
  }
  c.theta_.resize(knots - 1);
  for (int j = 0; j + 1 < knots; ++j)
    c.theta_[j] = std::log(std::max(gamma - min_slope, 1e-12) * (c.u_[j + 1] - c.u_[j]));
  c.update();
  return c;
}

MonotoneCurve MonotoneCurve::with_clip(double top) const {
  MonotoneCurve c = *this;
  top = std::clamp(top, 1e-3, 1 - 1e-9);
  c.clips_ = true;
  if (clips_) c.theta_.pop_back();
  c.theta_.push_back(std::log(top / (1 - top)));
  c.update();
  return c;
}

MonotoneCurve MonotoneCurve::resampled(int knots) const {
  MonotoneCurve c = power(1, knots, min_slope_);
  std::vector<double> v(knots);
  // A curve that clips is resampled on [0, top], where its knots are, and keeps its clip.
  for (int j = 0; j < knots; ++j) v[j] = std::log(std::max(unclipped(c.x_[j], nullptr), 1e-300));
  // increment() floors at exp(-30): a flat stretch (a display past its peak) stays one.
  for (int j = 0; j + 1 < knots; ++j)
    c.theta_[j] = std::log(std::max(v[j + 1] - v[j] - min_slope_ * (c.u_[j + 1] - c.u_[j]), std::exp(-30.0)));
  c.update();
  return clips_ ? c.with_clip(top_) : c;
}

void MonotoneCurve::set_parameters(const std::vector<double>& theta) {
  theta_ = theta;
  update();
}

// exp(theta), continued as a straight line above theta = 5 (a log-log slope of ~150 over a
// segment) so a fit that overshoots there still feels a gradient back instead of a flat clamp
// that would hold the segment collapsed; floored at exp(-30).
double MonotoneCurve::increment(double theta) {
  constexpr double kBend = 5.0;
  if (theta <= kBend) return std::exp(std::max(theta, -30.0));
  return std::exp(kBend) * (1.0 + (theta - kBend));
}

void MonotoneCurve::update() {
  if (clips_) top_ = 1 / (1 + std::exp(-theta_.back()));
  int n = int(x_.size());
  v_.assign(n, 0.0);
  for (int j = n - 2; j >= 0; --j) v_[j] = v_[j + 1] - min_slope_ * (u_[j + 1] - u_[j]) - increment(theta_[j]);
  std::vector<double> secant(n - 1);
  for (int j = 0; j + 1 < n; ++j) secant[j] = (v_[j + 1] - v_[j]) / (u_[j + 1] - u_[j]);
  slope_.assign(n, 0.0);
  slope_[0] = secant[0];
  slope_[n - 1] = secant[n - 2];
  // Fritsch-Carlson: weighted harmonic mean of neighbouring secants keeps the cubic monotone.
  for (int j = 1; j + 1 < n; ++j) {
    double h0 = u_[j] - u_[j - 1], h1 = u_[j + 1] - u_[j];
    double w0 = 2 * h1 + h0, w1 = h1 + 2 * h0;
    slope_[j] = (w0 + w1) / (w0 / secant[j - 1] + w1 / secant[j]);
  }
}

double MonotoneCurve::operator()(double x) const {
  if (!(x > 0)) return 0.0;
  return value_and_derivative(x, nullptr);
}

double MonotoneCurve::value_and_derivative(double x, double* derivative) const {
  if (!clips_) return unclipped(x, derivative);
  if (x >= top_) {
    if (derivative) *derivative = 0;
    return 1.0;
  }
  double f = unclipped(x / top_, derivative);
  if (derivative) *derivative /= top_;
  return f;
}

double MonotoneCurve::unclipped(double x, double* derivative) const {
  if (!(x > 0)) {
    // f(h)/h just above 0: 0 for the usual end slope above 1.
    if (derivative) *derivative = unclipped(1e-12, nullptr) / 1e-12;
    return 0.0;
  }
  double u = std::log(x);
  int n = int(x_.size());
  double v, dv_du;
  if (u <= u_[0]) {
    v = v_[0] + slope_[0] * (u - u_[0]);
    dv_du = slope_[0];
  } else if (u >= u_[n - 1]) {
    v = v_[n - 1] + slope_[n - 1] * (u - u_[n - 1]);
    dv_du = slope_[n - 1];
  } else {
    // Knots sit at x = ((j+1)/n)², so the segment comes from sqrt(x) directly.
    int j = std::clamp(int(std::sqrt(x) * n) - 1, 0, n - 2);
    while (j > 0 && u < u_[j]) --j;
    while (j < n - 2 && u > u_[j + 1]) ++j;
    double h = u_[j + 1] - u_[j];
    double t = (u - u_[j]) / h, t2 = t * t, t3 = t2 * t;
    // Cubic Hermite basis and its t-derivative.
    v = (2 * t3 - 3 * t2 + 1) * v_[j] + (t3 - 2 * t2 + t) * h * slope_[j] + (-2 * t3 + 3 * t2) * v_[j + 1] +
        (t3 - t2) * h * slope_[j + 1];
    dv_du = ((6 * t2 - 6 * t) * (v_[j] - v_[j + 1])) / h + (3 * t2 - 4 * t + 1) * slope_[j] +
            (3 * t2 - 2 * t) * slope_[j + 1];
  }
  double f = std::exp(v);
  // f = exp(v(log x)): df/dx = f · dv/du / x.
  if (derivative) *derivative = f * dv_du / x;
  return f;
}

int MonotoneCurve::segment(double x) const {
  if (clips_) x = std::min(x / top_, 1.0);
  int n = int(x_.size());
  if (!(x >= x_[0])) return -1;
  if (x >= x_[n - 1]) return n - 1;
  // Knots sit at x = ((j+1)/n)², so the segment comes from sqrt(x) directly.
  int j = std::clamp(int(std::sqrt(x) * n) - 1, 0, n - 2);
  while (j > 0 && x < x_[j]) --j;
  while (j < n - 2 && x >= x_[j + 1]) ++j;
  return j;
}

double MonotoneCurve::inverse(double y) const { return top_ * unclipped_inverse(y); }

double MonotoneCurve::unclipped_inverse(double y) const {
  if (!(y > 0)) return 0.0;
  if (y >= 1) return 1.0;
  double v = std::log(y);
  int n = int(x_.size());
  if (v <= v_[0]) return std::exp(u_[0] + (v - v_[0]) / slope_[0]);  // the end power law
  int j = int(std::upper_bound(v_.begin(), v_.end(), v) - v_.begin()) - 1;
  j = std::clamp(j, 0, n - 2);
  // Safeguarded Newton on the segment's cubic (monotone, so the bracket [lo, hi] always holds
  // the root).
  double h = u_[j + 1] - u_[j];
  double lo = 0, hi = 1, t = (v - v_[j]) / (v_[j + 1] - v_[j]);
  for (int it = 0; it < 40; ++it) {
    double t2 = t * t, t3 = t2 * t;
    double value = (2 * t3 - 3 * t2 + 1) * v_[j] + (t3 - 2 * t2 + t) * h * slope_[j] + (-2 * t3 + 3 * t2) * v_[j + 1] +
                   (t3 - t2) * h * slope_[j + 1] - v;
    double slope = 6 * (t2 - t) * (v_[j] - v_[j + 1]) + (3 * t2 - 4 * t + 1) * h * slope_[j] +
                   (3 * t2 - 2 * t) * h * slope_[j + 1];
    (value < 0 ? lo : hi) = t;
    double next = slope > 0 ? t - value / slope : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - t) < 1e-15) break;
    t = next;
  }
  return std::exp(u_[j] + t * h);
}

std::vector<double> MonotoneCurve::slope_changes() const {
  std::vector<double> out;
  for (size_t j = 0; j + 2 < x_.size(); ++j) {
    double s0 = (v_[j + 1] - v_[j]) / (u_[j + 1] - u_[j]);
    double s1 = (v_[j + 2] - v_[j + 1]) / (u_[j + 2] - u_[j + 1]);
    out.push_back(s1 - s0);
  }
  return out;
}

double MonotoneCurve::clip_point() const {
  if (slope_.back() >= 0.05) return top_;
  return inverse(1.0 - 1e-3);
}

double MonotoneCurve::gamma_at_half() const { return std::log((*this)(0.5)) / std::log(0.5); }

}  // namespace calkit
