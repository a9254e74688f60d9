// Malformed files must raise InputError naming the file, the line and the field, never crash.
#include <doctest/doctest.h>

#include <lcms2.h>

#include <fstream>

#include "core/error.hpp"
#include "lut_test_util.hpp"
#include "luts/lut_io.hpp"

using namespace calkit;

namespace {

struct Expect {
  std::string name;  // scratch file name (extension picks the format)
  std::string text;
  int line;           // expected InputError::line() (0: whole file)
  std::string field;  // expected InputError::field()
};

void expect_error(const Expect& e) {
  auto path = lut_test::scratch("bad_" + e.name);
  std::ofstream(path, std::ios::binary) << e.text;
  INFO(e.name);
  try {
    if (path.extension() == ".cube" && e.text.find("LUT_1D_SIZE") != std::string::npos)
      (void)read_lut1d(path);
    else
      (void)read_lut3d(path);
    FAIL("no InputError for " << e.name);
  } catch (const InputError& err) {
    INFO(err.what());
    CHECK(err.file() == path.string());
    CHECK(err.line() == e.line);
    CHECK(err.field() == e.field);
    CHECK(std::string(err.what()).find(path.string()) != std::string::npos);
  }
}

std::string rows(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "0.1 0.2 0.3\n";
  return out;
}

}  // namespace

TEST_CASE("malformed .cube files name file and line and field") {
  expect_error({"missing_size.cube", "TITLE \"x\"\n", 0, "LUT_3D_SIZE"});
  expect_error({"rows_before_size.cube", "0 0 0\nLUT_3D_SIZE 2\n", 1, "LUT_3D_SIZE"});
  expect_error({"too_few.cube", "LUT_3D_SIZE 2\n" + rows(7), 8, "LUT_3D_SIZE"});
  expect_error({"too_many.cube", "LUT_3D_SIZE 2\n" + rows(9), 10, "LUT_3D_SIZE"});
  expect_error({"bad_size.cube", "LUT_3D_SIZE 1\n" + rows(1), 1, "LUT_3D_SIZE"});
  expect_error({"huge_size.cube", "LUT_3D_SIZE 100000\n", 1, "LUT_3D_SIZE"});
  expect_error({"nan.cube", "LUT_3D_SIZE 2\n" + rows(3) + "nan 0 0\n" + rows(4), 5, "row 4"});
  expect_error({"two_values.cube", "LUT_3D_SIZE 2\n" + rows(2) + "0.5 0.5\n" + rows(5), 4, "row 3"});
  expect_error({"word.cube", "LUT_3D_SIZE 2\n0.1 zero 0.3\n" + rows(7), 2, "row 1"});
  expect_error({"domain.cube", "LUT_3D_SIZE 2\nDOMAIN_MIN 0 0\n" + rows(8), 2, "DOMAIN_MIN"});
  expect_error({"domain_order.cube", "LUT_3D_SIZE 2\nDOMAIN_MIN 1 0 0\nDOMAIN_MAX 0 1 1\n" + rows(8), 1, "DOMAIN_MAX"});
  expect_error({"keyword.cube", "LUT_3D_SIZE 2\nFOO 1\n" + rows(8), 2, "FOO"});
  expect_error({"1d_rows.cube", "LUT_1D_SIZE 4\n" + rows(3), 4, "LUT_1D_SIZE"});
  expect_error({"binary.cube", std::string("LUT_3D_SIZE 2\n\0\x01\x02\n", 20), 2, ""});
}

TEST_CASE("malformed .3dl files name file and line and field") {
  expect_error({"no_mesh.3dl", "0 0 0\n", 1, "shaper"});
  // A mesh line needs more than 3 integers (3 would be a table row), as in OpenColorIO.
  const std::string mesh = "0 341 682 1023\n";
  expect_error({"rows.3dl", mesh + "0 0 0\n4095 4095 4095\n", 3, "rows"});
  expect_error({"uneven.3dl", "0 100 200 1023\n", 1, "shaper"});
  expect_error({"text.3dl", mesh + "0 x 0\n", 2, "row 1"});
  expect_error({"short.3dl", mesh + "0 0\n", 2, "row 1"});
  expect_error({"neg.3dl", mesh + "-5 0 0\n", 2, "row 1"});
  expect_error({"two_mesh.3dl", mesh + mesh, 2, "shaper"});
  expect_error({"mesh.3dl", "3DMESH\nMesh 4\n", 2, "Mesh"});
}

TEST_CASE("malformed CLF files name file and line and field") {
  const std::string head = "<?xml version=\"1.0\"?>\n<ProcessList id=\"a\" compCLFversion=\"3\">\n";
  expect_error({"notxml.clf", "<ProcessList>\n<LUT3D>\n</ProcessList>\n", 3, "xml"});
  expect_error({"noroot.clf", "<?xml version=\"1.0\"?>\n<Other/>\n", 0, "ProcessList"});
  expect_error({"dim.clf",
                head + "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"2 2 3 "
                       "3\">0</Array>\n</LUT3D>\n</ProcessList>\n",
                3, "Array dim"});
  expect_error({"count.clf",
                head + "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"2 2 2 3\">0 0 "
                       "0</Array>\n</LUT3D>\n</ProcessList>\n",
                3, "Array"});
  expect_error({"nan.clf",
                head + "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"2 2 2 "
                       "3\">nan</Array>\n</LUT3D>\n</ProcessList>\n",
                3, "Array"});
  expect_error({"depth.clf",
                head + "<LUT3D inBitDepth=\"32f\" outBitDepth=\"7i\">\n<Array dim=\"2 2 2 "
                       "3\">0</Array>\n</LUT3D>\n</ProcessList>\n",
                3, "outBitDepth"});
  expect_error({"node.clf", head + "<ASC_CDL id=\"x\"/>\n</ProcessList>\n", 3, "ASC_CDL"});
  expect_error({"empty.clf", head + "</ProcessList>\n", 0, "LUT3D"});
}

TEST_CASE("malformed ICC and OCIO files name the file and field") {
  expect_error({"junk.icc", "not an icc profile at all", 0, ""});
  {
    // A valid display profile (sRGB) is not a device link.
    auto path = lut_test::scratch("bad_srgb.icc");
    cmsHPROFILE h = cmsCreate_sRGBProfile();
    cmsSaveProfileToFile(h, path.c_str());
    cmsCloseProfile(h);
    try {
      (void)read_lut3d(path);
      FAIL("sRGB profile accepted as a device link");
    } catch (const InputError& e) {
      CHECK(e.field() == "deviceClass");
    }
  }
  expect_error({"nolut.ocio", "ocio_profile_version: 2\nroles:\n  default: raw\n", 0, "FileTransform"});
  expect_error({"missing.ocio",
                "ocio_profile_version: 2\n    from_scene_reference: !<FileTransform> {src: nowhere.cube}\n", 2, "src"});
}

TEST_CASE("reading a 1D file as 3D (and the reverse) is an InputError and not a wrong LUT") {
  auto p1 = lut_test::scratch("kind1d.cube");
  write_lut1d(p1, lut_test::curvy_lut1d(8));
  CHECK_THROWS_AS((void)read_lut3d(p1), InputError);
  auto p3 = lut_test::scratch("kind3d.cube");
  write_lut3d(p3, lut_test::curvy_lut(3));
  CHECK_THROWS_AS((void)read_lut1d(p3), InputError);
  CHECK_THROWS_AS((void)read_lut3d(lut_test::scratch("does_not_exist.cube")), InputError);
  Lut3d bad = lut_test::curvy_lut(3);
  bad.table.pop_back();
  CHECK_THROWS_AS(write_lut3d(lut_test::scratch("short_table.cube"), bad), InputError);
}

TEST_CASE("an OCIO config whose FileTransform names another config is rejected and not followed") {
  auto path = lut_test::scratch("loop.ocio");
  std::ofstream(path) << "ocio_profile_version: 2\n    from_scene_reference: !<FileTransform> {src: loop.OCIO}\n";
  std::ofstream(lut_test::scratch("loop.OCIO")) << "x\n";
  try {
    (void)read_lut3d(path);
    FAIL("config loop followed");
  } catch (const InputError& e) {
    CHECK(e.line() == 2);
    CHECK(e.field() == "src");
  }
}
