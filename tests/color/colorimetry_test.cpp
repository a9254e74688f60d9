// CIE colorimetry against LittleCMS and CIE 15 definitions.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <random>

#include "color/colorimetry.hpp"

using namespace calkit;

TEST_CASE("Lab from XYZ agrees with LittleCMS cmsXYZ2Lab (D50 and D65 whites)") {
  std::mt19937_64 rng(1931);
  std::uniform_real_distribution<double> u(0, 1.2);
  for (Xy white_xy : {kD50, kD65}) {
    Vec3 white = XYZ_from_xyY(white_xy, 1.0);
    cmsCIEXYZ cw{white.x(), white.y(), white.z()};
    for (int i = 0; i < 2000; ++i) {
      // include very dark colours to exercise the linear segment
      double s = i % 4 == 0 ? 0.005 : 1.0;
      Vec3 xyz{u(rng) * s, u(rng) * s, u(rng) * s};
      cmsCIEXYZ c{xyz.x(), xyz.y(), xyz.z()};
      cmsCIELab ref;
      cmsXYZ2Lab(&cw, &ref, &c);
      Vec3 lab = lab_from_XYZ(xyz, white);
      CHECK(std::abs(lab.x() - ref.L) < 1e-9);
      CHECK(std::abs(lab.y() - ref.a) < 1e-9);
      CHECK(std::abs(lab.z() - ref.b) < 1e-9);
      cmsCIEXYZ back;
      cmsLab2XYZ(&cw, &back, &ref);
      Vec3 mine = XYZ_from_lab(lab, white);
      CHECK(std::abs(mine.x() - back.X) < 1e-9);
      CHECK(std::abs(mine.z() - back.Z) < 1e-9);
    }
  }
}

TEST_CASE("LCh agrees with LittleCMS cmsLab2LCh") {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> L(0, 100), ab(-120, 120);
  for (int i = 0; i < 1000; ++i) {
    Vec3 lab{L(rng), ab(rng), ab(rng)};
    cmsCIELab cl{lab.x(), lab.y(), lab.z()};
    cmsCIELCh ref;
    cmsLab2LCh(&ref, &cl);
    Vec3 lch = lch_from_lab(lab);
    CHECK(std::abs(lch.y() - ref.C) < 1e-9);
    CHECK(std::abs(lch.z() - ref.h) < 1e-9);
    CHECK((lab_from_lch(lch) - lab).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("xyY and u'v' round trips and the D65 white") {
  Vec3 w = XYZ_from_xyY(kD65, 100);
  // matches the D65 white used in xyz_pair_vectors.csv (Color.js/culori)
  CHECK(w.x() == doctest::Approx(95.04559271).epsilon(1e-9));
  CHECK(w.z() == doctest::Approx(108.9057751).epsilon(1e-9));
  Xy xy = xy_from_XYZ(w);
  CHECK(xy.x == doctest::Approx(0.3127));
  CHECK(xy.y == doctest::Approx(0.3290));
  // CIE 15: D65 u'v' = (0.1978, 0.4683) to 4 decimals
  Uv uv = uv_prime_from_xy(kD65);
  CHECK(uv.u == doctest::Approx(0.1978).epsilon(1e-3));
  CHECK(uv.v == doctest::Approx(0.4683).epsilon(1e-3));
  Xy back = xy_from_uv_prime(uv);
  CHECK(back.x == doctest::Approx(0.3127).epsilon(1e-12));
  Uv uv60 = uv1960_from_xy(kD65);
  CHECK(uv60.v == doctest::Approx(uv.v * 2.0 / 3.0).epsilon(1e-12));
  Xy back60 = xy_from_uv1960(uv60);
  CHECK(back60.y == doctest::Approx(0.3290).epsilon(1e-12));
  CHECK(xy_from_XYZ(Vec3::Zero()).x == kD65.x);
}

TEST_CASE("Lab Jacobian is the derivative of lab_from_XYZ (both sides of CIE's epsilon)") {
  std::mt19937_64 rng(1976);
  std::uniform_real_distribution<double> u(0, 1.2);
  Vec3 white = XYZ_from_xyY(kD65, 1.0);
  for (int i = 0; i < 200; ++i) {
    // Half the samples in the linear toe below (6/29)^3, half above.
    Vec3 XYZ(u(rng), u(rng), u(rng));
    if (i % 2) XYZ *= 0.007;
    Mat3 J;
    CHECK((lab_from_XYZ_with_jacobian(XYZ, white, &J) - lab_from_XYZ(XYZ, white)).norm() < 1e-12);
    for (int k = 0; k < 3; ++k) {
      Vec3 up = XYZ, down = XYZ;
      up[k] += 1e-7;
      down[k] -= 1e-7;
      Vec3 central = (lab_from_XYZ(up, white) - lab_from_XYZ(down, white)) / 2e-7;
      INFO("XYZ " << XYZ.transpose() << " column " << k);
      CHECK((Vec3(J.col(k)) - central).norm() < 1e-5 * std::max(1.0, central.norm()));
    }
  }
}
