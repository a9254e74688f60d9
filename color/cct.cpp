// Correlated colour temperature, Duv and the Planckian and daylight loci.
#include "color/cct.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "color/robertson1968.hpp"
#include "core/error.hpp"

namespace calkit {

namespace {

void check_xy(Xy xy) {
  if (!std::isfinite(xy.x) || !std::isfinite(xy.y) || xy.x <= 0 || xy.y <= 0 || xy.x + xy.y >= 1)
    throw ValueError("xy",
                     "chromaticity (" + std::to_string(xy.x) + ", " + std::to_string(xy.y) + ") is not a real colour");
}

void check_kelvin(double cct, double lo, double hi, const char* what) {
  if (!std::isfinite(cct) || cct < lo || cct > hi)
    throw ValueError("cct", std::string(what) + " is defined for " + std::to_string(static_cast<int>(lo)) + "-" +
                                std::to_string(static_cast<int>(hi)) + " K, got " + std::to_string(cct));
}

// CIE 1931 2° CMFs at 1 nm, 360-830 nm (Sprague-interpolated from the CIE 5 nm table), built once.
const std::vector<Vec3>& cmf_1nm() {
  static const std::vector<Vec3> table = [] {
    std::vector<Vec3> t;
    for (int nm = 360; nm <= 830; ++nm) t.push_back(cmf(nm, Observer::Cie1931_2deg));
    return t;
  }();
  return table;
}

Uv planckian_uv(double cct) {
  Vec3 sum = Vec3::Zero();
  const auto& t = cmf_1nm();
  for (size_t i = 0; i < t.size(); ++i) sum += planck_radiance(360.0 + i, cct) * t[i];
  return uv1960_from_xy(xy_from_XYZ(sum));
}

struct LocusPoint {
  double cct;
  Uv uv;
  double distance;
};

}  // namespace

// McCamy 1992: n = (x - 0.3320) / (0.1858 - y).
double cct_mccamy(Xy xy) {
  check_xy(xy);
  double n = (xy.x - 0.3320) / (0.1858 - xy.y);
  return ((449.0 * n + 3525.0) * n + 6823.3) * n + 5520.33;
}

// Robertson 1968: signed distances to neighbouring isotemperature lines, interpolated in mired.
CctDuv cct_robertson(Xy xy) {
  check_xy(xy);
  Uv uv = uv1960_from_xy(xy);
  const auto& lines = robertson1968_lines();
  double prev_d = 0, prev_du = 0, prev_dv = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const RobertsonLine& l = lines[i];
    double len = std::hypot(1.0, l.slope);
    double du = 1.0 / len, dv = l.slope / len;  // unit vector along the isotemperature line
    double uu = uv.u - l.u, vv = uv.v - l.v;
    double d = vv * du - uu * dv;  // signed distance, positive on the hot side
    if (d <= 0 && i > 0) {
      const RobertsonLine& p = lines[i - 1];
      double f = prev_d / (prev_d - d);  // 0 at line i-1, 1 at line i
      double mired = p.mired + f * (l.mired - p.mired);
      double lu = p.u + f * (l.u - p.u), lv = p.v + f * (l.v - p.v);
      double iu = prev_du + f * (du - prev_du), iv = prev_dv + f * (dv - prev_dv);
      double il = std::hypot(iu, iv);
      double duv = -((uv.u - lu) * iu + (uv.v - lv) * iv) / il;
      return {1e6 / mired, duv};
    }
    if (d <= 0) break;  // hotter than infinity
    prev_d = d, prev_du = du, prev_dv = dv;
  }
  throw ValueError("xy", "chromaticity outside the Robertson 1968 table (1667 K to infinity)");
}

// Ohno 2014 (LEUKOS 10(1):47-55): cascade of Planckian tables around the closest point, then the
// triangular solution, or the parabolic one when |Duv| >= 0.002.
CctDuv cct_ohno2013(Xy xy) {
  check_xy(xy);
  Uv uv = uv1960_from_xy(xy);
  auto point = [&](double t) {
    Uv p = planckian_uv(t);
    return LocusPoint{t, p, std::hypot(uv.u - p.u, uv.v - p.v)};
  };
  double lo = 1000, hi = 100000;
  constexpr int kCount = 10;
  std::array<LocusPoint, 3> best{};
  for (int iteration = 0; iteration < 40; ++iteration) {
    std::array<LocusPoint, kCount> table;
    for (int i = 0; i < kCount; ++i) table[i] = point(lo + (hi - lo) * i / (kCount - 1));
    int m = 0;
    for (int i = 1; i < kCount; ++i)
      if (table[i].distance < table[m].distance) m = i;
    int a = std::max(m - 1, 0), b = std::min(m + 1, kCount - 1);
    best = {table[a], table[m], table[b]};
    lo = table[a].cct, hi = table[b].cct;
    if (hi - lo < 0.5) break;
  }
  if (best[1].cct <= 1000.5 || best[1].cct >= 100000 - 0.5)
    throw ValueError("xy", "CCT outside 1000-100000 K (Ohno 2013 table)");
  const LocusPoint& p0 = best[0];
  const LocusPoint& p1 = best[1];
  const LocusPoint& p2 = best[2];
  // triangular solution
  double l = std::hypot(p2.uv.u - p0.uv.u, p2.uv.v - p0.uv.v);
  double x = (p0.distance * p0.distance - p2.distance * p2.distance + l * l) / (2 * l);
  double cct = p0.cct + (p2.cct - p0.cct) * x / l;
  double v_locus = p0.uv.v + (p2.uv.v - p0.uv.v) * x / l;
  double sign = uv.v - v_locus >= 0 ? 1.0 : -1.0;
  double duv = sign * std::sqrt(std::max(p0.distance * p0.distance - x * x, 0.0));
  if (std::abs(duv) >= 0.002) {
    // parabolic solution through the three (T, d) points
    double X = (p2.cct - p1.cct) * (p0.cct - p2.cct) * (p1.cct - p0.cct);
    double A = (p0.cct * (p2.distance - p1.distance) + p1.cct * (p0.distance - p2.distance) +
                p2.cct * (p1.distance - p0.distance)) /
               X;
    double B = -(p0.cct * p0.cct * (p2.distance - p1.distance) + p1.cct * p1.cct * (p0.distance - p2.distance) +
                 p2.cct * p2.cct * (p1.distance - p0.distance)) /
               X;
    double C = -(p0.distance * (p2.cct - p1.cct) * p1.cct * p2.cct + p1.distance * (p0.cct - p2.cct) * p0.cct * p2.cct +
                 p2.distance * (p1.cct - p0.cct) * p0.cct * p1.cct) /
               X;
    cct = -B / (2 * A);
    duv = sign * (A * cct * cct + B * cct + C);
  }
  return {cct, duv};
}

// Ohno 2014 / ANSI C78.377-2017 polynomial approximation of Duv.
double duv_ohno2014(Xy xy) {
  check_xy(xy);
  Uv uv = uv1960_from_xy(xy);
  double lfp = std::hypot(uv.u - 0.292, uv.v - 0.24);
  double a = std::acos((uv.u - 0.292) / lfp);
  constexpr double k[7] = {-0.471106, 1.925865, -2.4243787, 1.5317403, -0.5179722, 0.0893944, -0.00616793};
  double lbb = 0;
  for (int i = 6; i >= 0; --i) lbb = lbb * a + k[i];
  return lfp - lbb;
}

Xy planckian_xy(double cct) {
  check_kelvin(cct, 100, 1e6, "the Planckian locus");
  return xy_from_uv1960(planckian_uv(cct));
}

// Offset by Duv along the normal of the locus, positive towards +v (Ohno 2014, eq. 6-7).
Xy xy_from_cct_duv(double cct, double duv) {
  check_kelvin(cct, 100, 1e6, "the Planckian locus");
  Uv p = planckian_uv(cct);
  Uv q = planckian_uv(cct + 0.01 * cct / 1000.0 + 0.01);
  double du = q.u - p.u, dv = q.v - p.v;
  double len = std::hypot(du, dv);
  double nu = -dv / len, nv = du / len;
  if (nv < 0) nu = -nu, nv = -nv;
  return xy_from_uv1960({p.u + duv * nu, p.v + duv * nv});
}

// CIE 15:2004 eq. 3.3-3.4, daylight locus for 4000-25000 K.
Xy daylight_xy(double cct) {
  check_kelvin(cct, 4000, 25000, "the CIE daylight locus");
  double t = cct, t2 = t * t, t3 = t2 * t;
  double x = cct <= 7000 ? -4.6070e9 / t3 + 2.9678e6 / t2 + 0.09911e3 / t + 0.244063
                         : -2.0064e9 / t3 + 1.9018e6 / t2 + 0.24748e3 / t + 0.237040;
  return {x, -3.000 * x * x + 2.870 * x - 0.275};
}

}  // namespace calkit
