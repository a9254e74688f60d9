#pragma once
// Glue between solver targets and verification: what a report needs to know about a Target.
#include "report/verification.hpp"
#include "solver/target.hpp"

namespace calkit {

// Name, gamut primaries and white, EOTF name, white (SDR) or mastering peak (HDR) luminance, the
// target black (the display black BT.1886 compensates for, or the PQ roll-off lifts onto), and
// for PQ the roll-off and the display peak it lands on.
TargetDescription describe_target(const Target& target);

// target_XYZ for evaluate(): the absolute XYZ the calibrated display should show.
inline TargetFunction target_function(const Target& target) {
  return [target](const Vec3& signal) { return target.XYZ(signal); };
}

}  // namespace calkit
