// RGB space and adaptation matrices against matrices.csv (Color.js, colour-science, BT.2087).
#include <doctest/doctest.h>

#include <string>

#include "color/adaptation.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/rgb_space.hpp"
#include "core/error.hpp"
#include "csv_rows.hpp"

using namespace calkit;

namespace {
Mat3 published(const std::string& name) {
  Mat3 m = Mat3::Constant(std::nan(""));
  for (const auto& r : calkit::test::read_vectors("matrices.csv")) {
    if (r.str("matrix") != name) continue;
    int i = std::stoi(r.str("row"));
    m.row(i) << r.num("c0"), r.num("c1"), r.num("c2");
  }
  return m;
}
void check_matrix(const Mat3& got, const std::string& name) {
  Mat3 want = published(name);
  INFO(name << "\n" << got);
  REQUIRE(!want.hasNaN());
  CHECK((got - want).cwiseAbs().maxCoeff() < 1e-7);
}
}  // namespace

TEST_CASE("RP 177 normalised primary matrices") {
  check_matrix(rec709_space().rgb_to_XYZ(), "Rec.709 RGB->XYZ (NPM)");
  check_matrix(p3d65_space().rgb_to_XYZ(), "P3-D65 RGB->XYZ (NPM)");
  check_matrix(rec2020_space().rgb_to_XYZ(), "Rec.2020 RGB->XYZ (NPM)");
  CHECK((rec709_space().XYZ_to_rgb() * rec709_space().rgb_to_XYZ() - Mat3::Identity()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("Gamut conversion matrices 709->2020 and P3->2020") {
  check_matrix(rec2020_space().XYZ_to_rgb() * rec709_space().rgb_to_XYZ(), "Rec.709->Rec.2020 (linear RGB)");
  check_matrix(rec2020_space().XYZ_to_rgb() * p3d65_space().rgb_to_XYZ(), "P3-D65->Rec.2020 (linear RGB)");
}

TEST_CASE("DCI-P3 white maps to its own xy") {
  Vec3 w = dci_p3_space().rgb_to_XYZ() * Vec3::Ones();
  Xy xy = xy_from_XYZ(w);
  CHECK(xy.x == doctest::Approx(0.314).epsilon(1e-12));
  CHECK(xy.y == doctest::Approx(0.351).epsilon(1e-12));
  CHECK(w.y() == doctest::Approx(1.0));
}

TEST_CASE("Bradford D65->D50 and its cone matrix") {
  check_matrix(cone_response_matrix(AdaptationMethod::Bradford), "Bradford cone response matrix M_BFD");
  Vec3 d65 = XYZ_from_xyY(kD65, 1), d50 = XYZ_from_xyY(kD50, 1);
  check_matrix(adaptation_matrix(d65, d50), "XYZ D65->D50 Bradford CAT");
}

TEST_CASE("CAT02 maps white to white and inverts") {
  Vec3 d65 = XYZ_from_xyY(kD65, 1), d50 = XYZ_from_xyY(kD50, 1);
  Mat3 m = adaptation_matrix(d65, d50, AdaptationMethod::Cat02);
  CHECK((m * d65 - d50).cwiseAbs().maxCoeff() < 1e-12);
  Mat3 back = adaptation_matrix(d50, d65, AdaptationMethod::Cat02);
  CHECK((back * m - Mat3::Identity()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("BT.2100 ICtCp matrices") {
  check_matrix(ictcp_rec2020_to_lms_matrix(), "BT.2100 Rec.2020 RGB->LMS (x/4096)");
  check_matrix(ictcp_lms_to_ictcp_matrix(), "BT.2100 L'M'S'->ICtCp (x/4096)");
  check_matrix(ictcp_XYZ_to_lms_matrix(), "XYZ(D65 abs)->LMS for ICtCp (derived)");
}

TEST_CASE("RGB spaces by name") {
  CHECK(rgb_space_by_name("Rec.709").name == "Rec.709");
  CHECK(rgb_space_by_name("P3-D65").name == "P3-D65");
  CHECK(rgb_space_by_name("bt2020").name == "Rec.2020");
  CHECK_THROWS_AS(rgb_space_by_name("adobe"), InputError);
  CHECK(rgb_space_names().size() == 4);
}
