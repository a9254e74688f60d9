// ICC v2 device links for peers that read no v4: ArgyllCMS 2.3 (`iccdump`, `xicclu`, from Debian's
// argyll) loads them and gives the LUT's values at its nodes; it refuses the v4 ones, as the
// issue reported. LittleCMS reads the v2 link back with its title and metadata.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "luts/lut_io.hpp"
#include "tests/luts/lut_test_util.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

TEST_CASE("an ICC v2 device link loads in ArgyllCMS and gives the LUT's node values, while v4 is refused") {
  if (!test::have_program("iccdump") || !test::have_program("xicclu")) {
    MESSAGE("skipped: ArgyllCMS (Debian's argyll) is not installed");
    return;
  }
  Lut3d lut = lut_test::curvy_lut(9);
  lut.title = "calkit test link";
  lut.metadata["calkit_target"] = "BT.1886 gamma 2.4";
  auto v2 = lut_test::scratch("link-v2.icc"), v4 = lut_test::scratch("link-v4.icc");
  write_lut3d(v2, lut, {.icc_version = 2});
  write_lut3d(v4, lut, {.icc_version = 4});
  std::string dump;
  REQUIRE(test::run_shell("iccdump -v 1 " + v2.string(), &dump) == 0);
  CHECK(dump.find("Version      = 2.4.0") != std::string::npos);
  CHECK(dump.find("Device Class = Link") != std::string::npos);
  CHECK(test::run_shell("iccdump " + v4.string(), &dump) != 0);
  CHECK(dump.find("V4 not supported") != std::string::npos);

  // Every node through xicclu: exact up to the 16-bit CLUT (1/65535) and its 6-digit printout.
  std::ostringstream input;
  for (int b = 0; b < 9; ++b)
    for (int g = 0; g < 9; ++g)
      for (int r = 0; r < 9; ++r) input << r / 8.0 << " " << g / 8.0 << " " << b / 8.0 << "\n";
  auto in_file = lut_test::scratch("link-v2-nodes.txt");
  test::write_file_bytes(in_file, input.str());
  std::string out;
  REQUIRE(test::run_shell("xicclu -v0 -ff " + v2.string() + " < " + in_file.string(), &out) == 0);
  std::istringstream lines(out);
  int k = 0;
  for (std::string line; std::getline(lines, line);) {
    double r, g, b;
    if (std::sscanf(line.c_str(), "%lf %lf %lf", &r, &g, &b) != 3) continue;
    const Vec3& want = lut.table[std::size_t(k++)];
    CHECK((Vec3(r, g, b) - want.cwiseMax(0.0).cwiseMin(1.0)).cwiseAbs().maxCoeff() < 0.5 / 65535 + 1.5e-6);
  }
  CHECK(k == 729);

  Lut3d back = read_lut3d(v2);
  CHECK(back.title == "calkit test link");
  CHECK(back.metadata.at("calkit_target") == "BT.1886 gamma 2.4");
  cmsHPROFILE h = cmsOpenProfileFromFile(v2.c_str(), "r");
  REQUIRE(h);
  CHECK(cmsGetEncodedICCversion(h) < 0x4000000);
  CHECK_FALSE(cmsIsTag(h, cmsSigMetaTag));
  cmsCloseProfile(h);
}
