// The bias test: a chi-square test of the fit's residuals against the meter's noise (Bevington &
// Robinson 2003, "Data Reduction and Error Analysis for the Physical Sciences", 11.1), per group of
// readings, with the lag-1 correlation along the greyscale and each channel's ramp.
#include "solver/bias_test.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/core.h>

namespace calkit {

// Wilson & Hilferty 1931, Proc. Natl. Acad. Sci. 17(12):684.
double reduced_chi2_quantile(double k, double z) {
  double a = 2 / (9 * k);
  return std::pow(std::max(1 - a + z * std::sqrt(a), 0.0), 3);
}

namespace {

const char* const kComponent[3] = {"X", "Y", "Z"};

struct GroupSpec {
  const char* name;
  std::vector<int> members;
  std::vector<double> level;  // the order for the correlation (empty: unordered)
};

// The groups a bias shows up in. Near black and high load by the model's luminance (below 1 %
// and above 50 % of its white); greys by equal signals; a channel where the other two are below a
// tenth of it; saturated where the smallest signal is below a fifth of the largest, above black.
std::vector<GroupSpec> group_readings(const FittedDisplayModel& model, const std::vector<Reading>& readings) {
  double white_Y = model.XYZ(Vec3::Ones()).y();
  std::vector<GroupSpec> g = {{"near black", {}, {}}, {"greys", {}, {}},     {"red", {}, {}},      {"green", {}, {}},
                              {"blue", {}, {}},       {"saturated", {}, {}}, {"high load", {}, {}}};
  for (int i = 0; i < int(readings.size()); ++i) {
    const Vec3& rgb = readings[i].rgb;
    double Y = model.XYZ(rgb).y();
    bool dark = Y < 0.01 * white_Y;
    if (dark) g[0].members.push_back(i);
    if (rgb.maxCoeff() - rgb.minCoeff() <= 1e-3) {
      g[1].members.push_back(i);
      g[1].level.push_back(rgb.mean());
    }
    for (int c = 0; c < 3; ++c) {
      double others = std::max(rgb[(c + 1) % 3], rgb[(c + 2) % 3]);
      if (rgb[c] > 0 && others <= 0.1 * rgb[c]) {
        g[2 + c].members.push_back(i);
        g[2 + c].level.push_back(rgb[c]);
      }
    }
    if (!dark && rgb.minCoeff() <= 0.2 * rgb.maxCoeff()) g[5].members.push_back(i);
    if (Y >= 0.5 * white_Y) g[6].members.push_back(i);
  }
  return g;
}

ResidualGroup judge(const GroupSpec& spec, const std::vector<Vec3>& z, double dof_scale) {
  ResidualGroup out;
  out.name = spec.name;
  out.readings = int(spec.members.size());
  const int n = out.readings;
  if (n == 0) return out;
  double sum_squares = 0;
  Vec3 sum = Vec3::Zero();
  for (int i : spec.members) {
    sum_squares += z[i].squaredNorm();
    sum += z[i];
  }
  out.chi2 = sum_squares / (3.0 * n) * dof_scale;
  out.chi2_limit = reduced_chi2_quantile(3.0 * n, kLimitSigma);
  Vec3 t = sum / std::sqrt(double(n));
  int worst = 0;
  for (int c = 1; c < 3; ++c)
    if (std::abs(t[c]) > std::abs(t[worst])) worst = c;
  out.offset = t[worst];
  out.offset_component = kComponent[worst];
  std::vector<std::string> why;
  if (out.chi2 > out.chi2_limit) why.push_back(fmt::format("chi-square {:.2f} > {:.2f}", out.chi2, out.chi2_limit));
  // A mean needs a few readings to mean anything (the t of 3 readings is not normal enough).
  if (n >= 5 && std::abs(out.offset) > kLimitSigma)
    why.push_back(fmt::format("the model's {} too {} by {:.1f} sigma", out.offset_component,
                              out.offset > 0 ? "low" : "high", std::abs(out.offset)));
  if (!spec.level.empty() && n >= 8) {
    out.ordered = true;
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return spec.level[a] < spec.level[b]; });
    double lag = 0, all = 0;
    for (int k = 0; k < n; ++k) {
      const Vec3& here = z[spec.members[order[k]]];
      all += here.squaredNorm();
      if (k + 1 < n) lag += here.dot(z[spec.members[order[k + 1]]]);
    }
    out.correlation = all > 0 ? lag / all * std::sqrt(3.0 * (n - 1)) : 0;
    if (out.correlation > kLimitSigma)
      why.push_back(fmt::format("correlated along the level ({:.1f} sigma)", out.correlation));
  }
  for (size_t k = 0; k < why.size(); ++k) out.why += (k ? ", " : "") + why[k];
  out.biased = !why.empty();
  return out;
}

}  // namespace

BiasTest bias_test(const FittedDisplayModel& model, const std::vector<Reading>& readings, const FitReport& fit,
                   const NoiseModel& assumed) {
  BiasTest out;
  const int m = int(readings.size());
  out.readings = m;
  std::vector<Vec3> sigma = reading_sigmas(readings, assumed, &out.noise);
  std::vector<Vec3> z(m);
  double sum_squares = 0;
  for (int i = 0; i < m; ++i) {
    // measured - model: a positive mean is a model that predicts too little light.
    z[i] = (readings[i].XYZ - model.XYZ(readings[i].rgb)).cwiseQuotient(sigma[i]);
    sum_squares += z[i].squaredNorm();
  }
  out.effective_parameters = fit.base_effective_parameters + fit.correction.effective_parameters;
  out.degrees_of_freedom = std::max(3.0 * m - out.effective_parameters, 1.0);
  out.chi2 = sum_squares / out.degrees_of_freedom;
  out.chi2_low = reduced_chi2_quantile(out.degrees_of_freedom, -kLimitSigma);
  out.chi2_high = reduced_chi2_quantile(out.degrees_of_freedom, kLimitSigma);
  double dof_scale = 3.0 * m / out.degrees_of_freedom;
  for (const GroupSpec& spec : group_readings(model, readings)) out.groups.push_back(judge(spec, z, dof_scale));
  out.passed = out.chi2 <= out.chi2_high;
  for (const ResidualGroup& g : out.groups) out.passed = out.passed && !g.biased;
  return out;
}

std::string BiasTest::where() const {
  std::string out;
  for (const ResidualGroup& g : groups)
    if (g.biased) out += (out.empty() ? "" : ", ") + g.name;
  if (out.empty() && chi2 > chi2_high) out = "spread over every kind of reading";
  return out;
}

std::string BiasTest::verdict() const {
  std::string head = fmt::format(
      "reduced chi-square {:.2f} of {} readings (noise alone: {:.2f} to {:.2f}, {:.0f} degrees of freedom; noise {})",
      chi2, readings, chi2_low, chi2_high, degrees_of_freedom, noise);
  if (passed) return "no bias: " + head;
  std::string detail;
  for (const ResidualGroup& g : groups)
    if (g.biased) detail += fmt::format("; {} ({} readings): {}", g.name, g.readings, g.why);
  return "bias: the model misses something systematic, " + where() + ": " + head + detail;
}

}  // namespace calkit
