// Interpolation checked against OpenColorIO: the published vectors (ociochecklut output) and
// OCIO's C++ processor on random points.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "lut_test_util.hpp"
#include "luts/lut_io.hpp"

using namespace calkit;

TEST_CASE("tetrahedral and trilinear match the OpenColorIO vectors in lut_interp_vectors.csv") {
  std::ifstream in(lut_test::data("lut_interp_vectors.csv"));
  REQUIRE(in);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("lut,", 0) == 0) continue;
    std::stringstream ss(line);
    std::string name, cell;
    std::getline(ss, name, ',');
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    REQUIRE(v.size() == 9);
    Lut3d lut = read_lut3d(lut_test::data(name));
    Vec3 rgb(v[0], v[1], v[2]);
    Vec3 tetra = apply_tetrahedral(lut, rgb);
    Vec3 tri = apply_trilinear(lut, rgb);
    for (int c = 0; c < 3; ++c) {
      CHECK(std::abs(tetra[c] - v[3 + c]) < 1e-6);
      CHECK(std::abs(tri[c] - v[6 + c]) < 1e-6);
    }
    ++rows;
  }
  CHECK(rows >= 10);
}

TEST_CASE("tetrahedral and trilinear match OpenColorIO's processor on random points") {
  for (const char* name : {"oracle_lut_2.cube", "oracle_lut_3.cube"}) {
    Lut3d lut = read_lut3d(lut_test::data(name));
    for (const Vec3& p : lut_test::random_points(300, 7)) {
      Vec3 t = lut_test::ocio_apply_file(lut_test::data(name), OCIO::INTERP_TETRAHEDRAL, p);
      Vec3 l = lut_test::ocio_apply_file(lut_test::data(name), OCIO::INTERP_LINEAR, p);
      CHECK((apply_tetrahedral(lut, p) - t).cwiseAbs().maxCoeff() < 1e-6);
      CHECK((apply_trilinear(lut, p) - l).cwiseAbs().maxCoeff() < 1e-6);
    }
  }
}

TEST_CASE("interpolation reproduces a linear map exactly (physical invariant)") {
  // Both schemes are exact for any affine function sampled on the grid.
  Lut3d lut = identity_lut3d(5);
  Mat3 m;
  m << 0.8, 0.1, 0.05, 0.02, 0.9, 0.03, 0.1, 0.05, 0.7;
  for (Vec3& v : lut.table) v = m * v + Vec3(0.01, 0.02, 0.03);
  for (const Vec3& p : lut_test::random_points(200, 3, 0, 1)) {
    Vec3 want = m * p + Vec3(0.01, 0.02, 0.03);
    CHECK((apply_tetrahedral(lut, p) - want).norm() < 1e-12);
    CHECK((apply_trilinear(lut, p) - want).norm() < 1e-12);
  }
}

TEST_CASE("domain mapping and clamping match OpenColorIO for a .cube with DOMAIN_MIN/MAX") {
  Lut3d lut = lut_test::curvy_lut(9);
  lut.domain_min = Vec3(-0.1, 0.0, 0.05);
  lut.domain_max = Vec3(1.2, 1.0, 0.9);
  auto path = lut_test::scratch("domain.cube");
  write_lut3d(path, lut);
  for (const Vec3& p : lut_test::random_points(200, 11, -0.3, 1.4)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_TETRAHEDRAL, p);
    CHECK((apply_tetrahedral(lut, p) - want).cwiseAbs().maxCoeff() < 1e-5);
  }
}

TEST_CASE("1D linear interpolation matches OpenColorIO") {
  Lut1d lut = lut_test::curvy_lut1d(17);
  lut.domain_min = Vec3(0, 0, -0.5);
  lut.domain_max = Vec3(1, 2, 1);
  auto path = lut_test::scratch("interp1d.cube");
  write_lut1d(path, lut);
  for (const Vec3& p : lut_test::random_points(200, 5, -0.6, 2.2)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, p);
    CHECK((apply_1d(lut, p) - want).cwiseAbs().maxCoeff() < 1e-5);
  }
}

TEST_CASE("ociochecklut on a written .cube prints the same numbers as apply_tetrahedral") {
  Lut3d lut = lut_test::curvy_lut(7);
  auto path = lut_test::scratch("checklut.cube");
  write_lut3d(path, lut);
  for (const Vec3& p : {Vec3(0.3, 0.6, 0.9), Vec3(0.91, 0.12, 0.47), Vec3(0.05, 0.5, 0.33)}) {
    std::string cmd = "ociochecklut '" + path.string() + "' " + std::to_string(p[0]) + " " + std::to_string(p[1]) +
                      " " + std::to_string(p[2]) + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, pipe)) out += buf;
    REQUIRE(pclose(pipe) == 0);
    // The last three numbers printed are the output pixel.
    std::vector<double> nums;
    std::istringstream ss(out);
    for (std::string w; ss >> w;) {
      try {
        size_t used = 0;
        double d = std::stod(w, &used);
        if (used == w.size()) nums.push_back(d);
      } catch (...) {
      }
    }
    REQUIRE(nums.size() >= 3);
    Vec3 got(nums[nums.size() - 3], nums[nums.size() - 2], nums[nums.size() - 1]);
    Vec3 want = apply_tetrahedral(
        lut, Vec3(std::stod(std::to_string(p[0])), std::stod(std::to_string(p[1])), std::stod(std::to_string(p[2]))));
    INFO(out);
    CHECK((got - want).cwiseAbs().maxCoeff() < 2e-6);
  }
}
