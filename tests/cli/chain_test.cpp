// The measuring chain through every path a user can pick: a calibration through the Resolve
// protocol (server + client emulator on loopback) must give the very LUT the direct virtual path
// gives, since the patch reaching the display is the one the solver asked for; spot and ambient
// on readings that have no CCT (a saturated primary, a monochrome ambient sensor).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_json.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("chain", name); }

using Output = test::CalkitOutput;

Output run(const std::string& args) { return test::run_calkit(args); }

}  // namespace

TEST_CASE("calibrate through the Resolve protocol gives the LUT of the direct virtual path") {
  fs::path direct = scratch("direct");
  fs::path resolve = scratch("resolve");
  const std::string common =
      "calibrate --quiet --probe sim --display sim:ips-lcd --target bt1886 --patches 300 --seed 7";
  REQUIRE(run(common + " -o " + direct.string()).status == 0);
  REQUIRE(run(common + " --pattern resolve:emulate -o " + resolve.string()).status == 0);
  REQUIRE(fs::exists(resolve / "calibration.cube"));
  CHECK(test::read_file_bytes(resolve / "calibration.cube") == test::read_file_bytes(direct / "calibration.cube"));
  VerificationResult after = read_verification_json(resolve / "verify-after.json");
  VerificationResult before = read_verification_json(resolve / "verify-before.json");
  CHECK(after.summary.de2000.mean < before.summary.de2000.mean);
}

TEST_CASE("--pattern sim:NAME drives that virtual display like --display sim:NAME") {
  Output a = run("spot --probe sim --pattern sim:woled-tv --rgb 0.5,0.25,0.75 --json");
  Output b = run("spot --probe sim --display sim:woled-tv --rgb 0.5,0.25,0.75 --json");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(nlohmann::json::parse(a.output)["XYZ"] == nlohmann::json::parse(b.output)["XYZ"]);
  CHECK(run("spot --probe sim --pattern sim:woled-tv --display sim:reference --rgb 1,1,1").status == 2);
}

TEST_CASE("spot on a saturated primary reports no CCT instead of failing") {
  Output out = run("spot --probe sim --display sim:reference --rgb 1,0,0 --json");
  REQUIRE(out.status == 0);
  nlohmann::json j = nlohmann::json::parse(out.output);
  // Rec.709 red (x 0.64): far from the Planckian locus, where CCT is not defined (CIE 15:2004).
  CHECK(j["xyY"][0].get<double>() > 0.6);
  CHECK(j["cct_k"].is_null());
  CHECK(j["duv"].is_null());
}

TEST_CASE("spot --continuous keeps reading the same patch: the first reading is the single spot's") {
  Output one = run("spot --probe sim --display sim:ips-lcd --rgb 0.6,0.6,0.6 --json");
  Output many = run("spot --probe sim --display sim:ips-lcd --rgb 0.6,0.6,0.6 --json --continuous --count 5");
  REQUIRE(one.status == 0);
  REQUIRE(many.status == 0);
  std::istringstream lines(many.output);
  std::vector<nlohmann::json> readings;
  for (std::string line; std::getline(lines, line);) readings.push_back(nlohmann::json::parse(line));
  REQUIRE(readings.size() == 5);
  CHECK(readings[0]["XYZ"] == nlohmann::json::parse(one.output)["XYZ"]);
  // The same light read again: only the probe's noise (well under 1 %) separates the readings.
  const double y0 = readings[0]["nits"].get<double>();
  for (const auto& r : readings) CHECK(r["nits"].get<double>() == doctest::Approx(y0).epsilon(0.01));
  CHECK(readings[1]["XYZ"] != readings[0]["XYZ"]);
}

TEST_CASE("spot --ambient reads the room as calkit ambient does") {
  const std::string probe = "--probe emulated:i1d3,lux=12,kelvin=5600 --display sim:reference --json";
  Output spot = run("spot --ambient " + probe);
  Output ambient = run("ambient " + probe);
  REQUIRE(spot.status == 0);
  REQUIRE(ambient.status == 0);
  nlohmann::json j = nlohmann::json::parse(spot.output);
  CHECK(j == nlohmann::json::parse(ambient.output));
  CHECK(j["lux"].get<double>() == doctest::Approx(12).epsilon(0.03));  // the emulated room
}

TEST_CASE("ambient with a monochrome sensor reports lux and no colour") {
  Output out = run("ambient --probe emulated:spyderx --display sim:reference --json");
  REQUIRE(out.status == 0);
  nlohmann::json j = nlohmann::json::parse(out.output);
  CHECK(j["lux"].get<double>() > 0);
  CHECK(j["xy"].is_null());
  CHECK(j["cct_k"].is_null());
}

TEST_CASE("verify --pure-power expects black plus a pure power law over the measured black") {
  fs::path dir = scratch("pure-power");
  Output out =
      run("verify --quiet --no-history --probe sim --display sim:ips-lcd --target bt1886 --pure-power "
          "--set greyscale -o " +
          dir.string());
  REQUIRE(out.status == 0);
  VerificationResult result = read_verification_json(dir / "verify.json");
  // BT.1886 Annex 1 "pure power" variant: L = Lb + (Lw - Lb)·V^2.4, with Lb the display's black.
  double black = result.greyscale.target_black_nits, white = 100;
  int checked = 0;
  for (const GreyStep& step : result.greyscale.steps) {
    if (step.signal <= 0) continue;
    CHECK(step.target_nits == doctest::Approx(black + (white - black) * std::pow(step.signal, 2.4)).epsilon(1e-6));
    ++checked;
  }
  CHECK(checked >= 10);
  CHECK(black > 0.05);  // the IPS panel's black, not zero
}
