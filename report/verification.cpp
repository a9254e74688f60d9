#include "report/verification.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/core.h>

#include "color/cct.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace calkit {

namespace {

constexpr double kSameLevel = 1e-9;

bool near(double a, double b) { return std::abs(a - b) <= kSameLevel; }

// Signals in a patch set are often written with a few decimals; anything closer than this to
// 1 or 0 is white or black.
bool is_level(double value, double level) { return std::abs(value - level) <= 1e-6; }

std::string info_value(const MeasurementSet& set, const char* key) {
  auto it = set.info.find(key);
  return it == set.info.end() ? std::string() : it->second;
}

void fill_empty(std::string& field, const std::string& value) {
  if (field.empty()) field = value;
}

VerificationInfo complete_info(VerificationInfo info, const MeasurementSet& set) {
  fill_empty(info.label, info_value(set, "label"));
  fill_empty(info.display, info_value(set, "display"));
  fill_empty(info.probe, info_value(set, "probe"));
  fill_empty(info.correction, info_value(set, "correction"));
  fill_empty(info.target, info_value(set, "target"));
  fill_empty(info.lut_file, info_value(set, "lut_file"));
  fill_empty(info.date, info_value(set, "date"));
  fill_empty(info.date, utc_now());
  fill_empty(info.calkit_version, CALKIT_VERSION);
  return info;
}

std::vector<double> pick(const std::vector<VerificationPatch>& patches, const std::vector<int>& indices,
                         double VerificationPatch::*field) {
  std::vector<double> out;
  out.reserve(indices.size());
  for (int i : indices) out.push_back(patches[i].*field);
  return out;
}

// de_stats over a subset, with max_index mapped back to the patch list.
DeStats subset_stats(const std::vector<VerificationPatch>& patches, const std::vector<int>& indices,
                     double VerificationPatch::*field) {
  DeStats stats = de_stats(pick(patches, indices, field));
  if (stats.max_index >= 0) stats.max_index = indices[stats.max_index];
  return stats;
}

Summary summarise(const std::vector<VerificationPatch>& patches, bool extra_metrics) {
  Summary summary;
  std::vector<int> all;
  for (int i = 0; i < static_cast<int>(patches.size()); ++i)
    if (patches[i].judged) all.push_back(i);
  summary.not_judged = static_cast<int>(patches.size() - all.size());
  summary.de2000 = subset_stats(patches, all, &VerificationPatch::de2000);
  summary.de_itp = subset_stats(patches, all, &VerificationPatch::de_itp);
  if (extra_metrics) {
    summary.de76 = subset_stats(patches, all, &VerificationPatch::de76);
    summary.de94 = subset_stats(patches, all, &VerificationPatch::de94);
  }
  std::vector<std::string> order;
  std::map<std::string, std::vector<int>> members;
  for (int i : all) {
    auto& list = members[patches[i].group];
    if (list.empty()) order.push_back(patches[i].group);
    list.push_back(i);
  }
  for (const auto& group : order) {
    summary.groups.push_back({group, subset_stats(patches, members[group], &VerificationPatch::de2000),
                              subset_stats(patches, members[group], &VerificationPatch::de_itp)});
  }
  return summary;
}

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return kNotMeasured;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

void analyse_white_and_black(GreyscaleAnalysis& grey, const std::vector<VerificationPatch>& patches) {
  for (const auto& step : grey.steps) {
    const auto& patch = patches[step.patch];
    if (is_level(step.signal, 1.0)) {
      grey.white_nits = patch.measured_XYZ.y();
      grey.target_white_nits = patch.target_XYZ.y();
      if (grey.target_white_nits > 0) grey.white_error_pct = 100.0 * (grey.white_nits / grey.target_white_nits - 1.0);
      if (grey.white_nits > 0) {
        grey.white_xy = xy_from_XYZ(patch.measured_XYZ);
        grey.target_white_xy = xy_from_XYZ(patch.target_XYZ);
        grey.white_delta_xy =
            std::hypot(grey.white_xy.x - grey.target_white_xy.x, grey.white_xy.y - grey.target_white_xy.y);
        Uv m = uv_prime_from_xy(grey.white_xy), t = uv_prime_from_xy(grey.target_white_xy);
        grey.white_delta_uv = std::hypot(m.u - t.u, m.v - t.v);
        grey.white_cct = step.cct;
        grey.white_duv = step.duv;
      }
    }
    if (is_level(step.signal, 0.0)) {
      grey.black_nits = patch.measured_XYZ.y();
      grey.target_black_nits = patch.target_XYZ.y();
    }
  }
  if (grey.white_nits > 0 && grey.black_nits > 0) grey.contrast = grey.white_nits / grey.black_nits;
}

// The highest greyscale step whose luminance is still within `tolerance` of the absolute PQ
// EOTF (SMPTE ST 2084), below the first step that falls short of it. Steps under 5 cd/m² are
// left out: there a probe's noise floor is a large fraction of the reading.
void find_rolloff(GreyscaleAnalysis& grey, double tolerance) {
  const GreyStep* last_on_curve = nullptr;
  for (const auto& step : grey.steps) {
    double pq = pq_eotf(step.signal);
    if (pq < 5.0) continue;
    if (step.measured_nits < (1.0 - tolerance) * pq) {
      if (last_on_curve) {
        grey.rolloff_signal = last_on_curve->signal;
        grey.rolloff_nits = last_on_curve->measured_nits;
      }
      return;
    }
    last_on_curve = &step;
  }
}

GreyscaleAnalysis analyse_greyscale(const std::vector<VerificationPatch>& patches, const TargetDescription& target,
                                    const VerificationOptions& options) {
  GreyscaleAnalysis grey;
  grey.window_pct = options.window_pct;
  std::vector<int> indices;
  for (int i = 0; i < static_cast<int>(patches.size()); ++i)
    if (patches[i].group == "greyscale") indices.push_back(i);
  // One step per signal level: the first reading of a repeated level stands for it.
  std::stable_sort(indices.begin(), indices.end(),
                   [&](int a, int b) { return patches[a].signal.x() < patches[b].signal.x(); });
  indices.erase(std::unique(indices.begin(), indices.end(),
                            [&](int a, int b) { return near(patches[a].signal.x(), patches[b].signal.x()); }),
                indices.end());

  RgbSpace space{target.name, target.red, target.green, target.blue, target.white};
  Mat3 to_rgb = space.XYZ_to_rgb();
  for (int i : indices) {
    const auto& patch = patches[i];
    GreyStep step;
    step.patch = i;
    step.signal = patch.signal.x();
    step.target_nits = patch.target_XYZ.y();
    step.measured_nits = patch.measured_XYZ.y();
    step.luminance_error_pct =
        step.target_nits > 0 ? 100.0 * (step.measured_nits / step.target_nits - 1.0) : kNotMeasured;
    step.rgb_balance = rgb_balance(to_rgb, patch.target_XYZ, patch.measured_XYZ);
    if (step.measured_nits > 0) {
      // A black at the probe's noise floor can have any xy: outside the CCT table it has no CCT.
      try {
        Xy xy = xy_from_XYZ(patch.measured_XYZ);
        step.cct = cct_ohno2013(xy).cct;
        step.duv = duv_ohno2014(xy);
      } catch (const InputError&) {
        step.cct = step.duv = kNotMeasured;
      }
    }
    step.de2000 = patch.de2000;
    step.de_itp = patch.de_itp;
    grey.steps.push_back(step);
  }
  analyse_white_and_black(grey, patches);

  std::vector<double> gammas, tracking;
  if (!target.hdr) {
    for (auto& step : grey.steps) {
      if (grey.target_white_nits > 0)
        step.target_gamma = point_gamma(step.signal, step.target_nits / grey.target_white_nits);
      if (grey.white_nits > 0) step.measured_gamma = point_gamma(step.signal, step.measured_nits / grey.white_nits);
      if (step.signal >= 0.1 - kSignalTolerance && step.signal <= 0.9 + kSignalTolerance &&
          std::isfinite(step.measured_gamma))
        gammas.push_back(step.measured_gamma);
      if (step.signal > 0 && std::isfinite(step.luminance_error_pct))
        tracking.push_back(std::abs(step.luminance_error_pct));
    }
    grey.mean_gamma = mean_of(gammas);
  } else {
    for (const auto& step : grey.steps)
      grey.peak_nits =
          std::isfinite(grey.peak_nits) ? std::max(grey.peak_nits, step.measured_nits) : step.measured_nits;
    grey.tracked_to_nits = grey.peak_nits;
    for (const auto& step : grey.steps)
      if (step.signal > 0 && step.target_nits <= grey.peak_nits && std::isfinite(step.luminance_error_pct))
        tracking.push_back(std::abs(step.luminance_error_pct));
    if (target.eotf == "PQ") find_rolloff(grey, options.rolloff_tolerance);
  }
  grey.mean_abs_luminance_error_pct = mean_of(tracking);
  return grey;
}

// One criterion over some patches: the largest (or the mean) of a dE and its noise band.
struct Criterion {
  const char* name;
  double value = 0, band = 0, limit = 0;
  bool missed = false, marginal = false;  // beyond the noise / within it
};

// max over patches: missed when a patch is over the limit by more than its band, met when every
// patch is under it by more than its band.
Criterion max_criterion(const char* name, const std::vector<const VerificationPatch*>& patches,
                        double VerificationPatch::*de, double VerificationPatch::*noise, double limit) {
  Criterion c{name, kNotMeasured, 0, limit};
  bool all_clear = true;
  for (const VerificationPatch* p : patches) {
    const double band = kNoiseBand * p->*noise;
    if (!(p->*de <= c.value)) c.value = p->*de, c.band = band;
    c.missed = c.missed || p->*de - band > limit;
    all_clear = all_clear && p->*de + band <= limit;
  }
  c.marginal = !c.missed && !all_clear;
  return c;
}

// mean over patches: its noise is the patches' noise added in quadrature over their number.
Criterion mean_criterion(const char* name, const std::vector<const VerificationPatch*>& patches,
                         double VerificationPatch::*de, double VerificationPatch::*noise, double limit) {
  Criterion c{name, 0, 0, limit};
  double variance = 0;
  for (const VerificationPatch* p : patches) {
    c.value += p->*de / static_cast<double>(patches.size());
    variance += p->*noise * p->*noise;
  }
  c.band = kNoiseBand * std::sqrt(variance) / static_cast<double>(patches.size());
  c.missed = c.value - c.band > limit;
  c.marginal = !c.missed && c.value + c.band > limit;
  return c;
}

std::string describe_criterion(const Criterion& c) {
  std::string text = fmt::format("{} {:.2f} {} {:.2f}", c.name, c.value, c.value <= c.limit ? "≤" : ">", c.limit);
  if (c.marginal) text += fmt::format(" (±{:.2f} noise)", c.band);
  return text;
}

}  // namespace

Vec3 rgb_balance(const Mat3& XYZ_to_rgb, const Vec3& reference, const Vec3& measured) {
  if (!(reference.y() > 0) || !(measured.y() > 0)) return Vec3::Constant(kNotMeasured);
  Vec3 r = XYZ_to_rgb * (reference / reference.y());
  Vec3 m = XYZ_to_rgb * (measured / measured.y());
  return 100.0 * m.cwiseQuotient(r);
}

// A limit that is not set (NaN: off, or a file from before it existed) is shown, not judged; a
// value that is NaN fails.
std::string verdict_criterion(const char* name, double value, double limit, bool& pass) {
  if (!std::isfinite(limit)) return fmt::format("{} {:.2f}", name, value);
  bool ok = value <= limit;
  pass = pass && ok;
  return fmt::format("{} {:.2f} {} {:.2f}", name, value, ok ? "≤" : ">", limit);
}

std::string classify_patch(const Vec3& signal) {
  double r = signal.x(), g = signal.y(), b = signal.z();
  if (near(r, g) && near(g, b)) return "greyscale";
  int on = 0;
  double level = 0;
  bool equal = true;
  for (double c : {r, g, b}) {
    if (near(c, 0)) continue;
    if (on > 0 && !near(c, level)) equal = false;
    level = c;
    ++on;
  }
  if (on == 1) return "primaries";
  if (on == 2 && equal) return "secondaries";
  return "colors";
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return kNotMeasured;
  std::sort(values.begin(), values.end());
  double h = (static_cast<double>(values.size()) - 1.0) * std::clamp(p, 0.0, 100.0) / 100.0;
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

DeStats de_stats(const std::vector<double>& values) {
  DeStats stats;
  stats.count = static_cast<int>(values.size());
  if (values.empty()) return stats;
  stats.mean = mean_of(values);
  stats.median = percentile(values, 50);
  stats.p95 = percentile(values, 95);
  auto worst = std::max_element(values.begin(), values.end());
  stats.max = *worst;
  stats.max_index = static_cast<int>(worst - values.begin());
  return stats;
}

double point_gamma(double signal, double luminance_ratio) {
  if (!(signal > 0 && signal < 1) || !(luminance_ratio > 0)) return kNotMeasured;
  return std::log(luminance_ratio) / std::log(signal);
}

std::string verdict_word(const Verdict& verdict) {
  return !verdict.pass ? "FAIL" : verdict.marginal ? "PASS (marginal)" : "PASS";
}

double noise_de(const Vec3& measured, const Vec3& sigma, const std::function<double(const Vec3&, const Vec3&)>& de) {
  double sum = 0;
  for (int c = 0; c < 3; ++c) {
    if (!(sigma[c] > 0)) continue;
    Vec3 moved = measured;
    moved[c] += sigma[c];
    const double d = de(measured, moved);
    sum += d * d;
  }
  return std::sqrt(sum);
}

Verdict judge(const VerificationResult& result) {
  const auto& t = result.thresholds;
  std::vector<const VerificationPatch*> judged, greys;
  for (const auto& p : result.patches) {
    if (!p.judged) continue;
    judged.push_back(&p);
    if (p.group == "greyscale") greys.push_back(&p);
  }
  using P = VerificationPatch;
  std::vector<Criterion> criteria;
  if (result.target.hdr) {
    criteria.push_back(mean_criterion("mean dE ITP", judged, &P::de_itp, &P::de_itp_noise, t.mean_de_itp));
    // A percentile has no single patch's noise: judged as it is.
    criteria.push_back(Criterion{"p95 dE ITP", result.summary.de_itp.p95, 0, t.p95_de_itp,
                                 !(result.summary.de_itp.p95 <= t.p95_de_itp), false});
    criteria.push_back(max_criterion("max dE ITP", judged, &P::de_itp, &P::de_itp_noise, t.max_de_itp));
  } else {
    criteria.push_back(mean_criterion("mean dE2000", judged, &P::de2000, &P::de2000_noise, t.mean_de2000));
    criteria.push_back(max_criterion("max dE2000", judged, &P::de2000, &P::de2000_noise, t.max_de2000));
    if (!greys.empty())
      criteria.push_back(
          max_criterion("greyscale max dE2000", greys, &P::de2000, &P::de2000_noise, t.greyscale_max_de2000));
  }
  Verdict verdict;
  verdict.pass = !judged.empty();  // every patch outside the display's gamut: nothing passed
  std::vector<std::string> parts;
  if (judged.empty()) parts.push_back("no patch the display can show");
  for (Criterion& c : criteria) {
    if (!std::isfinite(c.limit)) {  // off (or a file from before it existed): shown, not judged
      parts.push_back(fmt::format("{} {:.2f}", c.name, c.value));
      continue;
    }
    if (!std::isfinite(c.value)) c.missed = true;
    verdict.pass = verdict.pass && !c.missed;
    verdict.marginal = verdict.marginal || c.marginal;
    parts.push_back(describe_criterion(c));
  }
  verdict.marginal = verdict.pass && verdict.marginal;
  verdict.line =
      verdict.pass ? (verdict.marginal ? "PASS (marginal: within the probe's noise): " : "PASS: ") : "FAIL: ";
  for (std::size_t i = 0; i < parts.size(); ++i) verdict.line += (i ? ", " : "") + parts[i];
  if (result.summary.not_judged > 0)
    verdict.line += fmt::format(" ({} patches, {} not judged: outside the display's gamut{})", result.patches.size(),
                                result.summary.not_judged, result.target.hdr ? " or black" : "");
  else
    verdict.line += fmt::format(" ({} patches)", result.patches.size());
  return verdict;
}

VerificationResult evaluate(const MeasurementSet& measured, const TargetFunction& target_XYZ,
                            const VerificationOptions& options) {
  if (measured.readings.empty()) throw ValueError("readings", "no measurements to verify");
  if (!options.groups.empty() && options.groups.size() != measured.readings.size())
    throw ValueError("groups",
                     fmt::format("{} group names for {} readings", options.groups.size(), measured.readings.size()));
  VerificationResult result;
  result.info = complete_info(options.info, measured);
  result.target = options.target;
  result.thresholds = options.thresholds;
  result.extra_metrics = options.extra_metrics;

  const Vec3 white = target_XYZ(Vec3::Ones());
  if (!(white.y() > 0)) throw ValueError("target", "the target's white has no luminance");
  for (std::size_t i = 0; i < measured.readings.size(); ++i) {
    const auto& reading = measured.readings[i];
    VerificationPatch patch;
    patch.signal = reading.rgb;
    patch.target_XYZ = target_XYZ(reading.rgb);
    patch.measured_XYZ = reading.XYZ;
    patch.measured_stdev = reading.uncertainty;
    patch.group = options.groups.empty() ? classify_patch(reading.rgb) : options.groups[i];
    Vec3 lab_t = lab_from_XYZ(patch.target_XYZ, white), lab_m = lab_from_XYZ(patch.measured_XYZ, white);
    patch.de2000 = delta_e2000(lab_t, lab_m);
    patch.de76 = delta_e76(lab_t, lab_m);
    patch.de94 = delta_e94(lab_t, lab_m);
    patch.de_itp = delta_e_itp_XYZ(patch.target_XYZ, patch.measured_XYZ);
    patch.judged = !(options.target.hdr && reading.rgb.maxCoeff() <= 0) &&
                   (!options.shown_by_display || options.shown_by_display(patch.target_XYZ));
    patch.de2000_noise = noise_de(reading.XYZ, reading.uncertainty, [&](const Vec3& a, const Vec3& b) {
      return delta_e2000(lab_from_XYZ(a, white), lab_from_XYZ(b, white));
    });
    patch.de_itp_noise = noise_de(reading.XYZ, reading.uncertainty, delta_e_itp_XYZ);
    result.patches.push_back(patch);
  }
  result.summary = summarise(result.patches, options.extra_metrics);
  result.greyscale = analyse_greyscale(result.patches, result.target, options);
  result.verdict = judge(result);
  return result;
}

}  // namespace calkit
