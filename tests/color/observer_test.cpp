// CIE observers and spectral integration against CIE 15:2004 and physical constants.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "core/error.hpp"

using namespace calkit;

namespace {
// CIE standard illuminant D65, 360-830 nm at 5 nm: CIE 15:2004 Table T.1 (ISO 11664-2).
const std::vector<double> kD65Spd = {
    46.6383, 49.3637, 52.0891, 51.0323, 49.9755, 52.3118, 54.6482, 68.7015, 82.7549, 87.1204, 91.486,  92.4589,
    93.4318, 90.057,  86.6823, 95.7736, 104.865, 110.936, 117.008, 117.41,  117.812, 116.336, 114.861, 115.392,
    115.923, 112.367, 108.811, 109.082, 109.354, 108.578, 107.802, 106.296, 104.79,  106.239, 107.689, 106.047,
    104.405, 104.225, 104.046, 102.023, 100.0,   98.1671, 96.3342, 96.0611, 95.788,  92.2368, 88.6856, 89.3459,
    90.0062, 89.8026, 89.5991, 88.6489, 87.6987, 85.4936, 83.2886, 83.4939, 83.6992, 81.863,  80.0268, 80.1207,
    80.2146, 81.2462, 82.2778, 80.281,  78.2842, 74.0027, 69.7213, 70.6652, 71.6091, 72.979,  74.349,  67.9765,
    61.604,  65.7448, 69.8856, 72.4863, 75.087,  69.3398, 63.5927, 55.0054, 46.4182, 56.6118, 66.8054, 65.0941,
    63.3828, 63.8434, 64.304,  61.8779, 59.4519, 55.7054, 51.959,  54.6998, 57.4406, 58.8765, 60.3125};
}  // namespace

TEST_CASE("D65 white point from its spectrum, 2° and 10° observers (CIE 15:2004 Table T.3)") {
  // Table T.3 is published to 5 decimals and depends on the summation range and interval (here
  // 360-830 nm at 5 nm), so allow 3e-5.
  REQUIRE(kD65Spd.size() == 95);
  Xy two = xy_from_XYZ(XYZ_sum_from_spectrum(kD65Spd, 360, 5, Observer::Cie1931_2deg));
  CHECK(std::abs(two.x - 0.31272) < 3e-5);
  CHECK(std::abs(two.y - 0.32903) < 3e-5);
  Xy ten = xy_from_XYZ(XYZ_sum_from_spectrum(kD65Spd, 360, 5, Observer::Cie1964_10deg));
  CHECK(std::abs(ten.x - 0.31382) < 3e-5);
  CHECK(std::abs(ten.y - 0.33100) < 3e-5);
}

TEST_CASE("Sprague interpolation reproduces the CIE 1931 1 nm table (CVRL ciexyz31_1.csv)") {
  // The CIE 1 nm table is not itself a Sprague interpolation of the 5 nm one, so expect ~1e-4
  // relative agreement, and ~2e-3 on the steep short-wave tail.
  struct Row {
    double nm, x, y, z, rel;
  };
  const Row rows[] = {{381, 0.001502050, 0.0000428264, 0.007083216, 2e-3},
                      {447, 0.344262400, 0.032883680, 1.781699800, 2e-4},
                      {556, 0.528295900, 0.999856700, 0.005303600, 2e-4},
                      {612, 0.979331400, 0.478030400, 0.000283160, 2e-4},
                      {699, 0.012129200, 0.004380075, 0.0, 2e-4}};
  for (const Row& r : rows) {
    Vec3 c = cmf(r.nm);
    INFO(r.nm << " nm: " << c.transpose());
    CHECK(std::abs(c.x() - r.x) < r.rel * std::max(r.x, 0.01));
    CHECK(std::abs(c.y() - r.y) < r.rel * std::max(r.y, 0.01));
    CHECK(std::abs(c.z() - r.z) < r.rel * std::max(r.z, 0.01));
  }
  CHECK(cmf(555).y() == doctest::Approx(1.0));  // V(555 nm) = 1 by definition
  CHECK(cmf(300).isZero());
  CHECK(cmf(900).isZero());
}

TEST_CASE("XYZ_from_spectrum: 1 W/(sr m² nm) over 1 nm at 555 nm is 683 cd/m²") {
  Vec3 xyz = XYZ_from_spectrum({1.0}, 555, 1.0);
  CHECK(xyz.y() == doctest::Approx(683.0).epsilon(1e-9));
  CHECK_THROWS_AS(XYZ_from_spectrum({1.0}, 555, 0.0), InputError);
  CHECK_THROWS_AS(XYZ_from_spectrum({1.0, std::nan("")}, 555, 1.0), InputError);
}

TEST_CASE("Planck radiance integrates to sigma T^4 / pi (Stefan-Boltzmann)") {
  constexpr double sigma = 5.670374419e-8;  // W m^-2 K^-4, CODATA 2018
  double t = 5000, sum = 0;
  for (double nm = 10; nm < 200000; nm += 1) sum += planck_radiance(nm + 0.5, t);
  CHECK(sum == doctest::Approx(sigma * std::pow(t, 4) / std::numbers::pi).epsilon(1e-4));
}
