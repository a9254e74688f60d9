// dE76/94/2000 and ICtCp/dE ITP against published vectors and LittleCMS.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <random>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "csv_rows.hpp"

using namespace calkit;
using calkit::test::read_vectors;

namespace {
Vec3 lab_of(const calkit::test::CsvRow& r, const char* l, const char* a, const char* b) {
  return {r.num(l), r.num(a), r.num(b)};
}
cmsCIELab cms_lab(const Vec3& v) { return {v.x(), v.y(), v.z()}; }
}  // namespace

TEST_CASE("CIEDE2000 reproduces all 34 Sharma 2005 pairs and is symmetric") {
  auto rows = read_vectors("ciede2000_sharma.csv");
  REQUIRE(rows.size() == 34);
  for (const auto& r : rows) {
    Vec3 lab1 = lab_of(r, "L1", "a1", "b1");
    Vec3 lab2 = lab_of(r, "L2", "a2", "b2");
    INFO("pair " << r.str("pair"));
    CHECK(std::abs(delta_e2000(lab1, lab2) - r.num("dE00")) < 1e-4);
    CHECK(std::abs(delta_e2000(lab2, lab1) - r.num("dE00")) < 1e-4);
    CHECK(std::abs(delta_e2000(lab1, lab2) - delta_e2000(lab2, lab1)) < 1e-12);
  }
}

TEST_CASE("CIEDE2000 agrees with LittleCMS cmsCIE2000DeltaE on 10000 random Lab pairs") {
  std::mt19937_64 rng(20261121);
  std::uniform_real_distribution<double> L(0, 100), ab(-128, 128);
  double worst = 0;
  for (int i = 0; i < 10000; ++i) {
    Vec3 p{L(rng), ab(rng), ab(rng)}, q{L(rng), ab(rng), ab(rng)};
    cmsCIELab lp = cms_lab(p), lq = cms_lab(q);
    worst = std::max(worst, std::abs(delta_e2000(p, q) - cmsCIE2000DeltaE(&lp, &lq, 1, 1, 1)));
  }
  CHECK(worst < 1e-9);
}

TEST_CASE("CIEDE2000 agrees with LittleCMS on small differences near the hue wrap") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> L(0, 100), ab(-5, 5), d(-2, 2);
  double worst = 0;
  for (int i = 0; i < 10000; ++i) {
    Vec3 p{L(rng), ab(rng), ab(rng)};
    Vec3 q = p + Vec3{d(rng), d(rng), d(rng)};
    cmsCIELab lp = cms_lab(p), lq = cms_lab(q);
    worst = std::max(worst, std::abs(delta_e2000(p, q) - cmsCIE2000DeltaE(&lp, &lq, 1, 1, 1)));
  }
  CHECK(worst < 1e-9);
}

TEST_CASE("dE76 is the CIELAB distance, as LittleCMS cmsDeltaE") {
  std::mt19937_64 rng(76);
  std::uniform_real_distribution<double> L(0, 100), ab(-128, 128);
  for (int i = 0; i < 1000; ++i) {
    Vec3 p{L(rng), ab(rng), ab(rng)}, q{L(rng), ab(rng), ab(rng)};
    cmsCIELab lp = cms_lab(p), lq = cms_lab(q);
    CHECK(std::abs(delta_e76(p, q) - cmsDeltaE(&lp, &lq)) < 1e-9);
  }
}

TEST_CASE("dE94 graphic arts matches published values") {
  // python-colormath tests/test_color_diff.py: (0.9, 16.3, -2.22) vs (0.7, 14.2, -1.80) -> 1.249
  // and vs (69.34, -0.88, -52.57) -> 78.0778 (CIE 1994 graphic arts, reference = first colour).
  Vec3 ref{0.9, 16.3, -2.22};
  CHECK(std::abs(delta_e94(ref, {0.7, 14.2, -1.80}) - 1.249) < 5e-4);
  CHECK(std::abs(delta_e94(ref, {69.34, -0.88, -52.57}) - 78.0778) < 5e-5);
}

TEST_CASE("dE94 of a pure lightness difference equals dE76 (LittleCMS cmsCIE94DeltaE too)") {
  // LittleCMS uses textile-like constants with a geometric-mean chroma, so it only agrees with
  // CIE 116 graphic arts when chroma and hue do not differ.
  Vec3 p{40, 20, -30}, q{47, 20, -30};
  cmsCIELab lp = cms_lab(p), lq = cms_lab(q);
  CHECK(delta_e94(p, q) == doctest::Approx(7.0).epsilon(1e-12));
  CHECK(delta_e94(p, q) == doctest::Approx(cmsCIE94DeltaE(&lp, &lq)).epsilon(1e-12));
}

TEST_CASE("ICtCp matches the BT.2100 vectors from Rec.2020 RGB and from XYZ") {
  for (const auto& r : read_vectors("ictcp_vectors.csv")) {
    Vec3 in{r.num("in1"), r.num("in2"), r.num("in3")};
    Vec3 want{r.num("I"), r.num("Ct"), r.num("Cp")};
    Vec3 got = r.str("input_space") == "rgb2020_abs" ? ictcp_from_rec2020(in) : ictcp_from_XYZ(in);
    INFO(r.str("note"));
    CHECK((got - want).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("dE ITP reproduces BT.2124 pairs from colour-science") {
  auto rows = read_vectors("deltaitp_pairs.csv");
  REQUIRE(rows.size() == 9);
  for (const auto& r : rows) {
    Vec3 a{r.num("I1"), r.num("Ct1"), r.num("Cp1")}, b{r.num("I2"), r.num("Ct2"), r.num("Cp2")};
    INFO(r.str("label"));
    CHECK(std::abs(delta_e_itp(a, b) - r.num("dE_ITP_expected")) < 1e-7);
  }
}

TEST_CASE("XYZ pairs: Lab (D65), dE2000 and dE ITP match Color.js/culori/LittleCMS") {
  Vec3 white = XYZ_from_xyY(kD65, 100.0);
  for (const auto& r : read_vectors("xyz_pair_vectors.csv")) {
    Vec3 x1{r.num("X1"), r.num("Y1"), r.num("Z1")}, x2{r.num("X2"), r.num("Y2"), r.num("Z2")};
    Vec3 lab1 = lab_from_XYZ(x1, white), lab2 = lab_from_XYZ(x2, white);
    INFO(r.str("label"));
    CHECK((lab1 - lab_of(r, "L1_d65", "a1_d65", "b1_d65")).cwiseAbs().maxCoeff() < 2e-7);
    CHECK((lab2 - lab_of(r, "L2_d65", "a2_d65", "b2_d65")).cwiseAbs().maxCoeff() < 2e-7);
    CHECK(std::abs(delta_e2000(lab1, lab2) - r.num("dE00_labD65")) < 2e-7);
    CHECK(std::abs(delta_e_itp_XYZ(x1, x2) - r.num("dE_ITP_abs")) < 2e-6);
  }
}
