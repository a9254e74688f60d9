// Colour differences: CIE 1976, CIE 1994, CIEDE2000, and BT.2124 dE ITP on BT.2100 ICtCp.
#include "color/difference.hpp"

#include <cmath>
#include <numbers>

#include "color/rgb_space.hpp"
#include "color/transfer.hpp"

namespace calkit {

namespace {
constexpr double kPi = std::numbers::pi;
double deg(double rad) { return rad * 180.0 / kPi; }
double rad(double deg) { return deg * kPi / 180.0; }
}  // namespace

double delta_e76(const Vec3& lab1, const Vec3& lab2) { return (lab1 - lab2).norm(); }

// CIE 116-1995 graphic-arts weights: kL = kC = kH = 1, SC = 1 + 0.045 C1*, SH = 1 + 0.015 C1*,
// with lab1 the reference (the formula is not symmetric).
double delta_e94(const Vec3& lab1, const Vec3& lab2) {
  double c1 = std::hypot(lab1.y(), lab1.z());
  double c2 = std::hypot(lab2.y(), lab2.z());
  double dl = lab1.x() - lab2.x();
  double dc = c1 - c2;
  double da = lab1.y() - lab2.y();
  double db = lab1.z() - lab2.z();
  double dh2 = std::max(da * da + db * db - dc * dc, 0.0);
  double sc = 1.0 + 0.045 * c1;
  double sh = 1.0 + 0.015 * c1;
  return std::sqrt(dl * dl + dc * dc / (sc * sc) + dh2 / (sh * sh));
}

// CIE 142-2001, following the implementation notes of Sharma, Wu and Dalal (2005), eq. 1-22.
double delta_e2000(const Vec3& lab1, const Vec3& lab2, double kL, double kC, double kH) {
  const double pow25_7 = 6103515625.0;  // 25^7
  double c1 = std::hypot(lab1.y(), lab1.z());
  double c2 = std::hypot(lab2.y(), lab2.z());
  double c_mean = (c1 + c2) / 2.0;
  double c_mean7 = std::pow(c_mean, 7.0);
  double g = 0.5 * (1.0 - std::sqrt(c_mean7 / (c_mean7 + pow25_7)));
  double a1p = (1.0 + g) * lab1.y();
  double a2p = (1.0 + g) * lab2.y();
  double c1p = std::hypot(a1p, lab1.z());
  double c2p = std::hypot(a2p, lab2.z());
  auto hue = [](double b, double ap) {
    if (b == 0 && ap == 0) return 0.0;
    double h = deg(std::atan2(b, ap));
    return h < 0 ? h + 360.0 : h;
  };
  double h1p = hue(lab1.z(), a1p);
  double h2p = hue(lab2.z(), a2p);

  double dlp = lab2.x() - lab1.x();
  double dcp = c2p - c1p;
  double dhp = 0;
  if (c1p * c2p != 0) {
    dhp = h2p - h1p;
    if (dhp > 180.0)
      dhp -= 360.0;
    else if (dhp < -180.0)
      dhp += 360.0;
  }
  double dHp = 2.0 * std::sqrt(c1p * c2p) * std::sin(rad(dhp / 2.0));

  double lp_mean = (lab1.x() + lab2.x()) / 2.0;
  double cp_mean = (c1p + c2p) / 2.0;
  double hp_mean = h1p + h2p;
  if (c1p * c2p != 0) {
    if (std::abs(h1p - h2p) <= 180.0)
      hp_mean /= 2.0;
    else if (h1p + h2p < 360.0)
      hp_mean = (h1p + h2p + 360.0) / 2.0;
    else
      hp_mean = (h1p + h2p - 360.0) / 2.0;
  }
  double t = 1.0 - 0.17 * std::cos(rad(hp_mean - 30.0)) + 0.24 * std::cos(rad(2.0 * hp_mean)) +
             0.32 * std::cos(rad(3.0 * hp_mean + 6.0)) - 0.20 * std::cos(rad(4.0 * hp_mean - 63.0));
  double d_theta = 30.0 * std::exp(-std::pow((hp_mean - 275.0) / 25.0, 2.0));
  double cp_mean7 = std::pow(cp_mean, 7.0);
  double rc = 2.0 * std::sqrt(cp_mean7 / (cp_mean7 + pow25_7));
  double l50 = (lp_mean - 50.0) * (lp_mean - 50.0);
  double sl = 1.0 + 0.015 * l50 / std::sqrt(20.0 + l50);
  double sc = 1.0 + 0.045 * cp_mean;
  double sh = 1.0 + 0.015 * cp_mean * t;
  double rt = -std::sin(rad(2.0 * d_theta)) * rc;

  double tl = dlp / (kL * sl);
  double tc = dcp / (kC * sc);
  double th = dHp / (kH * sh);
  return std::sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
}

// ---- ITU-R BT.2100-2 ICtCp (PQ) ----

namespace {

Mat3 rec2020_to_lms() {
  Mat3 m;
  m << 1688, 2146, 262, 683, 2951, 462, 99, 309, 3688;
  return m / 4096.0;
}

Mat3 lms_to_ictcp() {
  Mat3 m;
  m << 2048, 2048, 0, 6610, -13613, 7003, 17933, -17390, -543;
  return m / 4096.0;
}

Vec3 ictcp_from_lms(const Vec3& lms) {
  Vec3 lms_pq{pq_inverse_eotf(lms.x()), pq_inverse_eotf(lms.y()), pq_inverse_eotf(lms.z())};
  return lms_to_ictcp() * lms_pq;
}

}  // namespace

Mat3 ictcp_rec2020_to_lms_matrix() { return rec2020_to_lms(); }
Mat3 ictcp_lms_to_ictcp_matrix() { return lms_to_ictcp(); }
Mat3 ictcp_XYZ_to_lms_matrix() { return rec2020_to_lms() * rec2020_space().XYZ_to_rgb(); }

Vec3 ictcp_from_rec2020(const Vec3& rgb2020_nits) { return ictcp_from_lms(rec2020_to_lms() * rgb2020_nits); }

Vec3 ictcp_from_XYZ(const Vec3& XYZ_nits) { return ictcp_from_lms(ictcp_XYZ_to_lms_matrix() * XYZ_nits); }

double delta_e_itp(const Vec3& ictcp1, const Vec3& ictcp2) {
  Vec3 d = ictcp1 - ictcp2;
  d.y() *= 0.5;  // T = 0.5 Ct
  return 720.0 * d.norm();
}

double delta_e_itp_XYZ(const Vec3& XYZ1_nits, const Vec3& XYZ2_nits) {
  return delta_e_itp(ictcp_from_XYZ(XYZ1_nits), ictcp_from_XYZ(XYZ2_nits));
}

}  // namespace calkit
