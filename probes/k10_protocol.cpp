#include "probes/k10_protocol.hpp"

#include <algorithm>
#include <cmath>

namespace calkit::k10 {

std::string error_text(char e) {
  switch (e) {
    case '0':
      return "ok";
    case 'B':
    case 'X':
      return "firmware error";
    case 'b':
      return "black level excessive";
    case 's':
      return "black overdrive";
    case 't':
      return "black zero";
    case 'w':
      return "over the high range (too bright)";
    case 'v':
      return "top over range";
    case 'u':
      return "bottom under range";
    case 'L':
      return "aiming lights are on";
    default:
      return std::string("unknown error '") + e + "'";
  }
}

double decode_float(const std::uint8_t* b, bool calibration) {
  const unsigned u = static_cast<unsigned>(b[0]) << 8 | b[1];
  const double m = u & 0x7FFF;
  const int e = static_cast<std::int8_t>(b[2]);
  const double v = std::ldexp(m, e - (calibration ? 15 : 16));
  return (u & 0x8000) ? -v : v;
}

std::array<std::uint8_t, 3> encode_float(double v, bool calibration) {
  if (v == 0 || !std::isfinite(v)) return {0, 0, 0};
  int p = 0;
  const double f = std::frexp(std::fabs(v), &p);  // |v| = f·2^p, f in [0.5, 1)
  long m = std::lround(f * 32768);
  int e = calibration ? p : p + 1;  // m·2^(e−16) = f·2^p with m = f·2^15
  if (m == 32768) m = 16384, ++e;
  const unsigned u = static_cast<unsigned>(m) | (v < 0 ? 0x8000u : 0u);
  return {static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u),
          static_cast<std::uint8_t>(static_cast<std::int8_t>(e))};
}

std::array<int, 3> decode_ranges(std::uint8_t r) {
  const int d = r & 0x1F;
  const int digit[3] = {(d / 9) % 3, (d / 3) % 3, d % 3};
  std::array<int, 3> out{};
  for (int c = 0; c < 3; ++c) out[c] = ((r >> (7 - c)) & 1) + 1 + 2 * digit[c];
  return out;
}

std::uint8_t encode_ranges(const std::array<int, 3>& ranges) {
  int r = 0, d = 0;
  const int weight[3] = {9, 3, 1};
  for (int c = 0; c < 3; ++c) {
    const int k = ranges[c] - 1;  // bit + 2·digit
    r |= (k & 1) << (7 - c);
    d += weight[c] * (k / 2);
  }
  return static_cast<std::uint8_t>(r | d);
}

int readings_to_average(double v) {
  auto cubed = [](double w) { return w * w * w; };
  double n = 1;
  if (v < 0.2)
    n = 20;
  else if (v < 2)
    n = 10 + 10 * cubed(1 - (v - 0.2) / 1.8);
  else if (v < 20)
    n = 4 + 6 * cubed(1 - (v - 2) / 18);
  else if (v < 50)
    n = 2 + 2 * cubed(1 - (v - 20) / 30);
  return static_cast<int>(n + 0.5);
}

Vec3 noise_floor(const std::string& model, int readings) {
  const double sensitivity = model == "K-10-A" || model == "K-10A" ? 3.0 : 1.0;
  const double samples = std::min(32.0 * readings, 512.0);
  const double y = 0.02 / sensitivity / std::sqrt(samples / 32.0);
  return {3 * y, y, 3 * y};
}

}  // namespace calkit::k10
