#include "patterns/patch_codes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace calkit {

int convert_code(int code, int from_bits, int to_bits, SignalRange range) {
  if (from_bits == to_bits) return code;
  const std::int64_t to_max = (std::int64_t{1} << to_bits) - 1;
  std::int64_t out;
  if (range == SignalRange::Legal) {
    if (to_bits > from_bits) {
      out = std::int64_t{code} << (to_bits - from_bits);
    } else {
      int shift = from_bits - to_bits;
      out = (std::int64_t{code} + (std::int64_t{1} << (shift - 1))) >> shift;
    }
  } else {
    const std::int64_t from_max = (std::int64_t{1} << from_bits) - 1;
    out = (std::int64_t{code} * to_max * 2 + from_max) / (2 * from_max);  // round half up
  }
  return static_cast<int>(std::clamp<std::int64_t>(out, 0, to_max));
}

std::array<int, 3> codes_at_bits(const Patch& patch, int bits) {
  std::array<int, 3> out{};
  for (int c = 0; c < 3; ++c) out[c] = convert_code(patch.code[c], patch.bits, bits, patch.range);
  return out;
}

Patch patch_at_bits(const Patch& patch, int bits) {
  Patch out = patch;
  out.code = codes_at_bits(patch, bits);
  out.bits = bits;
  return out;
}

double background_signal(const Background& background, const Vec3& signal, double window_percent) {
  switch (background.kind) {
    case BackgroundKind::Black:
      return 0;
    case BackgroundKind::Grey:
      return std::clamp(background.level, 0.0, 1.0);
    case BackgroundKind::ConstantApl: {
      double area = std::clamp(window_percent / 100, 0.0, 1.0);
      if (area >= 1) return 0;
      double bg = (background.level - area * signal.mean()) / (1 - area);
      return std::clamp(bg, 0.0, 1.0);
    }
  }
  return 0;
}

int background_code(const Patch& patch, int bits) {
  double level = background_signal(patch.background, patch.signal(), patch.window_percent);
  return Patch::from_rgb(Vec3::Constant(level), bits, patch.range).code[0];
}

double window_side(double window_percent) { return std::sqrt(std::clamp(window_percent, 0.0, 100.0) / 100); }

bool is_centred(const Patch& patch) { return patch.centre_x == 0.5 && patch.centre_y == 0.5; }

namespace {
double placed(double centre, double side) {
  if (centre == 0.5) return (1 - side) / 2;
  return std::clamp(centre - side / 2, 0.0, 1 - side);
}
}  // namespace

WindowGeometry window_geometry(const Patch& patch) {
  double side = window_side(patch.window_percent);
  return {placed(patch.centre_x, side), placed(patch.centre_y, side), side, side};
}

double window_percent_from_area(double area_fraction) {
  return std::round(std::clamp(area_fraction, 0.0, 1.0) * 10000) / 100;
}

}  // namespace calkit
