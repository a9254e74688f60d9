#pragma once
// CIE colorimetry (CIE 15:2004): XYZ, xyY, u'v', CIELAB, LCh. XYZ is absolute cd/m² inside calkit
// unless a function says otherwise; Lab takes the reference white as XYZ on the same scale.
#include "core/types.hpp"

namespace calkit {

// Video white points, CIE 1931 2° xy, to the 4 decimals the ITU-R recommendations use.
inline constexpr Xy kD65{0.3127, 0.3290};
inline constexpr Xy kD50{0.3457, 0.3585};
inline constexpr Xy kDciWhite{0.314, 0.351};

// CIE 1976 u'v' and CIE 1960 uv chromaticity.
struct Uv {
  double u = 0;
  double v = 0;
};

Xy xy_from_XYZ(const Vec3& XYZ, Xy if_black = kD65);  // black has no chromaticity: if_black
Vec3 XYZ_from_xyY(Xy xy, double Y);
Uv uv_prime_from_xy(Xy xy);
Uv uv_prime_from_XYZ(const Vec3& XYZ, Xy if_black = kD65);
Xy xy_from_uv_prime(Uv uv);
Uv uv1960_from_xy(Xy xy);
Xy xy_from_uv1960(Uv uv);

Vec3 lab_from_XYZ(const Vec3& XYZ, const Vec3& white_XYZ);
// lab_from_XYZ and its derivative by XYZ (column k: d/d XYZ[k]), for the solver's Jacobians.
Vec3 lab_from_XYZ_with_jacobian(const Vec3& XYZ, const Vec3& white_XYZ, Mat3* J);
Vec3 XYZ_from_lab(const Vec3& lab, const Vec3& white_XYZ);
Vec3 lch_from_lab(const Vec3& lab);  // hue in degrees, [0, 360)
Vec3 lab_from_lch(const Vec3& lch);

}  // namespace calkit
