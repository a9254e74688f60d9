#pragma once
// The space the solver fits residuals, smooths its correction and maps out-of-gamut colours in.
// Euclidean distance in it is a colour difference: CIELAB dE76 for SDR targets (Lab relative to
// the target white), and dE ITP units (ITU-R BT.2124: 720·(I, Ct/2, Cp)) for PQ targets.
#include "core/types.hpp"

namespace calkit {

class PerceptualSpace {
 public:
  enum class Kind { Lab, Itp };
  static PerceptualSpace lab(const Vec3& white_XYZ);  // white in cd/m²
  static PerceptualSpace itp();

  Kind kind() const { return kind_; }
  const Vec3& white_XYZ() const { return white_; }
  Vec3 from_XYZ(const Vec3& XYZ) const;
  Vec3 to_XYZ(const Vec3& p) const;
  // from_XYZ and its derivative by XYZ (column k: d/d XYZ[k]).
  Vec3 from_XYZ_with_jacobian(const Vec3& XYZ, Mat3* J) const;
  // Lightness (L* or 720·I) and the two opponent axes' hue angle in radians.
  static double lightness(const Vec3& p) { return p.x(); }

 private:
  Kind kind_ = Kind::Lab;
  Vec3 white_ = Vec3::Ones();
};

}  // namespace calkit
