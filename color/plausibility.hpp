#pragma once
// What a probe can read off a display, and what a colorimeter correction can do to a reading: the
// one check that every reader of measurements, the measuring session (before it journals a
// reading) and the correction files apply, so a broken number never reaches a fit or a LUT.
#include <array>
#include <string>

#include "core/types.hpp"

namespace calkit {

// How far below zero a component may be: a colorimeter's noise and dark offset near black,
// stored as measured (cd/m²). Anything further down is not light.
inline constexpr double kReadingNoiseFloor = 1.0;
// How far above zero it may be: PQ ends at 10,000 cd/m², and a saturated blue's Z is about 18
// times its Y (cd/m²).
inline constexpr double kBrightestReading = 1e6;

// Why XYZ (absolute, cd/m²) cannot be a reading of a display, naming the component, or "" when it
// can: every component finite and within [-kReadingNoiseFloor, kBrightestReading].
std::string implausible_reading(const Vec3& XYZ);
// InputError(file, line, fields[c], why) for the first implausible component c.
void check_reading(const Vec3& XYZ, const std::string& file, int line, const std::array<std::string, 3>& fields);

// Why `m` cannot be a colorimeter correction (XYZ measured -> XYZ corrected), or "" when it can:
// finite entries within ±10, a positive determinant (it does not mirror colours), and the
// luminance of D65 white kept positive and within a factor of 2 (real corrections move it by a
// few per cent).
std::string implausible_correction(const Mat3& m);

}  // namespace calkit
