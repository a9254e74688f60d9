// CIE 15:2004 colorimetry: chromaticity coordinates, CIELAB and LCh.
#include "color/colorimetry.hpp"

#include <cmath>
#include <numbers>

namespace calkit {

namespace {

constexpr double kEpsilon = 216.0 / 24389.0;  // CIE 15:2004 8.2.1, (6/29)^3 as an exact ratio
constexpr double kKappa = 24389.0 / 27.0;

double lab_f(double t) { return t > kEpsilon ? std::cbrt(t) : (kKappa * t + 16.0) / 116.0; }

double lab_f_and_slope(double t, double* slope) {
  if (t > kEpsilon) {
    double f = std::cbrt(t);
    *slope = 1.0 / (3.0 * f * f);
    return f;
  }
  *slope = kKappa / 116.0;
  return (kKappa * t + 16.0) / 116.0;
}

double lab_f_inverse(double f) {
  double t = f * f * f;
  return t > kEpsilon ? t : (116.0 * f - 16.0) / kKappa;
}

}  // namespace

Xy xy_from_XYZ(const Vec3& XYZ, Xy if_black) {
  double sum = XYZ.sum();
  if (sum == 0) return if_black;
  return {XYZ.x() / sum, XYZ.y() / sum};
}

Vec3 XYZ_from_xyY(Xy xy, double Y) {
  if (xy.y == 0) return Vec3::Zero();
  return {xy.x * Y / xy.y, Y, (1.0 - xy.x - xy.y) * Y / xy.y};
}

// CIE 15:2004 eq. 8.11-8.12 (CIE 1976 UCS).
Uv uv_prime_from_xy(Xy xy) {
  double d = -2.0 * xy.x + 12.0 * xy.y + 3.0;
  return {4.0 * xy.x / d, 9.0 * xy.y / d};
}

Uv uv_prime_from_XYZ(const Vec3& XYZ, Xy if_black) { return uv_prime_from_xy(xy_from_XYZ(XYZ, if_black)); }

Xy xy_from_uv_prime(Uv uv) {
  double d = 6.0 * uv.u - 16.0 * uv.v + 12.0;
  return {9.0 * uv.u / d, 4.0 * uv.v / d};
}

// CIE 1960 UCS: v = 2/3 v'.
Uv uv1960_from_xy(Xy xy) {
  double d = -2.0 * xy.x + 12.0 * xy.y + 3.0;
  return {4.0 * xy.x / d, 6.0 * xy.y / d};
}

Xy xy_from_uv1960(Uv uv) {
  double d = 2.0 * uv.u - 8.0 * uv.v + 4.0;
  return {3.0 * uv.u / d, 2.0 * uv.v / d};
}

// CIE 15:2004 eq. 8.3-8.8.
Vec3 lab_from_XYZ(const Vec3& XYZ, const Vec3& white_XYZ) {
  double fx = lab_f(XYZ.x() / white_XYZ.x());
  double fy = lab_f(XYZ.y() / white_XYZ.y());
  double fz = lab_f(XYZ.z() / white_XYZ.z());
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

Vec3 lab_from_XYZ_with_jacobian(const Vec3& XYZ, const Vec3& white_XYZ, Mat3* J) {
  Vec3 f, d;
  for (int k = 0; k < 3; ++k) {
    f[k] = lab_f_and_slope(XYZ[k] / white_XYZ[k], &d[k]);
    d[k] /= white_XYZ[k];
  }
  *J << 0, 116.0 * d[1], 0, 500.0 * d[0], -500.0 * d[1], 0, 0, 200.0 * d[1], -200.0 * d[2];
  return {116.0 * f[1] - 16.0, 500.0 * (f[0] - f[1]), 200.0 * (f[1] - f[2])};
}

Vec3 XYZ_from_lab(const Vec3& lab, const Vec3& white_XYZ) {
  double fy = (lab.x() + 16.0) / 116.0;
  double fx = fy + lab.y() / 500.0;
  double fz = fy - lab.z() / 200.0;
  return {white_XYZ.x() * lab_f_inverse(fx), white_XYZ.y() * lab_f_inverse(fy), white_XYZ.z() * lab_f_inverse(fz)};
}

Vec3 lch_from_lab(const Vec3& lab) {
  double h = std::atan2(lab.z(), lab.y()) * 180.0 / std::numbers::pi;
  if (h < 0) h += 360.0;
  if (h >= 360.0) h -= 360.0;
  return {lab.x(), std::hypot(lab.y(), lab.z()), h};
}

Vec3 lab_from_lch(const Vec3& lch) {
  double h = lch.z() * std::numbers::pi / 180.0;
  return {lch.x(), lch.y() * std::cos(h), lch.y() * std::sin(h)};
}

}  // namespace calkit
