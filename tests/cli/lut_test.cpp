// `calkit lut` through the built executable (CALKIT_BINARY): results compared with OpenColorIO.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/luts/lut_test_util.hpp"
#include "luts/lut_io.hpp"

using namespace calkit;

namespace {

struct Run {
  int status;
  std::string out;
};

Run run(const std::string& args) {
  std::string cmd = std::string(CALKIT_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

Vec3 three_numbers(const std::string& text) {
  std::istringstream ss(text);
  Vec3 v;
  ss >> v[0] >> v[1] >> v[2];
  REQUIRE(!ss.fail());
  return v;
}

}  // namespace

TEST_CASE("calkit lut apply prints what OpenColorIO computes (tetrahedral and trilinear)") {
  auto path = lut_test::data("oracle_lut_3.cube");
  const Vec3 in(0.25, 0.5, 0.75);
  Run t = run("lut apply " + path.string() + " 0.25 0.5 0.75");
  REQUIRE(t.status == 0);
  CHECK((three_numbers(t.out) - lut_test::ocio_apply_file(path, OCIO::INTERP_TETRAHEDRAL, in)).cwiseAbs().maxCoeff() < 1e-6);
  Run l = run("lut apply " + path.string() + " 0.9 0.1 0.5 --interp trilinear");
  REQUIRE(l.status == 0);
  CHECK((three_numbers(l.out) - lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, Vec3(0.9, 0.1, 0.5))).cwiseAbs().maxCoeff() < 1e-6);
  Run j = run("lut apply " + path.string() + " 0.25 0.5 0.75 --json");
  REQUIRE(j.status == 0);
  CHECK(j.out.find("\"output\"") != std::string::npos);
}

TEST_CASE("calkit lut convert writes a CLF that OpenColorIO applies like the source .cube") {
  auto src = lut_test::scratch("cli_src.cube");
  Lut3d lut = lut_test::curvy_lut(9);
  write_lut3d(src, lut);
  auto dst = lut_test::scratch("cli_dst.clf");
  Run r = run("lut convert " + src.string() + " " + dst.string());
  REQUIRE(r.status == 0);
  for (const Vec3& p : lut_test::random_points(50, 31)) {
    Vec3 a = lut_test::ocio_apply_file(src, OCIO::INTERP_TETRAHEDRAL, p);
    Vec3 b = lut_test::ocio_apply_file(dst, OCIO::INTERP_TETRAHEDRAL, p);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-6);
  }
  // 1D too
  auto src1 = lut_test::scratch("cli_src1d.cube");
  write_lut1d(src1, lut_test::curvy_lut1d(16));
  auto dst1 = lut_test::scratch("cli_dst1d.clf");
  REQUIRE(run("lut convert " + src1.string() + " " + dst1.string()).status == 0);
  Vec3 a = lut_test::ocio_apply_file(src1, OCIO::INTERP_LINEAR, Vec3(0.3, 0.6, 0.9));
  Vec3 b = lut_test::ocio_apply_file(dst1, OCIO::INTERP_LINEAR, Vec3(0.3, 0.6, 0.9));
  CHECK((a - b).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("calkit lut info reports size and title and the table range and bad input exits 2 with file:line") {
  Run r = run("lut info " + lut_test::data("oracle_lut_2.cube").string() + " --json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"size\": 2") != std::string::npos);
  CHECK(r.out.find("oracle test") != std::string::npos);  // TITLE in the published file
  CHECK(r.out.find("0.95") != std::string::npos);          // largest red value in the file
  auto bad = lut_test::scratch("cli_bad.cube");
  std::ofstream(bad) << "LUT_3D_SIZE 2\n0 0 0\n";
  Run e = run("lut info " + bad.string());
  CHECK(e.status == 2);
  CHECK(e.out.find(bad.string() + ":2:") != std::string::npos);
  CHECK(run("lut apply " + bad.string() + " 1 2 x").status == 2);
  Run h = run("lut apply --help");
  CHECK(h.status == 0);
  CHECK(h.out.find("Example:") != std::string::npos);
}
