#include "patterns/pattern_generator.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace calkit {

namespace {

void check_bits(int bits) {
  if (bits != 8 && bits != 10 && bits != 12)
    throw ValueError("bits", "patch bit depth must be 8, 10 or 12, not " + std::to_string(bits));
}

double full_scale(int bits) { return std::ldexp(1.0, bits) - 1; }
double legal_scale(int bits) { return std::ldexp(1.0, bits - 8); }  // bit shift of 8-bit levels

}  // namespace

// Full range: D = round(E * (2^n - 1)). Legal ("narrow") range: D = round((219 E + 16) * 2^(n-8)),
// ITU-R BT.709-6 item 6.10 at 8 bits and ITU-R BT.2100-2 Table 9 at 10 and 12 bits.
Patch Patch::from_rgb(const Vec3& rgb, int bits, SignalRange range) {
  check_bits(bits);
  if (!rgb.allFinite()) throw ValueError("rgb", "patch RGB must be finite");
  Patch p;
  p.bits = bits;
  p.range = range;
  for (int c = 0; c < 3; ++c) {
    double v = std::clamp(rgb[c], 0.0, 1.0);
    double code = range == SignalRange::Full ? v * full_scale(bits) : (219 * v + 16) * legal_scale(bits);
    p.code[c] = static_cast<int>(std::lround(code));
  }
  return p;
}

// Inverse of the above; legal codes outside 16-235 (scaled) decode below 0 or above 1, as the
// footroom and headroom do; the display clips them.
Vec3 Patch::signal() const {
  check_bits(bits);
  Vec3 s;
  for (int c = 0; c < 3; ++c)
    s[c] = range == SignalRange::Full ? code[c] / full_scale(bits) : (code[c] / legal_scale(bits) - 16) / 219;
  return s;
}

}  // namespace calkit
