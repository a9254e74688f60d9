// solve(): fit the display model, fill the target's display facts, invert every LUT node.
#include "solver/solve.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "luts/apply.hpp"
#include "solver/invert.hpp"

namespace calkit {

namespace {

// ITU-R BT.709 / BT.2100 narrow range, 10-bit: black at code 64, white at 940 of 1023.
constexpr double kLegalBlack = 64.0 / 1023.0;
constexpr double kLegalSpan = 876.0 / 1023.0;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int thread_count(int asked) {
  if (asked > 0) return asked;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs body(i) for i in [0, count) on `threads` threads, interleaved so work stays balanced;
// reports progress from the calling thread.
template <class Body>
void parallel_for(int count, int threads, const std::function<void(double)>& progress, Body body) {
  std::atomic<int> next{0}, done{0};
  auto worker = [&] {
    for (int i = next++; i < count; i = next++) {
      body(i);
      ++done;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  if (progress) {
    // The calling thread works too, reporting between items.
    for (int i = next++; i < count; i = next++) {
      body(i);
      ++done;
      progress(double(done) / count);
    }
  } else {
    worker();
  }
  for (std::thread& t : pool) t.join();
  if (progress) progress(1.0);
}

// A fit that is not finite, or a display with no light, must never become a LUT.
void check_fit(const SolveResult& r) {
  const Vec3 white = r.model.XYZ(Vec3::Ones()), black = r.model.XYZ(Vec3::Zero());
  if (!std::isfinite(r.fit.model_rms) || !white.allFinite() || !black.allFinite())
    throw InputError(
        fmt::format("the display model does not fit the readings (residual {}): no LUT is written", r.fit.model_rms));
  if (!(white.y() > 0))
    throw InputError(fmt::format("the fitted white has no light ({:g} cd/m²): no LUT is written", white.y()));
}

// Greys must not fall as the signal rises: running maximum per channel.
void make_monotonic(std::vector<Vec3>& values) {
  for (size_t i = 1; i < values.size(); ++i) values[i] = values[i].cwiseMax(values[i - 1]);
}

}  // namespace

double signal_from_lut_input(double value, LutRange range) {
  if (range == LutRange::Full) return value;
  return std::clamp((value - kLegalBlack) / kLegalSpan, 0.0, 1.0);
}

double lut_output_from_device(double device, LutRange range) {
  if (range == LutRange::Full) return device;
  return kLegalBlack + kLegalSpan * device;
}

int default_lut_size(const Target& target) { return target.hdr() ? 65 : 33; }

PerceptualSpace fit_space(const std::vector<Reading>& data, bool hdr) {
  if (hdr) return PerceptualSpace::itp();
  Vec3 white = data[0].XYZ;
  for (const Reading& r : data)
    if (r.XYZ.y() > white.y()) white = r.XYZ;
  for (const Reading& r : data)
    if (r.rgb.minCoeff() >= 0.999) white = r.XYZ;
  return PerceptualSpace::lab(white.cwiseMax(1e-6));
}

std::function<bool(const Vec3&)> shown_colours(const MeasurementSet& readings, const Target& target) {
  struct Gamut {
    FittedDisplayModel model;
    Target target;
    std::unique_ptr<DeviceMapper> mapper;
  };
  auto gamut = std::make_shared<Gamut>();
  gamut->target = target;
  std::vector<Reading> data = usable_readings(readings);
  FitReport fit = fit_display_model_into(gamut->model, data, fit_space(data, target.hdr()));
  gamut->mapper = std::make_unique<DeviceMapper>(gamut->model, gamut->target, fit.model_rms);
  return [gamut](const Vec3& XYZ) { return gamut->mapper->shows(XYZ); };
}

namespace {

// For each index along a LUT axis, the first index whose signal the target cannot tell from it:
// PQ content is clipped at the mastering peak (and legal range clips below code 64 and above
// 940), so every node past that clip asks for the colour of the node at it, and is solved once.
std::vector<int> representatives(const Target& target, int n, LutRange range) {
  double limit = target.hdr() && !target.reference_XYZ ? pq_inverse_eotf(target.mastering_peak) : 1.0;
  std::vector<int> out(n);
  for (int i = 0; i < n; ++i) {
    double v = std::min(signal_from_lut_input(double(i) / (n - 1), range), limit);
    out[i] = i;
    for (int j = 0; j < i; ++j)
      if (std::min(signal_from_lut_input(double(j) / (n - 1), range), limit) == v) {
        out[i] = j;
        break;
      }
  }
  return out;
}

// The LUT's interpolation error where it matters, on colours the display shows: at the centres
// of the grey axis's cells and of seeded random cells (until 400 such colours), the colour the
// model shows for the tetrahedrally interpolated LUT value against the one for the node solve at
// that very signal, in the mapper's space (dE units).
InterpolationError interpolation_error(const Lut3d& lut, const DeviceMapper& mapper, const FittedDisplayModel& model,
                                       const Target& target, LutRange range, int threads) {
  const int n = lut.size;
  auto signal_of = [&](const Vec3& input) {
    Vec3 signal;
    for (int c = 0; c < 3; ++c) signal[c] = signal_from_lut_input(input[c], range);
    return signal;
  };
  std::vector<Vec3> inputs;
  for (int i = 0; i + 1 < n; ++i) inputs.push_back(Vec3::Constant((i + 0.5) / (n - 1)));
  std::mt19937_64 rng(20261113);
  for (int tries = 0; tries < 20000 && inputs.size() < 400 + size_t(n); ++tries) {
    Vec3 cell;
    for (int c = 0; c < 3; ++c) cell[c] = double(rng() % (n - 1));
    Vec3 input = (cell + Vec3::Constant(0.5)) / (n - 1);
    if (mapper.shows(target.XYZ(signal_of(input)))) inputs.push_back(input);
  }
  std::vector<double> errors(inputs.size());
  parallel_for(int(inputs.size()), threads, {}, [&](int i) {
    Vec3 interpolated = apply_tetrahedral(lut, inputs[i]);
    Vec3 direct = mapper.device_rgb(target.XYZ(signal_of(inputs[i])), interpolated);
    errors[i] = (mapper.space().from_XYZ(model.XYZ(interpolated)) - mapper.space().from_XYZ(model.XYZ(direct))).norm();
  });
  std::sort(errors.begin(), errors.end());
  InterpolationError out;
  out.points = int(errors.size());
  for (double e : errors) out.mean += e / errors.size();
  out.p95 = errors[size_t(std::ceil(0.95 * (errors.size() - 1)))];
  out.max = errors.back();
  return out;
}

}  // namespace

Target target_for_display(const Target& target_in, const FittedDisplayModel& model, double* neutral_min_nits,
                          double* neutral_max_nits, std::vector<std::string>* notes) {
  // The target's display facts: the measured black (BT.1886 black compensation, the PQ roll-off's
  // black) and the brightest grey of the target white (the PQ roll-off's peak).
  Target target = target_in;
  if (!target.shared_black) target.display_black_XYZ = model.XYZ(Vec3::Zero()).cwiseMax(0.0);
  DeviceMapper::neutral_range(model, target.container.white, neutral_min_nits, neutral_max_nits);
  if (target.hdr()) {
    target.display_peak_nits = *neutral_max_nits;
  } else if (target.white_nits > *neutral_max_nits) {
    if (notes)
      notes->push_back(
          fmt::format("white lowered from {:g} to {:.2f} cd/m²: the brightest target-white grey the display shows",
                      target.white_nits, *neutral_max_nits));
    target.white_nits = *neutral_max_nits;
  }
  if (!target.hdr() && target.display_black_XYZ.y() >= target.white_nits * 0.5)
    throw ValueError("XYZ", "the display's black is brighter than half its white");
  return target;
}

SolveResult solve(const MeasurementSet& set, const Target& target_in, const SolveOptions& options) {
  if (options.lut_size != 0 && (options.lut_size < 2 || options.lut_size > 256))
    throw ValueError("size", "LUT size must be between 2 and 256 nodes per axis");
  if (options.lut1d_size != 0 && (options.lut1d_size < 2 || options.lut1d_size > 65536))
    throw ValueError("lut1d", "1D LUT size must be between 2 and 65536");
  SolveResult result;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Reading> data = usable_readings(set);
  result.fit = fit_display_model_into(result.model, data, fit_space(data, target_in.hdr()), options.fit);
  result.fit_seconds = seconds_since(t0);
  if (!result.fit.converged)
    result.warnings.push_back(
        fmt::format("the display-model fit stopped at its {}-iteration cap before converging (model residual {:.3f} "
                    "RMS): the model may be less accurate than the readings allow",
                    result.fit.iterations, result.fit.model_rms));
  check_fit(result);
  result.bias = bias_test(result.model, data, result.fit, options.fit.noise);
  if (!result.bias.passed) result.warnings.push_back(result.bias.verdict());
  auto t1 = std::chrono::steady_clock::now();

  result.target =
      target_for_display(target_in, result.model, &result.neutral_min_nits, &result.neutral_max_nits, &result.notes);
  const Target& target = result.target;
  Vec3 model_black = result.model.XYZ(Vec3::Zero()).cwiseMax(0.0);

  // A colour the model reproduces to within its own fit error is one the display shows.
  DeviceMapper mapper(result.model, target, result.fit.model_rms);
  const int n = options.lut_size > 0 ? options.lut_size : default_lut_size(target);
  const int threads = thread_count(options.threads);
  Lut3d& lut = result.lut;
  lut.size = n;
  lut.table.assign(size_t(n) * n * n, Vec3::Zero());
  lut.title = "calkit " + target.name;
  std::vector<char> mapped(lut.table.size(), 0);
  auto signal = [&](int i, int count) { return signal_from_lut_input(double(i) / (count - 1), options.range); };
  std::vector<int> rep = representatives(target, n, options.range);
  std::vector<int> rows;  // g + n·b of the rows that are solved
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < n; ++g)
      if (rep[g] == g && rep[b] == b) rows.push_back(g + n * b);
  // One work item per (g, b) row; along r the previous node's answer starts the next.
  parallel_for(int(rows.size()), threads, options.progress, [&](int item) {
    int g = rows[item] % n, b = rows[item] / n;
    Vec3 start = Vec3::Constant(-1);
    for (int r = 0; r < n && rep[r] == r; ++r) {
      Vec3 XYZ = target.XYZ(Vec3(signal(r, n), signal(g, n), signal(b, n)));
      if (start.x() < 0) start = result.model.initial_rgb(XYZ);
      bool was_mapped = false;
      Vec3 rgb = mapper.device_rgb(XYZ, start, &was_mapped);
      mapped[r + n * rows[item]] = was_mapped;
      start = rgb;
      lut.at(r, g, b) = rgb;
    }
  });
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < n; ++g)
      for (int r = 0; r < n; ++r) {
        int from = rep[r] + n * (rep[g] + n * rep[b]);
        lut.table[r + n * (g + n * b)] = lut.table[from];
        mapped[r + n * (g + n * b)] = mapped[from];
      }
  result.mapped_nodes = int(std::count(mapped.begin(), mapped.end(), 1));
  // Where the target's black is no brighter than the display's (every target but a match to a
  // brighter-black reference or a shared black above this display's), signal 0 is drive 0. Near
  // black the fitted model can have other drives with the same predicted colour (to 1e-10 dE):
  // black is set rather than left to where an inversion lands.
  bool black_is_zero = target.XYZ(Vec3::Zero()).y() <= model_black.y() * (1 + 1e-9);
  if (black_is_zero && signal(0, n) == 0) lut.at(0, 0, 0) = Vec3::Zero();
  std::vector<Vec3> diagonal(n);
  for (int i = 0; i < n; ++i) diagonal[i] = lut.at(i, i, i);
  make_monotonic(diagonal);
  for (int i = 0; i < n; ++i) lut.at(i, i, i) = diagonal[i];
  if (n >= 3) {
    result.interpolation = interpolation_error(lut, mapper, result.model, target, options.range, threads);
    const InterpolationError& e = result.interpolation;
    if (e.mean > kInterpolationWarning)
      result.warnings.push_back(fmt::format(
          "a {}³ LUT is too coarse for this target and display: between its nodes it is {:.2f} {} off "
          "the exact solve on average (p95 {:.2f}, max {:.2f}); use --size {}",
          n, e.mean, target.hdr() ? "dE ITP" : "dE76", e.p95, e.max, std::max(default_lut_size(target), 2 * n - 1)));
  }
  if (!target.hdr()) {
    // A display much brighter (or far off the target white) is calibrated by never driving it
    // near full: every code the LUT does not reach is precision thrown away (issue 18).
    // The range is the one measured: an SDR target on a PQ-input display is profiled only up to
    // twice its white (patches/patch_sets.hpp scale_for_sdr_on_pq_input), as it is shown.
    double top = 0, measured = 0;
    for (const Vec3& v : lut.table) top = std::max(top, v.maxCoeff());
    for (const Reading& r : set.readings) measured = std::max(measured, r.rgb.maxCoeff());
    double used = measured > 0 ? top / measured : 1;
    if (used < kCodeRangeWarning)
      result.warnings.push_back(fmt::format(
          "the LUT drives the display to at most {:.0f} % of its code range ({:.0f} % thrown away): its own white is "
          "far from the target's; bring it near with the display's controls first (calkit adjust), then calibrate",
          used * 100, (1 - used) * 100));
  }
  for (Vec3& v : lut.table)
    for (int c = 0; c < 3; ++c) v[c] = lut_output_from_device(v[c], options.range);
  for (const Vec3& v : lut.table)
    if (!v.allFinite())
      throw InputError("the model's inversion gave a LUT value that is not a number: no LUT is written");

  if (options.lut1d_size > 0) {
    int m = options.lut1d_size;
    std::vector<Vec3> greys(m);
    Vec3 start = Vec3::Zero();
    for (int i = 0; i < m; ++i) {
      double s = signal(i, m);
      greys[i] = black_is_zero && s == 0 ? Vec3::Zero() : mapper.device_rgb(target.XYZ(Vec3::Constant(s)), start);
      start = greys[i];
    }
    make_monotonic(greys);
    for (Vec3& v : greys)
      for (int c = 0; c < 3; ++c) v[c] = lut_output_from_device(v[c], options.range);
    result.lut1d.table = greys;
    result.lut1d.title = "calkit " + target.name + " greyscale";
  }
  result.lut_seconds = seconds_since(t1);

  std::map<std::string, std::string> meta = target.display_facts();
  meta["calkit_target"] = target.description();
  meta["calkit_range"] = options.range == LutRange::Full ? "full" : "legal";
  meta["calkit_fit_rms"] = fmt::format("{:.4f}", result.fit.model_rms);
  meta["calkit_mapped_nodes"] = std::to_string(result.mapped_nodes);
  if (target.hdr() && !target.reference_XYZ) {
    meta["calkit_mastering_peak"] = fmt::format("{}", target.mastering_peak);
    meta["calkit_roll_off"] = roll_off_name(target.roll_off);
  }
  lut.metadata = meta;
  result.lut1d.metadata = meta;
  return result;
}

std::string solve_summary_json(const SolveResult& r) {
  using nlohmann::json;
  auto xy = [](const Vec3& XYZ) { return xy_json(xy_from_XYZ(XYZ)); };
  const FittedDisplayModel& m = r.model;
  json model = {
      {"description", "black + g(load)·(M·f(rgb) + w·f_w(min)), plus a P-spline correction in " +
                          std::string(m.space().kind() == PerceptualSpace::Kind::Lab ? "CIELAB" : "ICtCp (dE ITP)")},
      {"black_XYZ", vec_json(m.black())},
      {"white_XYZ", vec_json(m.XYZ(Vec3::Ones()))},
      {"red_xy", xy(m.primaries().col(0))},
      {"green_xy", xy(m.primaries().col(1))},
      {"blue_xy", xy(m.primaries().col(2))},
      {"white_subpixel_XYZ", vec_json(m.white_subpixel())},
      {"white_subpixel_drive",
       m.white_drive() == WhiteDrive::SmallestLinear ? "smallest linear channel" : "smallest signal"},
      {"gamma_at_half",
       json::array({m.curve(0).gamma_at_half(), m.curve(1).gamma_at_half(), m.curve(2).gamma_at_half()})},
      {"correction_intervals", m.correction().intervals()},
      // g(L) = (1 - sag·L)·min(1, (knee / L)^exponent), L the patch's light relative to the white's.
      {"load_gain",
       {{"sag", m.load_gain().sag}, {"cap_exponent", m.load_gain().exponent}, {"cap_knee", m.load_gain().knee}}},
  };
  json fit = {
      {"readings", r.fit.readings},
      {"iterations", r.fit.iterations},
      {"converged", r.fit.converged},
      {"units", m.space().kind() == PerceptualSpace::Kind::Lab ? "dE76" : "dE ITP"},
      {"base_rms", r.fit.base_rms},
      {"model_rms", r.fit.model_rms},
      {"predicted_rms", r.fit.gcv_rms},
      {"max_residual", r.fit.max_residual},
      {"smoothing_lambda", r.fit.correction.lambda},
      {"effective_parameters", r.fit.correction.effective_parameters},
      // How stiff the readings chose the tone curves (solver/README.md, The display model): 1, 100
      // or 10000 times the default penalty above 10 % signal; and what the base model spent.
      {"tone_curve_stiffness", r.fit.curve_stiffness},
      {"base_effective_parameters", r.fit.base_effective_parameters},
  };
  const BiasTest& b = r.bias;
  json groups = json::array();
  for (const ResidualGroup& g : b.groups) {
    json group = {{"name", g.name},           {"readings", g.readings},
                  {"chi2", g.chi2},           {"chi2_limit", g.chi2_limit},
                  {"offset_sigma", g.offset}, {"offset_component", g.offset_component},
                  {"biased", g.biased}};
    if (g.ordered) group["correlation_sigma"] = g.correlation;
    if (g.biased) group["why"] = g.why;
    groups.push_back(group);
  }
  json bias = {
      {"verdict", b.passed ? "pass" : "bias"},
      {"where", b.where()},
      {"noise", b.noise},
      {"reduced_chi2", b.chi2},
      {"noise_range", json::array({b.chi2_low, b.chi2_high})},
      {"degrees_of_freedom", b.degrees_of_freedom},
      {"effective_parameters", b.effective_parameters},
      {"groups", groups},
  };
  json target = {{"display_black_XYZ", vec_json(r.target.display_black_XYZ)}};
  if (r.target.hdr()) {
    target["mastering_peak_nits"] = r.target.mastering_peak;
    target["roll_off"] = roll_off_name(r.target.roll_off);
    target["display_peak_nits"] = r.target.display_peak_nits;
  } else {
    target["white_nits"] = r.target.white_nits;
  }
  const InterpolationError& e = r.interpolation;
  json out = {
      {"target", r.target.name},
      {"target_description", r.target.description()},
      {"target_facts", target},
      {"lut_size", r.lut.size},
      {"lut1d_size", r.lut1d.table.size()},
      {"mapped_nodes", r.mapped_nodes},
      {"neutral_range_nits", json::array({r.neutral_min_nits, r.neutral_max_nits})},
      {"fit_seconds", r.fit_seconds},
      {"lut_seconds", r.lut_seconds},
      {"model", model},
      {"fit", fit},
      {"bias_test", bias},
      {"interpolation_error", {{"points", e.points}, {"mean", e.mean}, {"p95", e.p95}, {"max", e.max}}},
      {"notes", r.notes},
      {"warnings", r.warnings},
  };
  return out.dump(2) + "\n";
}

}  // namespace calkit
