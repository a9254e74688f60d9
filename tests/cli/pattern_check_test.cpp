// `calkit pattern check` and `calkit pattern show --pattern window` under an Xvfb of the test's
// own (tests/patterns/xvfb_screen.hpp): the codes shown are checked against the looking patterns'
// definition worked by hand, and the screen is read back with xwd.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/patterns/xvfb_screen.hpp"
#include "tests/support/calkit_test_support.hpp"

using calkit::test::check_frame;
using calkit::test::grab;
using calkit::test::Screen;
using calkit::test::Xvfb;

namespace {

// Runs calkit with `args`; returns its exit status and stdout.
int run_calkit(const std::string& args, std::string* out = nullptr) {
  calkit::test::CalkitOutput run = calkit::test::run_calkit(args, calkit::test::Stderr::Discard, "timeout 120");
  if (out) *out = run.output;
  return run.status;
}

std::array<int, 3> codes(const nlohmann::json& step) { return step.at("code").get<std::array<int, 3>>(); }

}  // namespace

TEST_CASE("pattern check shows full-field R G B W K and an 11-step grey ramp at the framebuffer depth") {
  Xvfb x("320x240x24");
  std::string out;
  REQUIRE(run_calkit("pattern check --pattern window --interval 0.05 --json", &out) == 0);
  auto j = nlohmann::json::parse(out);
  const auto& shown = j.at("shown");
  REQUIRE(shown.size() == 16);
  CHECK(codes(shown[0]) == std::array<int, 3>{255, 0, 0});
  CHECK(codes(shown[1]) == std::array<int, 3>{0, 255, 0});
  CHECK(codes(shown[2]) == std::array<int, 3>{0, 0, 255});
  CHECK(codes(shown[3]) == std::array<int, 3>{255, 255, 255});
  CHECK(codes(shown[4]) == std::array<int, 3>{0, 0, 0});
  // Grey k/10 at 8 bits full range: round(k * 25.5), halves away from zero.
  const int ramp[11] = {0, 26, 51, 77, 102, 128, 153, 179, 204, 230, 255};
  for (int k = 0; k < 11; ++k) {
    CHECK(codes(shown[5 + k]) == std::array<int, 3>{ramp[k], ramp[k], ramp[k]});
    CHECK(shown[5 + k].at("bits") == 8);
  }
}

TEST_CASE("pattern check on a 30-bit screen shows 10-bit codes") {
  Xvfb x("320x240x30");
  std::string out;
  REQUIRE(run_calkit("pattern check --pattern window --interval 0.05 --json --range legal", &out) == 0);
  auto shown = nlohmann::json::parse(out).at("shown");
  REQUIRE(shown.size() == 16);
  CHECK(codes(shown[0]) == std::array<int, 3>{940, 64, 64});  // legal 10-bit: 16-235 << 2
  CHECK(codes(shown[3]) == std::array<int, 3>{940, 940, 940});
}

TEST_CASE("pattern show puts exact window patches on the screen") {
  Xvfb x("320x240x24");
  std::string cmd = std::string("timeout 60 ") + CALKIT_BINARY +
                    " pattern show --pattern window --rgb 940,64,513 --bits 10 --window 10 --background grey:0.5 "
                    "--hold 5 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char line[512] = {};
  REQUIRE(std::fgets(line, sizeof line, pipe) != nullptr);  // printed once the frame is presented
  Screen s = grab(x, "cli-show");
  int status = ::pclose(pipe);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // 10-bit codes on the 8-bit screen: >> 2. Grey 0.5 at 10 bits: round(511.5) = 512 -> 128.
  check_frame(s, 10, {235, 16, 128}, {128, 128, 128});
}

TEST_CASE("pattern check: bad input exits 2") {
  Xvfb x("320x240x24");
  CHECK(run_calkit("pattern check --pattern resolve --interval 0.05") == 2);
  CHECK(run_calkit("pattern check --pattern window:display=5 --interval 0.05") == 2);
  CHECK(run_calkit("pattern check --pattern window:bogus --interval 0.05") == 2);
  CHECK(run_calkit("pattern check --pattern window --bits 9 --interval 0.05") == 2);
}
