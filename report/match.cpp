#include "report/match.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "color/cct.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "color/rgb_space.hpp"
#include "core/json.hpp"

namespace calkit {

namespace {

constexpr double kSameSignal = 1e-6;

bool same_signal(const Vec3& a, const Vec3& b) { return (a - b).cwiseAbs().maxCoeff() <= kSameSignal; }

std::string signal_values(const Vec3& s) { return fmt::format("{:g} {:g} {:g}", s.x(), s.y(), s.z()); }

void check_same_patches(const VerificationResult& a, const VerificationResult& b, const MatchOptions& o) {
  std::size_t n = std::min(a.patches.size(), b.patches.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!same_signal(a.patches[i].signal, b.patches[i].signal))
      throw InputError(o.display_file, 0, fmt::format("patches[{}].signal", i),
                       fmt::format("patch {} is signal {} here but {} in {}: the runs must measure the same "
                                   "patch set in the same order",
                                   i + 1, signal_values(b.patches[i].signal), signal_values(a.patches[i].signal),
                                   o.reference_file.empty() ? "the reference" : o.reference_file));
  if (a.patches.size() != b.patches.size()) {
    const auto& longer = a.patches.size() > b.patches.size() ? a : b;
    throw InputError(o.display_file, 0, "patches",
                     fmt::format("{} patches here, {} in {}: patch {} (signal {}) is missing from one run",
                                 b.patches.size(), a.patches.size(),
                                 o.reference_file.empty() ? "the reference" : o.reference_file, n + 1,
                                 signal_values(longer.patches[n].signal)));
  }
  if (a.patches.empty()) throw InputError(o.reference_file, 0, "patches", "no patches to compare");
  if (a.target.hdr != b.target.hdr)
    throw InputError(o.display_file, 0, "target.hdr",
                     "one run is HDR (PQ) and the other SDR: the same signal means different colours");
}

// The CIELAB white of the dE2000 figures: the reference run's target white (its 100 % white
// patch's target, else the described white), as verification.hpp does for one run.
Vec3 lab_white(const VerificationResult& run) {
  for (const auto& p : run.patches)
    if (same_signal(p.signal, Vec3::Ones()) && p.target_XYZ.y() > 0) return p.target_XYZ;
  return XYZ_from_xyY(run.target.white, run.target.white_nits);
}

double cct_of(const Vec3& XYZ) {
  if (!(XYZ.y() > 0)) return kNotMeasured;
  try {
    return cct_ohno2013(xy_from_XYZ(XYZ)).cct;
  } catch (const InputError&) {
    return kNotMeasured;  // a noise-floor reading outside the CCT table
  }
}

double difference_pct(double a, double b) { return a > 0 ? 100.0 * (b / a - 1.0) : kNotMeasured; }

std::vector<MatchGreyStep> greyscale(const MatchResult& r) {
  std::vector<int> idx;
  for (int i = 0; i < static_cast<int>(r.patches.size()); ++i) {
    const Vec3& s = r.patches[i].signal;
    if (std::abs(s.x() - s.y()) <= kSameSignal && std::abs(s.y() - s.z()) <= kSameSignal) idx.push_back(i);
  }
  std::stable_sort(idx.begin(), idx.end(),
                   [&](int a, int b) { return r.patches[a].signal.x() < r.patches[b].signal.x(); });
  // One step per level: the first reading of a repeated level stands for it.
  idx.erase(std::unique(idx.begin(), idx.end(),
                        [&](int a, int b) {
                          return std::abs(r.patches[a].signal.x() - r.patches[b].signal.x()) <= kSameSignal;
                        }),
            idx.end());
  const auto& t = r.target;
  Mat3 to_rgb = RgbSpace{t.name, t.red, t.green, t.blue, t.white}.XYZ_to_rgb();
  std::vector<MatchGreyStep> steps;
  for (int i : idx) {
    const MatchPatch& p = r.patches[i];
    MatchGreyStep s;
    s.patch = i;
    s.signal = p.signal.x();
    s.reference_nits = p.reference_XYZ.y();
    s.display_nits = p.display_XYZ.y();
    s.luminance_difference_pct = difference_pct(s.reference_nits, s.display_nits);
    s.rgb_balance = rgb_balance(to_rgb, p.reference_XYZ, p.display_XYZ);
    s.de2000 = p.de2000;
    s.de_itp = p.de_itp;
    steps.push_back(s);
  }
  return steps;
}

MatchWhite white_of(const MatchResult& r) {
  MatchWhite w;
  for (const auto& p : r.patches) {
    if (!same_signal(p.signal, Vec3::Ones())) continue;
    w.reference_nits = p.reference_XYZ.y();
    w.display_nits = p.display_XYZ.y();
    w.luminance_difference_pct = difference_pct(w.reference_nits, w.display_nits);
    w.de2000 = p.de2000;
    w.de_itp = p.de_itp;
    if (w.reference_nits > 0 && w.display_nits > 0) {
      w.measured = true;
      w.reference_xy = xy_from_XYZ(p.reference_XYZ);
      w.display_xy = xy_from_XYZ(p.display_XYZ);
      w.delta_xy = std::hypot(w.display_xy.x - w.reference_xy.x, w.display_xy.y - w.reference_xy.y);
      Uv a = uv_prime_from_xy(w.reference_xy), b = uv_prime_from_xy(w.display_xy);
      w.delta_uv = std::hypot(b.u - a.u, b.v - a.v);
      w.reference_cct = cct_of(p.reference_XYZ);
      w.display_cct = cct_of(p.display_XYZ);
      w.delta_cct = w.display_cct - w.reference_cct;
    }
    break;
  }
  return w;
}

MatchLevels levels_of(const MatchResult& r) {
  MatchLevels l;
  for (const auto& s : r.greyscale) {
    if (std::abs(s.signal) <= kSameSignal) {
      l.reference_black_nits = s.reference_nits;
      l.display_black_nits = s.display_nits;
      l.black_difference_nits = s.display_nits - s.reference_nits;
    }
    l.reference_peak_nits = std::isfinite(l.reference_peak_nits) ? std::max(l.reference_peak_nits, s.reference_nits)
                                                                  : s.reference_nits;
    l.display_peak_nits = std::isfinite(l.display_peak_nits) ? std::max(l.display_peak_nits, s.display_nits)
                                                              : s.display_nits;
  }
  l.peak_difference_pct = difference_pct(l.reference_peak_nits, l.display_peak_nits);
  return l;
}

std::string probe_text(const VerificationInfo& info) {
  std::string out = info.probe.empty() ? "unnamed probe" : info.probe;
  return out + (info.correction.empty() ? ", no correction" : ", correction " + info.correction);
}

}  // namespace

MatchResult compare_runs(const VerificationResult& reference, const VerificationResult& display,
                         const MatchOptions& options) {
  check_same_patches(reference, display, options);
  MatchResult r;
  r.reference = reference.info;
  r.display = display.info;
  r.reference_file = options.reference_file;
  r.display_file = options.display_file;
  r.target = reference.target;
  r.hdr = reference.target.hdr;
  r.thresholds = options.thresholds;
  r.lab_white_XYZ = lab_white(reference);
  if (reference.info.probe != display.info.probe || reference.info.correction != display.info.correction) {
    r.probes_differ = true;
    r.notes.push_back(fmt::format("different probes or corrections: A {}; B {}", probe_text(reference.info),
                                  probe_text(display.info)));
  }
  if (reference.target.name != display.target.name)
    r.notes.push_back(fmt::format("the runs name different targets (A {}, B {}); measured colours are compared",
                                  reference.target.name, display.target.name));

  std::vector<double> de2000, de_itp;
  for (std::size_t i = 0; i < reference.patches.size(); ++i) {
    const auto& a = reference.patches[i];
    MatchPatch p;
    p.signal = a.signal;
    p.group = a.group;
    p.reference_XYZ = a.measured_XYZ;
    p.display_XYZ = display.patches[i].measured_XYZ;
    // CIE 142-2001 on CIELAB relative to the reference target white; BT.2124 on absolute ICtCp.
    p.de2000 = delta_e2000(lab_from_XYZ(p.reference_XYZ, r.lab_white_XYZ), lab_from_XYZ(p.display_XYZ, r.lab_white_XYZ));
    p.de_itp = delta_e_itp_XYZ(p.reference_XYZ, p.display_XYZ);
    de2000.push_back(p.de2000);
    de_itp.push_back(p.de_itp);
    r.patches.push_back(p);
  }
  r.de2000 = de_stats(de2000);
  r.de_itp = de_stats(de_itp);
  r.greyscale = greyscale(r);
  r.white = white_of(r);
  r.levels = levels_of(r);
  if (!r.white.measured && !r.hdr) r.notes.push_back("no 100 % white patch in both runs: the white is not judged");
  r.verdict = judge_match(r);
  return r;
}

Verdict judge_match(const MatchResult& r) {
  Verdict v;
  v.pass = true;
  const auto& t = r.thresholds;
  std::vector<std::string> parts;
  if (r.hdr) {
    parts.push_back(verdict_criterion("mean dE ITP", r.de_itp.mean, t.mean_de_itp, v.pass));
    if (std::isfinite(t.max_de_itp))
      parts.push_back(verdict_criterion("max dE ITP", r.de_itp.max, t.max_de_itp, v.pass));
    else
      parts.push_back(fmt::format("max dE ITP {:.2f}", r.de_itp.max));
  } else {
    parts.push_back(verdict_criterion("mean dE2000", r.de2000.mean, t.mean_de2000, v.pass));
    parts.push_back(verdict_criterion("max dE2000", r.de2000.max, t.max_de2000, v.pass));
    if (r.white.measured) parts.push_back(verdict_criterion("white dE2000", r.white.de2000, t.white_de2000, v.pass));
  }
  v.line = v.pass ? "PASS: " : "FAIL: ";
  for (std::size_t i = 0; i < parts.size(); ++i) v.line += (i ? ", " : "") + parts[i];
  v.line += fmt::format(" ({} patches, B against A)", r.patches.size());
  return v;
}

namespace {

using nlohmann::json;

json vec(const Vec3& v) {
  return json::array({number_or_null(v[0]), number_or_null(v[1]), number_or_null(v[2])});
}
json xy(Xy c) { return json::array({number_or_null(c.x), number_or_null(c.y)}); }

json stats(const DeStats& s) {
  return {{"count", s.count}, {"mean", number_or_null(s.mean)}, {"median", number_or_null(s.median)},
          {"p95", number_or_null(s.p95)}, {"max", number_or_null(s.max)}, {"max_index", s.max_index}};
}

json info(const VerificationInfo& i, const std::string& file) {
  return {{"file", file},       {"label", i.label},         {"display", i.display}, {"probe", i.probe},
          {"correction", i.correction}, {"target", i.target}, {"lut_file", i.lut_file},
          {"lut_xxh64", i.lut_xxh64}, {"date", i.date}};
}

}  // namespace

std::string format_match_json(const MatchResult& r) {
  json patches = json::array();
  for (const auto& p : r.patches)
    patches.push_back({{"signal", vec(p.signal)}, {"group", p.group}, {"reference_XYZ", vec(p.reference_XYZ)},
                       {"display_XYZ", vec(p.display_XYZ)}, {"de2000", number_or_null(p.de2000)},
                       {"de_itp", number_or_null(p.de_itp)}});
  json steps = json::array();
  for (const auto& s : r.greyscale)
    steps.push_back({{"patch", s.patch}, {"signal", s.signal}, {"reference_nits", number_or_null(s.reference_nits)},
                     {"display_nits", number_or_null(s.display_nits)},
                     {"luminance_difference_pct", number_or_null(s.luminance_difference_pct)},
                     {"rgb_balance", vec(s.rgb_balance)}, {"de2000", number_or_null(s.de2000)},
                     {"de_itp", number_or_null(s.de_itp)}});
  const auto& w = r.white;
  const auto& l = r.levels;
  const auto& t = r.thresholds;
  json out = {
      {"format", "calkit-match"},
      {"version", 1},
      {"reference", info(r.reference, r.reference_file)},
      {"display", info(r.display, r.display_file)},
      {"probes_differ", r.probes_differ},
      {"notes", r.notes},
      {"target", {{"name", r.target.name}, {"eotf", r.target.eotf}, {"white", xy(r.target.white)},
                  {"white_nits", number_or_null(r.target.white_nits)}, {"hdr", r.target.hdr}}},
      {"lab_white_XYZ", vec(r.lab_white_XYZ)},
      {"thresholds", {{"mean_de2000", number_or_null(t.mean_de2000)}, {"max_de2000", number_or_null(t.max_de2000)},
                      {"white_de2000", number_or_null(t.white_de2000)}, {"mean_de_itp", number_or_null(t.mean_de_itp)},
                      {"max_de_itp", number_or_null(t.max_de_itp)}}},
      {"patches", patches},
      {"summary", {{"de2000", stats(r.de2000)}, {"de_itp", stats(r.de_itp)}}},
      {"greyscale", steps},
      {"white", {{"reference_xy", xy(w.reference_xy)}, {"display_xy", xy(w.display_xy)},
                 {"delta_xy", number_or_null(w.delta_xy)}, {"delta_uv", number_or_null(w.delta_uv)},
                 {"reference_cct", number_or_null(w.reference_cct)}, {"display_cct", number_or_null(w.display_cct)},
                 {"delta_cct", number_or_null(w.delta_cct)}, {"reference_nits", number_or_null(w.reference_nits)},
                 {"display_nits", number_or_null(w.display_nits)},
                 {"luminance_difference_pct", number_or_null(w.luminance_difference_pct)},
                 {"de2000", number_or_null(w.de2000)}, {"de_itp", number_or_null(w.de_itp)}}},
      {"black", {{"reference_nits", number_or_null(l.reference_black_nits)},
                 {"display_nits", number_or_null(l.display_black_nits)},
                 {"difference_nits", number_or_null(l.black_difference_nits)}}},
      {"peak", {{"reference_nits", number_or_null(l.reference_peak_nits)},
                {"display_nits", number_or_null(l.display_peak_nits)},
                {"difference_pct", number_or_null(l.peak_difference_pct)}}},
      {"verdict", {{"pass", r.verdict.pass}, {"line", r.verdict.line}}},
  };
  return out.dump(1) + "\n";
}

}  // namespace calkit
