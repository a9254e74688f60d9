#pragma once
// The meter's noise on each reading: what the fit weighs the readings by and what the bias test
// measures the residuals against (issue 20).
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"

namespace calkit {

// The noise assumed for readings whose probe states none: 1 sigma per XYZ component,
// sqrt((relative · XYZ)² + floor²), a good colorimeter's repeatability (the SimProbe's relative
// noise; the floor a colorimeter reaches integrating longer on dark patches).
struct NoiseModel {
  double relative = 0.002;
  double floor_nits = 0.002;
  Vec3 sigma(const Vec3& XYZ) const;
};

// Each reading's 1-sigma per XYZ component: its stated uncertainty where the probe gives one;
// else `assumed`, scaled by the spread of repeated readings of one patch when they have at least
// 30 degrees of freedom (identical values are one reading stored twice and do not count).
// `source` says which, in words.
std::vector<Vec3> reading_sigmas(const std::vector<Reading>& readings, const NoiseModel& assumed,
                                 std::string* source = nullptr);

}  // namespace calkit
