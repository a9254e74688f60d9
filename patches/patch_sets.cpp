#include "patches/patch_sets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <thread>

#include <fmt/core.h>

#include "color/adaptation.hpp"
#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

// ICC.1:2010 PCS illuminant, the white the published ColorChecker Lab values refer to.
const Vec3 kIccD50{0.9642, 1.0, 0.8249};
constexpr double kBt2408DiffuseWhiteNits = 203;  // ITU-R BT.2408: HDR reference white

void require_count(std::string_view what, int count, int minimum, int maximum) {
  if (count < minimum || count > maximum)
    throw ValueError("count", fmt::format("{} needs a count from {} to {}, got {}", what, minimum, maximum, count));
}

// Uniform 0..1 from a 64-bit generator whose output sequence the standard fixes (mt19937_64),
// converted by hand so a seed gives the same set with every standard library.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

Vec3 grey(double v) { return Vec3(v, v, v); }

PatchSet grey_ramp(int steps, double bottom, double top, const std::string& description) {
  PatchSet set{description, {}};
  for (int i = 0; i < steps; ++i) set.rgb.push_back(grey(bottom + (top - bottom) * i / (steps - 1)));
  return set;
}

// Red, green, blue, cyan, magenta, yellow at full drive.
const std::array<Vec3, 6>& primaries_and_secondaries() {
  static const std::array<Vec3, 6> colours{Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1),
                                           Vec3(0, 1, 1), Vec3(1, 0, 1), Vec3(1, 1, 0)};
  return colours;
}

void append(PatchSet& to, const PatchSet& from) { to.rgb.insert(to.rgb.end(), from.rgb.begin(), from.rgb.end()); }

bool contains(const std::vector<Vec3>& points, const Vec3& p) {
  return std::any_of(points.begin(), points.end(), [&](const Vec3& q) { return (q - p).norm() < 1e-9; });
}

void append_unique(std::vector<Vec3>& to, const std::vector<Vec3>& from) {
  for (const Vec3& p : from)
    if (!contains(to, p)) to.push_back(p);
}

// Runs body(begin, end) over [0, n) split across the machine's cores.
template <typename Body>
void parallel_for(std::size_t n, Body body) {
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  if (n < 4096 || threads == 1) return body(std::size_t{0}, n);
  std::vector<std::thread> pool;
  std::size_t chunk = (n + threads - 1) / threads;
  for (std::size_t begin = 0; begin < n; begin += chunk) pool.emplace_back(body, begin, std::min(n, begin + chunk));
  for (auto& t : pool) t.join();
}

}  // namespace

// --- Chart encodings -------------------------------------------------------------------------

ChartEncoding chart_encoding_by_name(std::string_view name) {
  if (name == "bt1886") return {"bt1886", rec709_space(), ChartEotf::Bt1886, 100};
  if (name == "pq-p3d65") return {"pq-p3d65", p3d65_space(), ChartEotf::Pq, kBt2408DiffuseWhiteNits};
  if (name == "pq-rec2020") return {"pq-rec2020", rec2020_space(), ChartEotf::Pq, kBt2408DiffuseWhiteNits};
  throw ValueError("target", fmt::format("unknown target '{}' (bt1886, pq-p3d65, pq-rec2020)", name));
}

std::vector<std::string> chart_encoding_names() { return {"bt1886", "pq-p3d65", "pq-rec2020"}; }

Vec3 encode_for_chart(const ChartEncoding& encoding, const Vec3& XYZ_d65) {
  Vec3 linear = encoding.space.XYZ_to_rgb() * XYZ_d65;
  // BT.1886 with zero black: the reference EOTF of a 100 cd/m² grading display.
  Bt1886Eotf bt1886(encoding.white_nits, 0.0);
  Vec3 signal;
  for (int c = 0; c < 3; ++c) {
    double nits = std::max(linear[c], 0.0) * encoding.white_nits;
    signal[c] = encoding.eotf == ChartEotf::Pq ? pq_inverse_eotf(nits) : bt1886.signal(nits);
  }
  return signal.cwiseMax(0.0).cwiseMin(1.0);
}

// --- Building blocks -------------------------------------------------------------------------

PatchSet greyscale_ramp(int steps) {
  require_count("greyscale", steps, 2, 4096);
  return grey_ramp(steps, 0, 1, fmt::format("greyscale ramp, {} steps", steps));
}

PatchSet near_black_ramp(int steps, double top) {
  require_count("near-black", steps, 2, 4096);
  return grey_ramp(steps, 0, top, fmt::format("near-black ramp 0..{}, {} steps", top, steps));
}

PatchSet near_white_ramp(int steps, double bottom) {
  require_count("near-white", steps, 2, 4096);
  return grey_ramp(steps, bottom, 1, fmt::format("near-white ramp {}..1, {} steps", bottom, steps));
}

PatchSet luminance_sweeps(int steps) {
  require_count("sweeps", steps, 1, 1024);
  PatchSet set{fmt::format("primary/secondary luminance sweeps, {} steps", steps), {}};
  for (const Vec3& colour : primaries_and_secondaries())
    for (int i = 1; i <= steps; ++i) set.rgb.push_back(colour * (double(i) / steps));
  return set;
}

PatchSet saturation_sweeps(int steps) {
  require_count("sweeps", steps, 1, 1024);
  PatchSet set{fmt::format("primary/secondary saturation sweeps, {} steps", steps), {}};
  for (const Vec3& colour : primaries_and_secondaries())
    for (int i = 1; i <= steps; ++i) {
      double s = double(i) / steps;
      set.rgb.push_back(grey(1.0 - s) + colour * s);
    }
  return set;
}

PatchSet primary_secondary_sweeps(int steps) {
  PatchSet set = luminance_sweeps(steps);
  append(set, saturation_sweeps(steps));
  set.description = fmt::format("primary/secondary luminance and saturation sweeps, {} steps", steps);
  return set;
}

PatchSet rgb_cube(int n) {
  require_count("cube", n, 2, 65);
  PatchSet set{fmt::format("RGB cube {}x{}x{}", n, n, n), {}};
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < n; ++g)
      for (int r = 0; r < n; ++r) set.rgb.emplace_back(double(r) / (n - 1), double(g) / (n - 1), double(b) / (n - 1));
  return set;
}

PatchSet random_set(int count, std::uint64_t seed) {
  require_count("random", count, 1, 1000000);
  std::mt19937_64 rng(seed);
  PatchSet set{fmt::format("random, {} patches, seed {}", count, seed), {}};
  for (int i = 0; i < count; ++i) {
    double r = uniform01(rng), g = uniform01(rng), b = uniform01(rng);
    set.rgb.emplace_back(r, g, b);
  }
  return set;
}

// --- Optimised fill --------------------------------------------------------------------------

Vec3 nominal_lab(const Vec3& rgb) {
  static const Mat3 to_XYZ = rec709_space().rgb_to_XYZ();
  static const Vec3 white = XYZ_from_xyY(kD65, 1.0);
  Vec3 linear(gamma_eotf(rgb.x(), 2.2), gamma_eotf(rgb.y(), 2.2), gamma_eotf(rgb.z(), 2.2));
  return lab_from_XYZ(to_XYZ * linear, white);
}

Vec3 sampling_coordinates(const Vec3& rgb) {
  Vec3 lab = nominal_lab(rgb);
  // Stretch the shadows: L' = 100 (L/100)^0.7 has twice the slope at L 10 as at L 90.
  double lightness = 100.0 * std::pow(std::max(lab.x(), 0.0) / 100.0, 0.7);
  // Compress chroma logarithmically (slope 1 at neutral, 1/3 at C 120) so neutrals get denser.
  double chroma = std::hypot(lab.y(), lab.z());
  double scale = chroma > 1e-12 ? 60.0 * std::log1p(chroma / 60.0) / chroma : 1.0;
  return Vec3(lightness, lab.y() * scale, lab.z() * scale);
}

std::vector<Vec3> farthest_point_fill(const std::vector<Vec3>& fixed, int count, std::uint64_t seed) {
  require_count("optimised", count, 1, 20000);
  std::vector<Vec3> chosen;
  append_unique(chosen, fixed);
  if (static_cast<int>(chosen.size()) >= count) {
    chosen.resize(count);
    return chosen;
  }
  // Candidates: a seeded uniform cloud in device RGB plus a 9³ lattice, so the cube's corners,
  // edges and faces (the gamut boundary) are reachable.
  std::size_t pool_size = std::clamp<std::size_t>(std::size_t(count) * 12, 20000, 240000);
  std::vector<Vec3> candidates = random_set(static_cast<int>(pool_size), seed).rgb;
  for (const Vec3& p : rgb_cube(9).rgb) candidates.push_back(p);
  std::size_t n = candidates.size();
  std::vector<Vec3> coords(n);
  parallel_for(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) coords[i] = sampling_coordinates(candidates[i]);
  });

  // min_d2[i]: squared distance from candidate i to the nearest chosen point.
  std::vector<double> min_d2(n, std::numeric_limits<double>::infinity());
  struct Best {
    double d2 = -1;
    std::size_t index = 0;
  };
  auto add_point = [&](const Vec3& coord) {
    std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<Best> best(threads + 1);
    std::size_t chunk = (n + threads - 1) / threads;
    parallel_for(n, [&](std::size_t begin, std::size_t end) {
      Best local;
      for (std::size_t i = begin; i < end; ++i) {
        min_d2[i] = std::min(min_d2[i], (coords[i] - coord).squaredNorm());
        if (min_d2[i] > local.d2) local = {min_d2[i], i};
      }
      best[std::min(begin / chunk, threads)] = local;
    });
    Best overall;
    for (const Best& b : best)  // ties go to the lower index: deterministic across core counts
      if (b.d2 > overall.d2 || (b.d2 == overall.d2 && b.index < overall.index)) overall = b;
    return overall.index;
  };
  std::size_t next = 0;
  for (const Vec3& p : chosen) next = add_point(sampling_coordinates(p));
  while (static_cast<int>(chosen.size()) < count) {
    chosen.push_back(candidates[next]);
    next = add_point(coords[next]);
  }
  return chosen;
}

PatchSet optimised_set(int count, std::uint64_t seed) {
  // Seeds: black, white, the primaries and secondaries and three greys.
  std::vector<Vec3> seeds{grey(0), grey(1)};
  for (const Vec3& c : primaries_and_secondaries()) seeds.push_back(c);
  for (double v : {0.25, 0.5, 0.75}) seeds.push_back(grey(v));
  return {fmt::format("optimised farthest-point set, {} patches, seed {}", count, seed),
          farthest_point_fill(seeds, count, seed)};
}

// --- Verification charts ---------------------------------------------------------------------

const std::vector<ReferenceColor>& colorchecker24_reference() {
  // X-Rite, ColorChecker Classic Lab D50 (M0, 2°), charts made after November 2014, as
  // tabulated by colour-science (colour.CCS_COLOURCHECKERS "ColorChecker24 - After November 2014").
  static const std::vector<ReferenceColor> chart{
      {"dark skin", {37.54, 14.37, 14.92}},     {"light skin", {64.66, 19.27, 17.50}},
      {"blue sky", {49.32, -3.82, -22.54}},     {"foliage", {43.46, -12.74, 22.72}},
      {"blue flower", {54.94, 9.61, -24.79}},   {"bluish green", {70.48, -32.26, -0.37}},
      {"orange", {62.73, 35.83, 56.50}},        {"purplish blue", {39.43, 10.75, -45.17}},
      {"moderate red", {50.57, 48.64, 16.67}},  {"purple", {30.10, 22.54, -20.87}},
      {"yellow green", {71.77, -24.13, 58.19}}, {"orange yellow", {71.51, 18.24, 67.37}},
      {"blue", {28.37, 15.42, -49.80}},         {"green", {54.38, -39.72, 32.27}},
      {"red", {42.43, 51.05, 28.62}},           {"yellow", {81.80, 2.67, 80.41}},
      {"magenta", {50.63, 51.28, -14.12}},      {"cyan", {49.57, -29.71, -28.32}},
      {"white 9.5", {95.19, -1.03, 2.93}},      {"neutral 8", {81.29, -0.57, 0.44}},
      {"neutral 6.5", {66.89, -0.75, -0.06}},   {"neutral 5", {50.76, -0.13, 0.14}},
      {"neutral 3.5", {35.63, -0.46, -0.48}},   {"black 2", {20.64, 0.07, -0.46}},
  };
  return chart;
}

namespace {

// Lab D50 -> XYZ D65 relative to chart white, adapted with Bradford as ICC displays do.
Vec3 XYZ_d65_from_lab_d50(const Vec3& lab) {
  static const Mat3 to_d65 = adaptation_matrix(kIccD50, XYZ_from_xyY(kD65, 1.0), AdaptationMethod::Bradford);
  return to_d65 * XYZ_from_lab(lab, kIccD50);
}

}  // namespace

PatchSet colorchecker_set(const ChartEncoding& encoding) {
  PatchSet set{"ColorChecker 24 (X-Rite 2014 Lab D50, Bradford to D65), " + encoding.name, {}};
  for (const ReferenceColor& c : colorchecker24_reference())
    set.rgb.push_back(encode_for_chart(encoding, XYZ_d65_from_lab_d50(c.lab_d50)));
  return set;
}

PatchSet extended_verification_set(const ChartEncoding& encoding, std::uint64_t seed) {
  PatchSet set = grey_ramp(21, 0, 1, "");
  for (const Vec3& colour : primaries_and_secondaries())
    for (double level : {0.25, 0.5, 0.75, 1.0}) set.rgb.push_back(colour * level);
  // Skin tones: the region of CIELAB where human skin lies (hue 45-55°, chroma 18-28).
  for (double L : {35.0, 50.0, 65.0, 80.0})
    for (double hue : {45.0, 55.0})
      for (double chroma : {18.0, 28.0})
        set.rgb.push_back(encode_for_chart(encoding, XYZ_d65_from_lab_d50(lab_from_lch({L, chroma, hue}))));
  append(set, colorchecker_set(encoding));
  append(set, random_set(20, seed));
  set.description =
      "extended verification: 21 greys, primary/secondary ramps, 16 skin tones, "
      "ColorChecker 24, 20 random; " +
      encoding.name;
  return set;
}

std::vector<double> hdr_verification_classes(double peak_nits) {
  std::vector<double> out;
  for (double level : {100.0, 200.0, 500.0, 1000.0})
    if (level <= peak_nits || out.empty()) out.push_back(level);
  return out;
}

PatchSet hdr_verification_set(const ChartEncoding& encoding, double peak_nits) {
  if (!encoding.hdr()) throw ValueError("--set", "the hdr verification set is for PQ targets");
  if (!(peak_nits > 0 && peak_nits <= 10000))
    throw ValueError("count", fmt::format("hdr needs the display's peak in (0, 10000] cd/m², got {}", peak_nits));
  const Mat3 p3_to_container = encoding.space.XYZ_to_rgb() * p3d65_space().rgb_to_XYZ();
  // P3-D65 linear light (cd/m² per channel) -> the container's PQ signal.
  auto encode = [&](const Vec3& p3_nits) {
    Vec3 linear = p3_to_container * p3_nits, signal;
    for (int c = 0; c < 3; ++c) signal[c] = pq_inverse_eotf(std::max(linear[c], 0.0));
    return Vec3(signal.cwiseMin(1.0));
  };
  std::vector<Vec3> checker;
  double brightest = 0;
  const Mat3 p3_from_XYZ = p3d65_space().XYZ_to_rgb();
  for (const ReferenceColor& c : colorchecker24_reference()) {
    checker.push_back(p3_from_XYZ * XYZ_d65_from_lab_d50(c.lab_d50));
    brightest = std::max(brightest, checker.back().maxCoeff());
  }
  std::vector<double> classes = hdr_verification_classes(peak_nits);
  PatchSet set = grey_ramp(21, 0, 1, "");
  for (double level : classes) {
    set.rgb.push_back(encode(Vec3::Constant(level)));
    for (const Vec3& colour : primaries_and_secondaries())
      for (int step = 1; step <= 5; ++step) {
        double t = step / 5.0;
        set.rgb.push_back(encode(level * ((1 - t) * Vec3::Ones() + t * colour)));
      }
    for (const Vec3& c : checker) set.rgb.push_back(encode(c * (level / brightest)));
  }
  std::string levels;
  for (double level : classes) levels += (levels.empty() ? "" : "/") + fmt::format("{:g}", level);
  set.description = fmt::format(
      "HDR verification: 21 greys over the PQ range; at {} cd/m²: a grey, P3 hue "
      "sweeps and the ColorChecker 24; {}",
      levels, encoding.name);
  return set;
}

PatchSet accuracy_verification_set() {
  PatchSet out = greyscale_ramp(21);
  append(out, primary_secondary_sweeps(5));
  append(out, random_set(250, 20261121));
  out.description = "accuracy verification set: 21 greys, primary/secondary sweeps, 250 random colours";
  return out;
}

// --- Profiling recommendation ----------------------------------------------------------------

namespace {

// The greys, near-black greys and single-channel ramps of the recommended set of `count`. Shares
// follow the presets DisplayCAL ships (SDR 1553: 97 greys, 33 per channel; HDR 175: 49 greys, 17
// per channel): HDR sets are small and grey-heavy because of ABL and time.
std::vector<Vec3> recommended_structure(bool hdr, int count) {
  int greys = std::clamp(hdr ? count * 28 / 100 : count / 16, 9, 256);
  int near_black = std::clamp(count / 40, 3, 64);
  int ramp = std::clamp(hdr ? count / 10 : count / 48, 3, 64);
  std::vector<Vec3> fixed = greyscale_ramp(greys).rgb;
  for (const Vec3& p : near_black_ramp(near_black + 1, hdr ? 0.25 : 0.1).rgb) fixed.push_back(p);
  for (int c = 0; c < 3; ++c)
    for (int i = 1; i <= ramp; ++i) {
      Vec3 p = Vec3::Zero();
      p[c] = double(i) / ramp;
      fixed.push_back(p);
    }
  return fixed;
}

// Black is read kBlackReadings times (ArgyllCMS targen's default for an RGB display, -B 4): the
// fit fixes black at the mean of the black readings, and a black at the meter's noise floor (an
// OLED's, a PQ panel's) is otherwise one noisy draw that every near-black colour inherits.
constexpr int kBlackReadings = 4;

std::vector<Vec3> fill_with_blacks(const std::vector<Vec3>& fixed, int count) {
  std::vector<Vec3> rgb = farthest_point_fill(fixed, count - (kBlackReadings - 1), 1);
  rgb.insert(rgb.end(), kBlackReadings - 1, Vec3::Zero());
  return rgb;
}

}  // namespace

PatchSet recommended_patch_set(bool hdr, int count) {
  require_count("recommended", count, 32, 20000);
  PatchSet set{fmt::format("recommended {} profiling set, {} patches", hdr ? "HDR" : "SDR", count), {}};
  set.rgb = fill_with_blacks(recommended_structure(hdr, count), count);
  return set;
}

PatchSet adaptive_starting_set(bool hdr, int budget, int start) {
  require_count("adaptive start", start, 32, budget);
  std::vector<Vec3> fixed = recommended_structure(hdr, budget);
  // An HDR budget's structure (28 % greys, a tenth per channel) can outgrow the start: all of it
  // is measured first all the same.
  const int size = std::max<int>(start, int(fixed.size()) + kBlackReadings - 1);
  PatchSet set{fmt::format("adaptive starting set: {} patches, the greys and ramps of the recommended {} set of {}",
                           size, hdr ? "HDR" : "SDR", budget),
               {}};
  set.rgb = fill_with_blacks(fixed, size);
  return set;
}

void scale_for_sdr_on_pq_input(PatchSet& set, double white_nits) {
  double top = std::min(1.0, pq_inverse_eotf(2 * white_nits));
  for (Vec3& v : set.rgb) v *= top;
  set.description += fmt::format(", scaled to PQ signal {:.3f} for an SDR target on a PQ input", top);
}

PatchSet looking_patterns() {
  PatchSet set{"looking patterns: full-field R, G, B, W, K and an 11-step grey ramp",
               {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), grey(1), grey(0)}};
  append(set, grey_ramp(11, 0, 1, ""));
  return set;
}

// --- Order -----------------------------------------------------------------------------------

PatchSet order_for_measurement(const PatchSet& set) {
  std::size_t n = set.rgb.size();
  std::vector<Vec3> labs(n);
  for (std::size_t i = 0; i < n; ++i) labs[i] = nominal_lab(set.rgb[i]);
  std::vector<bool> used(n, false);
  PatchSet ordered{set.description, {}};
  Vec3 at = nominal_lab(Vec3::Zero());
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t best = n;
    double best_d2 = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (used[i]) continue;
      double d2 = (labs[i] - at).squaredNorm();
      if (d2 < best_d2) best_d2 = d2, best = i;
    }
    used[best] = true;
    at = labs[best];
    ordered.rgb.push_back(set.rgb[best]);
  }
  return ordered;
}

}  // namespace calkit
