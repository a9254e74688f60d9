#include "patches/patch_set_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace calkit {

const std::vector<PatchSetKind>& patch_set_table() {
  using C = PatchCount;
  // Default sizes: DisplayCAL's presets where one exists (SDR 3D LUT ~1000-1500, HDR 175;
  // verification greys in 5 % steps), research/patterns.md section 6.
  static const std::vector<PatchSetKind> table = {
      {"recommended", "greys, near-black greys, single-channel ramps and an optimised fill (profiling)", C::Patches,
       1000, 175, true, [](int n, const ChartEncoding& e, std::uint64_t) { return recommended_patch_set(e.hdr(), n); }},
      {"optimised", "farthest-point fill of the display's colour space", C::Patches, 1000, 0, true,
       [](int n, const ChartEncoding&, std::uint64_t seed) { return optimised_set(n, seed); }},
      {"random", "seeded uniform random device RGB", C::Patches, 100, 0, true,
       [](int n, const ChartEncoding&, std::uint64_t seed) { return random_set(n, seed); }},
      {"cube", "an N³ device-RGB grid", C::PointsPerSide, 9, 0, true,
       [](int n, const ChartEncoding&, std::uint64_t) { return rgb_cube(n); }},
      {"greyscale", "a grey ramp from black to white", C::Steps, 21, 0, false,
       [](int n, const ChartEncoding&, std::uint64_t) { return greyscale_ramp(n); }},
      {"near-black", "greys from black to 10 %", C::Steps, 11, 0, false,
       [](int n, const ChartEncoding&, std::uint64_t) { return near_black_ramp(n); }},
      {"near-white", "greys from 90 % to white", C::Steps, 11, 0, false,
       [](int n, const ChartEncoding&, std::uint64_t) { return near_white_ramp(n); }},
      {"sweeps", "primary and secondary luminance and saturation sweeps", C::Steps, 4, 0, false,
       [](int n, const ChartEncoding&, std::uint64_t) { return primary_secondary_sweeps(n); }},
      {"colorchecker", "ColorChecker 24 (X-Rite 2014) in the target's encoding (verification)", C::Fixed, 0, 0, false,
       [](int, const ChartEncoding& e, std::uint64_t) { return colorchecker_set(e); }},
      {"extended", "greys, ramps, skin tones, ColorChecker and random colours in the target's encoding (verification)",
       C::Fixed, 0, 0, false,
       [](int, const ChartEncoding& e, std::uint64_t seed) { return extended_verification_set(e, seed); }},
      {"hdr",
       "PQ verification at the display's levels: greys over the PQ range, P3 hue sweeps and ColorChecker at "
       "100/200/500/1000 cd/m² up to the display's peak (--count: the peak, cd/m²)",
       C::PeakNits, 1000, 1000, false,
       [](int peak, const ChartEncoding& e, std::uint64_t) { return hdr_verification_set(e, peak); }},
      {"accuracy", "greys, sweeps and 250 random colours: bench_accuracy's verification set", C::Fixed, 0, 0, false,
       [](int, const ChartEncoding&, std::uint64_t) { return accuracy_verification_set(); }},
      {"looking", "full-field R, G, B, W, K and an 11-step grey ramp (shown, not measured)", C::Fixed, 0, 0, false,
       [](int, const ChartEncoding&, std::uint64_t) { return looking_patterns(); }},
  };
  return table;
}

std::vector<std::string> patch_set_names() {
  std::vector<std::string> names;
  for (const PatchSetKind& kind : patch_set_table()) names.push_back(kind.name);
  return names;
}

const PatchSetKind& patch_set_kind(std::string_view name) {
  if (name == "optimized") name = "optimised";
  for (const PatchSetKind& kind : patch_set_table())
    if (kind.name == name) return kind;
  throw ValueError("--set", fmt::format("unknown patch set '{}' ({})", name, fmt::join(patch_set_names(), ", ")));
}

PatchSet patch_set_by_name(std::string_view name, int count, const ChartEncoding& encoding, std::uint64_t seed) {
  const PatchSetKind& kind = patch_set_kind(name);
  if (count == 0) count = encoding.hdr() && kind.default_count_hdr ? kind.default_count_hdr : kind.default_count;
  return kind.make(count, encoding, seed);
}

}  // namespace calkit
