#pragma once
// Guidance for adjusting a display's own controls before it is profiled (`calkit adjust`): how far
// its white is from the target white in colour (Δu′v′) and light (cd/m²), which control to move
// which way, and when it is close enough. Calibration then has little left to correct, and the
// LUT keeps the display's code range instead of throwing the top of it away.
#include <optional>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "core/types.hpp"

namespace calkit {

struct AdjustTarget {
  Xy white = kD65;
  double nits = 100;              // 0: as bright as the display goes (PQ): no light guidance
  double tolerance_uv = 0.002;    // Δu′v′ at which the white is close enough (as `calkit match`)
  double tolerance_light = 0.03;  // relative luminance error that is close enough
};

// One control to move: "light" (backlight / OLED light), "red gain", "green gain", "blue gain".
struct AdjustStep {
  std::string control;
  double change = 0;  // relative: -0.12 = lower it by 12 %
};

struct AdjustGuidance {
  Vec3 white_XYZ = Vec3::Zero();
  double nits = 0;
  Xy xy;
  Uv uv;
  double delta_uv = 0;            // Δu′v′ from the target white (CIE 1976 u′v′, Euclidean)
  double cct = 0;                 // K; NaN far from the Planckian locus
  double duv = 0;                 // CIE 1960 distance from the locus (Ohno 2014)
  double light_error = 0;         // nits / target - 1 (0 without a light target)
  std::vector<AdjustStep> steps;  // the gains first, the light last; empty when close enough
  bool white_close = false, light_close = false, close_enough = false;
};

// The guidance for a white reading. `primaries_XYZ` (columns: full red, green, blue as read)
// turn the white's colour error into RGB gain changes: the gains g that make the channels' mix
// the target white, g = (P⁻¹ t) ./ (P⁻¹ w), scaled so the largest is 1 (gains are lowered, never
// raised above full drive). Without them (or when they are singular) only the white's distance
// is given. Changing a gain or the light scales P's columns, which leaves g unchanged: the
// primaries need reading once.
AdjustGuidance adjust_guidance(const Vec3& white_XYZ, const std::optional<Mat3>& primaries_XYZ,
                               const AdjustTarget& target);

// "lower the red gain by 2.1 %" for a person; the JSON carries the numbers.
std::string describe_step(const AdjustStep& step);

}  // namespace calkit
