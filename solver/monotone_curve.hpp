#pragma once
// A monotone per-channel tone curve f: [0,1] -> [0,1], f(0) = 0, f(1) = 1, stored as knots in
// log-log coordinates joined by a monotone cubic (Fritsch & Carlson 1980, SIAM J. Numer. Anal.
// 17(2):238). A pure power law is a straight line there, and PQ-like or crushed-black curves stay
// smooth, so few knots suffice. Below the first knot and above 1 the end slopes extend the curve
// as power laws.
#include <vector>

namespace calkit {

class MonotoneCurve {
 public:
  static constexpr int kDefaultKnots = 24;
  static constexpr int kFineKnots = 64;  // a second density the fit also tries
  // A power law x^gamma on `knots` knots at x_j = ((j+1)/knots)², dense in the shadows. With
  // min_slope, every log-log slope of the curve stays at least that (parameters describe the
  // excess over it).
  static MonotoneCurve power(double gamma, int knots = kDefaultKnots, double min_slope = 0);
  // The same curve on [0, top] (its knots scaled by top) and 1 above: a panel whose tone mapping
  // clips hard at the signal `top` (a PQ panel at its peak in an HGIG-like mode), a corner that a
  // smooth curve on fixed knots only rings around. top becomes the last parameter, as
  // logit(top), so it stays inside (0, 1).
  MonotoneCurve with_clip(double top) const;
  // The same curve on `knots` knots (as power() places them): this curve's values there, joined
  // anew; a curve that clips keeps its clip (resampled on [0, top]).
  MonotoneCurve resampled(int knots) const;
  bool clips() const { return clips_; }

  double operator()(double x) const;  // 0 for x <= 0
  // f(x) and df/dx in one pass (the inversion's analytic Jacobian). At x <= 0 the derivative is
  // the end power law's one-sided slope just above 0.
  double value_and_derivative(double x, double* derivative) const;
  double inverse(double y) const;  // the x with f(x) = y, for y in [0, 1]; clamps outside

  // Free parameters: theta_j = log(log f(x_{j+1}) - log f(x_j) - min_slope (u_{j+1} - u_j)), so
  // any values give a strictly increasing curve with f(1) = 1; then logit(top) for a curve that
  // clips (with_clip).
  const std::vector<double>& parameters() const { return theta_; }
  void set_parameters(const std::vector<double>& theta);
  // Sum of squared changes of the log-log slope between segments (smoothness penalty terms).
  std::vector<double> slope_changes() const;
  const std::vector<double>& knots_x() const { return x_; }
  // The segment x lies in: j for [x_j, x_{j+1}), -1 below the first knot, knots - 1 at or
  // above the last (x_j scaled by top for a curve that clips); and log f at a knot. (The fit's Jacobian uses them:
  // changing parameter j moves log f at knots 0..j by the same amount and reshapes only segments j-1..j+1.)
  int segment(double x) const;
  double log_value(int knot) const { return v_[knot]; }
  // Where a display that clips at its peak stops brightening: the x with f(x) = 1 - 1e-3 when
  // the curve is flat at the top (log-log slope below 0.05 at 1), else 1. Above it every signal
  // shows the same light, so inversions that wander there are neither unique nor well-posed.
  double clip_point() const;
  // Effective gamma log f(0.5) / log 0.5, for summaries.
  double gamma_at_half() const;

 private:
  void update();
  static double increment(double theta);                 // log f increment of a segment above min_slope
  double unclipped(double t, double* derivative) const;  // the curve on its knots, t = x / top
  double unclipped_inverse(double y) const;
  std::vector<double> x_, u_, theta_, v_, slope_;  // u = log x, v = log f, slope = dv/du
  double min_slope_ = 0;
  bool clips_ = false;
  double top_ = 1;  // the clip signal (1 unless clips_)
};

}  // namespace calkit
