#include "report/match.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "color/cct.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/rgb_space.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace calkit {

namespace {

constexpr double kSameSignal = 1e-6;

// Two runs' patches: the same patch shown at different depths (two rooms' pattern generators).
bool same_signal(const Vec3& a, const Vec3& b) { return (a - b).cwiseAbs().maxCoeff() <= kSignalTolerance; }

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
    throw InputError(
        o.display_file, 0, "patches",
        fmt::format("{} patches here, {} in {}: patch {} (signal {}) is missing from one run", b.patches.size(),
                    a.patches.size(), o.reference_file.empty() ? "the reference" : o.reference_file, n + 1,
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
    l.reference_peak_nits =
        std::isfinite(l.reference_peak_nits) ? std::max(l.reference_peak_nits, s.reference_nits) : s.reference_nits;
    l.display_peak_nits =
        std::isfinite(l.display_peak_nits) ? std::max(l.display_peak_nits, s.display_nits) : s.display_nits;
  }
  l.peak_difference_pct = difference_pct(l.reference_peak_nits, l.display_peak_nits);
  return l;
}

// A's reading of the black patch (signal 0), NaN without one.
double black_reading(const VerificationResult& run) {
  for (const auto& p : run.patches)
    if (p.signal.maxCoeff() <= kSameSignal) return p.measured_XYZ.y();
  return kNotMeasured;
}

// Darker than a display's black by more than the repeatability of black readings (5 %): that
// display cannot show it, whatever its calibration.
constexpr double kBelowBlack = 0.95;

std::string not_shown_reason(const VerificationPatch& a, const VerificationPatch& b, double black_a, double black_b) {
  if (!a.judged) return "not judged in A's run (outside A's gamut, or the HDR black)";
  if (!b.judged) return "not judged in B's run (outside B's gamut, or the HDR black)";
  if (std::isfinite(black_b) && a.measured_XYZ.y() < kBelowBlack * black_b)
    return "A's reading is darker than B's black";
  if (std::isfinite(black_a) && b.measured_XYZ.y() < kBelowBlack * black_a)
    return "B's reading is darker than A's black";
  return "";
}

std::string probe_text(const VerificationInfo& info) {
  std::string out = info.probe.empty() ? "unnamed probe" : info.probe;
  return out + (info.correction.empty() ? ", no correction" : ", correction " + info.correction);
}

std::string percent_text(double v) { return fmt::format("{:.0f} %", 100 * v); }

std::string shadow_text(const MatchResult& r) {
  std::vector<std::string> parts;
  for (const auto& s : r.greyscale)
    if (s.signal > kSameSignal && s.signal <= 0.3 + kSignalTolerance && std::isfinite(s.luminance_difference_pct) &&
        parts.size() < 3)
      parts.push_back(fmt::format("{:+.0f} % at {}", s.luminance_difference_pct, percent_text(s.signal)));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

constexpr const char* kPlanAdvice =
    "calibrate both rooms to one shared target: calkit match plan A-readings B-readings -o plan/, then calkit "
    "calibrate --target plan/target.json in each room";

// What differs and what to do, one line per kind, in the order a calibrator fixes them: probes,
// white, black, greyscale, gamut.
std::vector<std::string> match_advice(const MatchResult& r) {
  std::vector<std::string> out;
  const auto& t = r.thresholds;
  const auto& w = r.white;
  const auto& l = r.levels;
  auto de = [&](const auto& p) { return r.hdr ? p.de_itp : p.de2000; };
  const char* metric = r.hdr ? "dE ITP" : "dE2000";
  double grey_tolerance = r.hdr ? t.mean_de_itp : t.mean_de2000;
  double colour_tolerance = r.hdr ? (std::isfinite(t.max_de_itp) ? t.max_de_itp : 2 * t.mean_de_itp) : t.max_de2000;

  if (r.probes_differ)
    out.push_back(
        fmt::format("probes: A read with {}, B with {}: two probes can read one display differently; make a "
                    "probe-matching CCMX where both probes read one display (calkit probe match), carry it "
                    "in the package and use it on the other side",
                    probe_text(r.reference), probe_text(r.display)));
  if (w.measured && std::isfinite(w.delta_uv) && w.delta_uv > t.white_delta_uv)
    out.push_back(
        fmt::format("white: the whites differ in colour by Δu′v′ {:.4f} (more than {:.3f}; A {:.0f} K, B "
                    "{:.0f} K): {}",
                    w.delta_uv, t.white_delta_uv, w.reference_cct, w.display_cct,
                    r.probes_differ ? "check the probes first (above), then recalibrate B's white"
                                    : "recalibrate B's white (calkit adjust, then calibrate)"));
  else if (w.measured && std::isfinite(w.de2000) && !r.hdr && w.de2000 > t.white_de2000)
    out.push_back(fmt::format(
        "white: B's white is {:+.1f} % of A's luminance ({:.1f} against {:.1f} cd/m²): calibrate "
        "both rooms to one white luminance ({})",
        w.luminance_difference_pct, w.display_nits, w.reference_nits, "calkit match plan picks one both show"));

  bool shadows_differ = false;
  for (const auto& s : r.greyscale)
    if (s.signal > kSameSignal && s.signal <= 0.3 + kSignalTolerance &&
        (de(r.patches[s.patch]) > grey_tolerance || !r.patches[s.patch].not_shown.empty()))
      shadows_differ = true;
  double dark = std::min(l.reference_black_nits, l.display_black_nits);
  double bright = std::max(l.reference_black_nits, l.display_black_nits);
  if (shadows_differ && std::isfinite(dark) && bright > 1.5 * std::max(dark, 1e-4)) {
    // BT.1886's black compensation moves the whole curve (+11 % at 60 % grey for a 0.15 cd/m²
    // black against 0): the greys and colours follow from the black, and a shared target fixes
    // them together; a match after it says what remains.
    out.push_back(fmt::format(
        "black: A's black is {:.3g} cd/m², B's {:.3g}, and the shadows differ ({}): BT.1886 "
        "follows each display's own black, so two displays with different blacks do not match "
        "in the shadows (and less so up to the highlights); {}",
        std::max(l.reference_black_nits, 0.0), std::max(l.display_black_nits, 0.0), shadow_text(r), kPlanAdvice));
    return out;
  }

  const MatchGreyStep* worst = nullptr;
  for (const auto& s : r.greyscale)
    if (s.signal > 0.3 + kSignalTolerance && s.signal < 1 - kSameSignal && r.patches[s.patch].not_shown.empty() &&
        de(r.patches[s.patch]) > grey_tolerance && (!worst || de(r.patches[s.patch]) > de(r.patches[worst->patch])))
      worst = &s;
  if (worst)
    out.push_back(
        fmt::format("greyscale: the greys above 30 % differ by up to {:.2f} {} (at {}: luminance {:+.1f} %, "
                    "B's RGB balance {:.0f}/{:.0f}/{:.0f} % of A's): recalibrate B to the target A uses",
                    de(r.patches[worst->patch]), metric, percent_text(worst->signal), worst->luminance_difference_pct,
                    worst->rgb_balance.x(), worst->rgb_balance.y(), worst->rgb_balance.z()));

  int colours = 0, outside = 0;
  const MatchPatch* worst_colour = nullptr;
  for (const auto& p : r.patches) {
    if (p.group == "greyscale") continue;
    if (!p.not_shown.empty()) {
      ++outside;
    } else if (de(p) > colour_tolerance) {
      ++colours;
      if (!worst_colour || de(p) > de(*worst_colour)) worst_colour = &p;
    }
  }
  if (worst_colour)
    out.push_back(
        fmt::format("gamut: {} colours differ by more than {:.1f} {} (worst: signal {}, {:.2f}){}: one display "
                    "does not show the other's colours there; calkit match plan limits both rooms to the gamut "
                    "both show",
                    colours, colour_tolerance, metric, signal_values(worst_colour->signal), de(*worst_colour),
                    outside ? fmt::format(", {} more one display cannot show", outside) : ""));
  if (out.empty())
    out.push_back(fmt::format("B differs from A by mean {:.2f} {} without one cause standing out: {}",
                              r.hdr ? r.de_itp.mean : r.de2000.mean, metric, kPlanAdvice));
  return out;
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

  double black_a = black_reading(reference), black_b = black_reading(display);
  std::vector<double> de2000, de_itp;
  std::vector<int> shown;
  for (std::size_t i = 0; i < reference.patches.size(); ++i) {
    const auto& a = reference.patches[i];
    const auto& b = display.patches[i];
    MatchPatch p;
    p.signal = a.signal;
    p.group = a.group;
    p.reference_XYZ = a.measured_XYZ;
    p.display_XYZ = b.measured_XYZ;
    // CIE 142-2001 on CIELAB relative to the reference target white; BT.2124 on absolute ICtCp.
    p.de2000 =
        delta_e2000(lab_from_XYZ(p.reference_XYZ, r.lab_white_XYZ), lab_from_XYZ(p.display_XYZ, r.lab_white_XYZ));
    p.de_itp = delta_e_itp_XYZ(p.reference_XYZ, p.display_XYZ);
    p.not_shown = not_shown_reason(a, b, black_a, black_b);
    if (p.not_shown.empty()) {
      de2000.push_back(p.de2000);
      de_itp.push_back(p.de_itp);
      shown.push_back(int(i));
    } else {
      ++r.not_shown;
    }
    r.patches.push_back(p);
  }
  r.de2000 = de_stats(de2000);
  r.de_itp = de_stats(de_itp);
  if (r.de2000.max_index >= 0) r.de2000.max_index = shown[r.de2000.max_index];
  if (r.de_itp.max_index >= 0) r.de_itp.max_index = shown[r.de_itp.max_index];
  r.greyscale = greyscale(r);
  r.white = white_of(r);
  r.levels = levels_of(r);
  if (!r.white.measured && !r.hdr) r.notes.push_back("no 100 % white patch in both runs: the white is not judged");
  if (r.not_shown > 0)
    r.notes.push_back(fmt::format("{} of {} patches one display cannot show are listed, not counted (not_shown)",
                                  r.not_shown, r.patches.size()));
  r.verdict = judge_match(r);
  if (!r.verdict.pass) r.advice = match_advice(r);
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

json vec(const Vec3& v) { return json::array({number_or_null(v[0]), number_or_null(v[1]), number_or_null(v[2])}); }
json xy(Xy c) { return json::array({number_or_null(c.x), number_or_null(c.y)}); }

json stats(const DeStats& s) {
  return {{"count", s.count},
          {"mean", number_or_null(s.mean)},
          {"median", number_or_null(s.median)},
          {"p95", number_or_null(s.p95)},
          {"max", number_or_null(s.max)},
          {"max_index", s.max_index}};
}

json info(const VerificationInfo& i, const std::string& file) {
  return {{"file", file},           {"label", i.label},           {"display", i.display},
          {"probe", i.probe},       {"correction", i.correction}, {"target", i.target},
          {"lut_file", i.lut_file}, {"lut_xxh64", i.lut_xxh64},   {"date", i.date}};
}

}  // namespace

std::string format_match_json(const MatchResult& r) {
  json patches = json::array();
  for (const auto& p : r.patches)
    patches.push_back({{"signal", vec(p.signal)},
                       {"group", p.group},
                       {"reference_XYZ", vec(p.reference_XYZ)},
                       {"display_XYZ", vec(p.display_XYZ)},
                       {"de2000", number_or_null(p.de2000)},
                       {"de_itp", number_or_null(p.de_itp)},
                       {"not_shown", p.not_shown.empty() ? json(nullptr) : json(p.not_shown)}});
  json steps = json::array();
  for (const auto& s : r.greyscale)
    steps.push_back({{"patch", s.patch},
                     {"signal", s.signal},
                     {"reference_nits", number_or_null(s.reference_nits)},
                     {"display_nits", number_or_null(s.display_nits)},
                     {"luminance_difference_pct", number_or_null(s.luminance_difference_pct)},
                     {"rgb_balance", vec(s.rgb_balance)},
                     {"de2000", number_or_null(s.de2000)},
                     {"de_itp", number_or_null(s.de_itp)}});
  const auto& w = r.white;
  const auto& l = r.levels;
  const auto& t = r.thresholds;
  json out = {
      {"format", "calkit-match"},
      {"version", 2},
      {"reference", info(r.reference, r.reference_file)},
      {"display", info(r.display, r.display_file)},
      {"probes_differ", r.probes_differ},
      {"notes", r.notes},
      {"advice", r.advice},
      {"not_shown", r.not_shown},
      {"target",
       {{"name", r.target.name},
        {"eotf", r.target.eotf},
        {"white", xy(r.target.white)},
        {"white_nits", number_or_null(r.target.white_nits)},
        {"hdr", r.target.hdr}}},
      {"lab_white_XYZ", vec(r.lab_white_XYZ)},
      {"thresholds",
       {{"mean_de2000", number_or_null(t.mean_de2000)},
        {"max_de2000", number_or_null(t.max_de2000)},
        {"white_de2000", number_or_null(t.white_de2000)},
        {"white_delta_uv", number_or_null(t.white_delta_uv)},
        {"mean_de_itp", number_or_null(t.mean_de_itp)},
        {"max_de_itp", number_or_null(t.max_de_itp)}}},
      {"patches", patches},
      {"summary", {{"de2000", stats(r.de2000)}, {"de_itp", stats(r.de_itp)}}},
      {"greyscale", steps},
      {"white",
       {{"reference_xy", xy(w.reference_xy)},
        {"display_xy", xy(w.display_xy)},
        {"delta_xy", number_or_null(w.delta_xy)},
        {"delta_uv", number_or_null(w.delta_uv)},
        {"reference_cct", number_or_null(w.reference_cct)},
        {"display_cct", number_or_null(w.display_cct)},
        {"delta_cct", number_or_null(w.delta_cct)},
        {"reference_nits", number_or_null(w.reference_nits)},
        {"display_nits", number_or_null(w.display_nits)},
        {"luminance_difference_pct", number_or_null(w.luminance_difference_pct)},
        {"de2000", number_or_null(w.de2000)},
        {"de_itp", number_or_null(w.de_itp)}}},
      {"black",
       {{"reference_nits", number_or_null(l.reference_black_nits)},
        {"display_nits", number_or_null(l.display_black_nits)},
        {"difference_nits", number_or_null(l.black_difference_nits)}}},
      {"peak",
       {{"reference_nits", number_or_null(l.reference_peak_nits)},
        {"display_nits", number_or_null(l.display_peak_nits)},
        {"difference_pct", number_or_null(l.peak_difference_pct)}}},
      {"verdict", {{"pass", r.verdict.pass}, {"line", r.verdict.line}}},
  };
  return out.dump(1) + "\n";
}

}  // namespace calkit

namespace calkit {

VerificationResult run_from_readings(const MeasurementSet& readings, bool hdr) {
  // Each patch's target is its own reading: the first reading of the same signal.
  auto own_reading = [&readings](const Vec3& signal) -> Vec3 {
    for (const Reading& r : readings.readings)
      if (same_signal(r.rgb, signal)) return r.XYZ;
    return Vec3::Zero();
  };
  VerificationOptions options;
  options.target.name = "measured";
  options.target.eotf = hdr ? "PQ" : "as measured";
  options.target.hdr = hdr;
  Vec3 white = own_reading(Vec3::Ones());
  if (white.y() > 0) {
    options.target.white = xy_from_XYZ(white);
    options.target.white_nits = white.y();
  }
  return evaluate(readings, own_reading, options);
}

MeasurementSet readings_of_run(const VerificationResult& run) {
  MeasurementSet set;
  const VerificationInfo& i = run.info;
  for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"label", i.label},
                                   {"display", i.display},
                                   {"probe", i.probe},
                                   {"correction", i.correction},
                                   {"target", i.target},
                                   {"lut_file", i.lut_file},
                                   {"date", i.date}})
    if (!value.empty()) set.info[key] = value;
  for (const auto& p : run.patches) {
    Reading r;
    r.rgb = p.signal;
    r.XYZ = p.measured_XYZ;
    r.uncertainty = p.measured_stdev;
    set.readings.push_back(r);
  }
  return set;
}

}  // namespace calkit
