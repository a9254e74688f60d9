// ArgyllCMS calibration curves (.cal): ArgyllCMS's own xicclu, which evaluates a .cal file as it
// evaluates a profile, reads the curves calkit writes and gives their values at every step.
#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "luts/lut_io.hpp"
#include "tests/luts/lut_test_util.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

TEST_CASE("ArgyllCMS's xicclu reads calkit's .cal and gives its curves at every step") {
  if (!test::have_program("xicclu")) {
    MESSAGE("skipped: ArgyllCMS (Debian's argyll) is not installed");
    return;
  }
  Lut1d curves = lut_test::curvy_lut1d(256);
  auto cal = lut_test::scratch("curves.cal");
  write_lut1d(cal, curves);
  std::ostringstream input;
  input.precision(17);
  for (std::size_t i = 0; i < curves.table.size(); ++i) {
    double x = double(i) / 255.0;
    input << x << " " << x << " " << x << "\n";
  }
  auto in_file = lut_test::scratch("curves-steps.txt");
  test::write_file_bytes(in_file, input.str());
  std::string out;
  REQUIRE(test::run_shell("xicclu -v0 -ff " + cal.string() + " < " + in_file.string(), &out) == 0);
  std::istringstream lines(out);
  std::size_t k = 0;
  for (std::string line; std::getline(lines, line);) {
    double r, g, b;
    if (std::sscanf(line.c_str(), "%lf %lf %lf", &r, &g, &b) != 3) continue;
    REQUIRE(k < curves.table.size());
    const Vec3& want = curves.table[k++];
    // .cal holds 7 decimals (5e-8), xicclu prints 6 (5e-7).
    CHECK((Vec3(r, g, b) - want).cwiseAbs().maxCoeff() < 5.5e-7);
  }
  CHECK(k == curves.table.size());
  // And calkit reads back what it wrote, title and metadata included.
  Lut1d back = read_lut1d(cal);
  CHECK(back.title == curves.title);
  CHECK(back.metadata.at("note") == "per-channel curves");
}
