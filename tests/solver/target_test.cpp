// Targets against published vectors: BT.1886 (bt1886_vectors.csv, ITU-R BT.1886 Annex 1), the
// Rec.709 / P3-D65 normalised primary matrices (matrices.csv) and SMPTE ST 2084 (pq_vectors.csv).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "solver/target.hpp"

using namespace calkit;

namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& name) {
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/" + name);
  REQUIRE(in.good());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// The published matrix `name` from matrices.csv.
Mat3 published_matrix(const std::string& name) {
  Mat3 m = Mat3::Zero();
  int found = 0;
  for (const auto& row : read_csv("matrices.csv"))
    if (row[0] == name) {
      int r = std::stoi(row[1]);
      for (int c = 0; c < 3; ++c) m(r, c) = std::stod(row[2 + c]);
      ++found;
    }
  REQUIRE(found == 3);
  return m;
}

}  // namespace

TEST_CASE("target: bt1886 greys follow the published BT.1886 vectors at the display's black") {
  Mat3 npm = published_matrix("Rec.709 RGB->XYZ (NPM)");
  int checked = 0;
  for (const auto& row : read_csv("bt1886_vectors.csv")) {
    double lw = std::stod(row[0]), lb = std::stod(row[1]), v = std::stod(row[4]);
    double L = std::stod(row[5]);
    TargetOptions o;
    o.white_nits = lw;
    Target t = target_by_name("bt1886", o);
    t.display_black_XYZ = XYZ_from_xyY(kD65, lb);
    INFO("Lw " << lw << " Lb " << lb << " V " << v);
    Vec3 grey = t.XYZ(Vec3::Constant(v));
    CHECK(grey.y() == doctest::Approx(L).epsilon(1e-9).scale(lw));
    // A single channel: that primary's column of the Rec.709 matrix, above the black.
    Vec3 red = t.XYZ(Vec3(v, 0, 0));
    Vec3 expected = Vec3(npm.col(0)) * (L - lb) + t.display_black_XYZ;
    CHECK((red - expected).norm() < 2e-7 * lw);
    ++checked;
  }
  CHECK(checked >= 40);
}

TEST_CASE("target: PQ greys and primaries follow SMPTE ST 2084 vectors and the P3-D65 matrix") {
  Mat3 p3 = published_matrix("P3-D65 RGB->XYZ (NPM)");
  Mat3 r2020 = published_matrix("Rec.2020 RGB->XYZ (NPM)");
  TargetOptions o;
  o.mastering_peak = 10000;
  Target p3t = target_by_name("pq-p3d65", o);
  Target bt2020 = target_by_name("pq-rec2020", o);
  int checked = 0;
  for (const auto& row : read_csv("pq_vectors.csv")) {
    double nits = std::stod(row[0]), e = std::stod(row[1]);
    INFO("nits " << nits);
    CHECK(bt2020.XYZ(Vec3::Constant(e)).y() == doctest::Approx(nits).epsilon(1e-9).scale(1e-6));
    CHECK((p3t.XYZ(Vec3(0, e, 0)) - Vec3(p3.col(1)) * nits).norm() < 1e-6 * (nits + 1e-3));
    CHECK((bt2020.XYZ(Vec3(0, 0, e)) - Vec3(r2020.col(2)) * nits).norm() < 1e-6 * (nits + 1e-3));
    ++checked;
  }
  CHECK(checked >= 20);
}

// DisplayCAL's BT.2390 numbers (tests/data/bt2390_eetf_vectors.csv: master 0-1000 onto a display
// of 0.005-650 cd/m²), below the knee where DisplayCAL and the report agree to 1e-9.
TEST_CASE("target: the BT.2390 roll-off lands greys on the EETF onto the display's black and peak") {
  Target t = target_by_name("pq-p3d65");  // default: BT.2390, mastering peak 1000
  CHECK(t.roll_off == RollOff::Bt2390);
  CHECK(t.mastering_peak == 1000);
  t.display_peak_nits = 650;
  t.display_black_XYZ = XYZ_from_xyY({0.30, 0.31}, 0.005);
  for (auto [in, out] : {std::pair{0.1, 0.146196}, {1.0, 1.127234}, {100.0, 100.165925}, {400.0, 400.016291}})
    CHECK(t.XYZ(Vec3::Constant(pq_inverse_eotf(in))).y() == doctest::Approx(out).epsilon(4e-6));
  // Above the knee (523 cd/m²) the report lies above DisplayCAL's renormalised curve by at most
  // b (1 - maxLum)^4 in PQ: 0.0014 cd/m² at the peak.
  for (auto [in, out] : {std::pair{600.0, 584.251570}, {800.0, 644.221820}, {1000.0, 650.0}}) {
    double got = t.XYZ(Vec3::Constant(pq_inverse_eotf(in))).y();
    CHECK(got >= out - 1e-6);
    CHECK(got <= out + 0.002);
  }
  // Signal 0 is the display's own black; content above the mastering peak is the peak's.
  CHECK((t.XYZ(Vec3::Zero()) - t.display_black_XYZ).norm() < 1e-15);
  CHECK(t.XYZ(Vec3::Ones()).y() == doctest::Approx(t.XYZ(Vec3::Constant(pq_inverse_eotf(1000))).y()).epsilon(1e-12));
  // Chromaticity kept: above the display's black, a colour has the content's chromaticity.
  Target content = target_by_name("pq-p3d65");
  for (const Vec3& s : {Vec3(0.8, 0.6, 0.2), Vec3(0.3, 0.7, 0.75), Vec3(0.05, 0.02, 0.1)}) {
    Xy above_black = xy_from_XYZ(t.XYZ(s) - t.display_black_XYZ), ideal = xy_from_XYZ(content.XYZ(s));
    CHECK(above_black.x == doctest::Approx(ideal.x).epsilon(1e-9));
    CHECK(above_black.y == doctest::Approx(ideal.y).epsilon(1e-9));
  }
}

TEST_CASE("target: the clip roll-off is absolute PQ up to the display's peak and clipped above") {
  TargetOptions o;
  o.roll_off = RollOff::Clip;
  Target t = target_by_name("pq-rec2020", o);
  t.display_peak_nits = 600;
  t.display_black_XYZ = XYZ_from_xyY(kD65, 0.05);
  for (double nits : {0.01, 1.0, 100.0, 599.0})
    CHECK(t.XYZ(Vec3::Constant(pq_inverse_eotf(nits))).y() == doctest::Approx(nits).epsilon(1e-9));
  CHECK(t.XYZ(Vec3::Constant(pq_inverse_eotf(800))).y() == doctest::Approx(600).epsilon(1e-12));
  Xy clipped = xy_from_XYZ(t.XYZ(Vec3(0.9, 0.8, 0.7))),
     absolute = xy_from_XYZ(target_by_name("pq-rec2020", o).XYZ(Vec3(0.9, 0.8, 0.7)));
  CHECK(clipped.x == doctest::Approx(absolute.x).epsilon(1e-12));
  CHECK(clipped.y == doctest::Approx(absolute.y).epsilon(1e-12));
  CHECK(roll_off_by_name("clip") == RollOff::Clip);
  CHECK(roll_off_by_name("bt2390") == RollOff::Bt2390);
  CHECK_THROWS_AS(roll_off_by_name("hable"), InputError);
}

TEST_CASE("target: display facts travel through LUT metadata exactly") {
  Target t = target_by_name("pq-rec2020");
  t.display_peak_nits = 643.8712345678901;
  t.display_black_XYZ = Vec3(0.000123456789, 0.00013, 0.000151);
  Target back = target_by_name("pq-rec2020");
  CHECK(back.read_display_facts(t.display_facts()));
  CHECK(back.display_peak_nits == t.display_peak_nits);
  CHECK(back.display_black_XYZ == t.display_black_XYZ);
  CHECK_FALSE(target_by_name("pq-rec2020").read_display_facts({{"calkit_target", "x"}}));
  CHECK_THROWS_AS(back.read_display_facts({{"calkit_display_black_XYZ", "a b c"}, {"calkit_display_peak_nits", "1"}}),
                  InputError);
}

TEST_CASE("target: P3 in a Rec.2020 container limits the gamut, white override moves the white") {
  Target t = target_by_name("pq-p3d65-rec2020");
  CHECK(t.inside_gamut_limit(t.XYZ(Vec3(0.5, 0.5, 0.5))));
  CHECK_FALSE(t.inside_gamut_limit(t.XYZ(Vec3(0.6, 0.0, 0.0))));  // Rec.2020 red: outside P3
  TargetOptions o;
  o.white_xy = Xy{0.2831, 0.2971};  // D93 (SMPTE ST 2080-1 / common reference)
  Target d93 = target_by_name("bt1886", o);
  Xy w = xy_from_XYZ(d93.XYZ(Vec3::Ones()));
  CHECK(w.x == doctest::Approx(0.2831).epsilon(1e-9));
  CHECK(w.y == doctest::Approx(0.2971).epsilon(1e-9));
  CHECK(d93.XYZ(Vec3::Ones()).y() == doctest::Approx(100).epsilon(1e-12));
}

TEST_CASE("target: pure power is a power law above the display's black") {
  TargetOptions o;
  o.pure_power = true;
  o.gamma = 2.2;
  Target t = target_by_name("bt1886", o);
  t.display_black_XYZ = XYZ_from_xyY(kD65, 0.1);
  CHECK(t.XYZ(Vec3::Constant(0.5)).y() == doctest::Approx(0.1 + 99.9 * std::pow(0.5, 2.2)));
}

TEST_CASE("target: unknown names and out-of-range options are InputErrors") {
  CHECK_THROWS_AS(target_by_name("hlg-rec2020"), InputError);
  TargetOptions o;
  o.white_nits = -5;
  CHECK_THROWS_AS(target_by_name("bt1886", o), InputError);
  o = {};
  o.gamma = 9;
  CHECK_THROWS_AS(target_by_name("bt1886", o), InputError);
  o = {};
  o.white_xy = Xy{0.7, 0.5};
  CHECK_THROWS_AS(target_by_name("bt1886", o), InputError);
}
