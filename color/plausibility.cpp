#include "color/plausibility.hpp"

#include <cmath>

#include <fmt/format.h>

#include "color/colorimetry.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

constexpr const char* kComponent[] = {"X", "Y", "Z"};

// The first component that cannot be light (its index, or -1) and why.
int implausible_component(const Vec3& XYZ, std::string* why) {
  for (int c = 0; c < 3; ++c) {
    const double v = XYZ[c];
    if (!std::isfinite(v))
      *why = fmt::format("{} is not a finite number", kComponent[c]);
    else if (v < -kReadingNoiseFloor)
      *why = fmt::format(
          "{} = {:g} cd/m² is below zero by more than a probe's noise ({:g}): a display emits no "
          "negative light",
          kComponent[c], v, kReadingNoiseFloor);
    else if (v > kBrightestReading)
      *why = fmt::format("{} = {:g} cd/m² is more than any display emits ({:g})", kComponent[c], v, kBrightestReading);
    else
      continue;
    return c;
  }
  return -1;
}

}  // namespace

std::string implausible_reading(const Vec3& XYZ) {
  std::string why;
  implausible_component(XYZ, &why);
  return why;
}

void check_reading(const Vec3& XYZ, const std::string& file, int line, const std::array<std::string, 3>& fields) {
  std::string why;
  if (int c = implausible_component(XYZ, &why); c >= 0) throw InputError(file, line, fields[c], why);
}

std::string implausible_correction(const Mat3& m) {
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (!std::isfinite(m(r, c)) || std::abs(m(r, c)) > 10)
        return fmt::format("entry ({}, {}) = {:g} is not a correction (each must be within ±10)", r + 1, c + 1,
                           m(r, c));
  if (!(m.determinant() > 0)) return fmt::format("its determinant {:g} is not positive", m.determinant());
  const Vec3 white = XYZ_from_xyY(kD65, 1.0);
  const double y = (m * white).y();
  if (!(y >= 0.5 && y <= 2))
    return fmt::format("it turns the luminance of a white into {:g} times itself (a correction stays within 0.5..2)",
                       y);
  return "";
}

}  // namespace calkit
