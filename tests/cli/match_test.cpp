// `calkit match` end to end on virtual displays (issue 8, "matching displays between two
// suites"). Oracles: the virtual displays' physical difference (sim:reference, a 250 cd/m² P3
// panel, and sim:ips-lcd, a 320 cd/m² sRGB-ish LCD, do not show the same light uncalibrated; under
// BT.1886 their shadows differ as its black compensation says; calibrated to one target that
// treats their blacks alike they match); the BT.1886 Annex 1 formula itself; a run compared
// with itself must pass with dE 0 (invariant); and a display driven through the LUT
// solved for another display's measured response must match that display where it did not.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "color/transfer.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return calkit::test::scratch_dir("cli-match", name); }

// Runs calkit; stdout and stderr go to `log` (shown when a check fails).
int run(const std::string& args, const fs::path& log) {
  // The verification history goes to a scratch database, not the user's.
  std::string command = "CALKIT_HISTORY=" + (fs::path(CALKIT_TEST_TMP) / "cli-match-history.db").string() + " " +
                        std::string(CALKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

nlohmann::json json_file(const fs::path& path) { return nlohmann::json::parse(calkit::test::read_file_bytes(path)); }

// `calkit match --strict`, returning its exit status; the verdict must agree with it.
int match(const fs::path& a, const fs::path& b, const fs::path& out) {
  int code = run("match --strict --reference " + a.string() + " --display " + b.string() + " -o " + out.string(),
                 out.string() + ".log");
  INFO(calkit::test::read_file_bytes(out.string() + ".log"));
  if (code == 0 || code == 1) {
    nlohmann::json j = json_file(out / "match.json");
    CHECK(j["verdict"]["pass"].get<bool>() == (code == 0));
    CHECK(fs::file_size(out / "match.html") > 10000);
  }
  return code;
}

}  // namespace

TEST_CASE("match: two suites on different displays fail uncalibrated and pass calibrated") {
  fs::path dir = scratch("suites");
  // Each suite: calibrate (its verify-before.json is `calkit verify` of the uncalibrated display
  // on the accuracy set; verify-after.json the same set through its BT.1886 LUT).
  for (const char* display : {"reference", "ips-lcd"}) {
    fs::path out = dir / display;
    int code = run("calibrate --quiet --probe sim --display sim:"s + display + " --target bt1886 --patches 500 -o " +
                       out.string(),
                   dir / (display + ".log"s));
    INFO(calkit::test::read_file_bytes(dir / (display + ".log"s)));
    REQUIRE(code == 0);
  }
  fs::path a = dir / "reference", b = dir / "ips-lcd";
  CHECK(match(a / "verify-before.json", b / "verify-before.json", dir / "uncalibrated") == 1);

  // BT.1886 (Annex 1) compensates each display's own black Lb, so a 0.002 and a 0.15 cd/m² black
  // give different shadows by design: the match must fail there, by the ratio the standard gives.
  CHECK(match(a / "verify-after.json", b / "verify-after.json", dir / "bt1886") == 1);
  nlohmann::json bt = json_file(dir / "bt1886" / "match.json");
  // Lb as each run judged it (its black patch's reading; noise can take it just below zero).
  double lb_a = std::max(0.0, json_file(a / "verify-after.json")["target"]["black_nits"].get<double>());
  double lb_b = std::max(0.0, json_file(b / "verify-after.json")["target"]["black_nits"].get<double>());
  for (const auto& step : bt["greyscale"]) {
    double v = step["signal"].get<double>();
    if (v < 0.09 || v > 0.31) continue;
    double expected = calkit::Bt1886Eotf(100, lb_b).nits(v) / calkit::Bt1886Eotf(100, lb_a).nits(v);
    CHECK(step["display_nits"].get<double>() / step["reference_nits"].get<double>() ==
          doctest::Approx(expected).epsilon(0.05));
  }

  // Calibrated to one target that treats black alike on both (pure power over the display's
  // black, from the same profiles), the two suites match.
  for (fs::path suite : {a, b}) {
    std::string name = suite.filename().string();
    REQUIRE(run("solve --quiet --pure-power --target bt1886 --measurements " + (suite / "profile.ti3").string() +
                    " -o " + (suite / "power").string(),
                dir / ("power-" + name + ".log")) == 0);
    REQUIRE(run("verify --quiet --probe sim --display sim:" + name + " --target bt1886 --set accuracy --lut " +
                    (suite / "power" / "calibration.cube").string() + " -o " + (suite / "verify-power").string(),
                dir / ("verify-power-" + name + ".log")) == 0);
  }
  CHECK(match(a / "verify-power" / "verify.json", b / "verify-power" / "verify.json", dir / "calibrated") == 0);

  // Invariant: a run against itself is a perfect match.
  REQUIRE(match(b / "verify-before.json", b / "verify-before.json", dir / "itself") == 0);
  nlohmann::json self = json_file(dir / "itself" / "match.json");
  CHECK(self["summary"]["de2000"]["max"].get<double>() == 0.0);
  CHECK(self["probes_differ"] == false);
}

TEST_CASE("match: runs of different patch sets exit 2 naming the patch") {
  fs::path dir = scratch("mismatch");
  std::string chain = " --quiet --probe sim --display sim:reference --target bt1886 ";
  REQUIRE(run("verify" + chain + "--set extended -o " + (dir / "a").string(), dir / "a.log") == 0);
  REQUIRE(run("verify" + chain + "--set colorchecker -o " + (dir / "b").string(), dir / "b.log") == 0);
  int code = run("match --reference " + (dir / "a" / "verify.json").string() + " --display " +
                     (dir / "b" / "verify.json").string() + " -o " + (dir / "m").string(),
                 dir / "m.log");
  std::string message = calkit::test::read_file_bytes(dir / "m.log");
  INFO(message);
  CHECK(code == 2);
  CHECK(message.find("patches[") != std::string::npos);
  CHECK(message.find("verify.json") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "m" / "match.json"));
}

// B is sim:reference: its P3 gamut holds the projector's primaries. (sim:ips-lcd cannot show the
// projector's red, 0.6515 0.3362 against its own 0.6364 0.3391, nor its black without its blue
// cast: through the match LUT it gets the mean, not the max.)
TEST_CASE("match --solve: a display through the match LUT matches the projector") {
  fs::path dir = scratch("solve");
  REQUIRE(run("patches --set recommended --target bt1886 --count 500 -o " + (dir / "set.ti1").string(),
              dir / "set.log") == 0);
  for (const char* display : {"projector", "reference"})
    REQUIRE(run("measure --quiet --probe sim --display sim:"s + display + " --settle 1 --patches " +
                    (dir / "set.ti1").string() + " -o " + (dir / (display + ".ti3"s)).string(),
                dir / (display + "-measure.log"s)) == 0);
  int solved = run("match --solve --quiet --reference " + (dir / "projector.ti3").string() + " --display " +
                       (dir / "reference.ti3").string() + " -o " + (dir / "lut").string() + " --format cube,clf",
                   dir / "solve.log");
  INFO(calkit::test::read_file_bytes(dir / "solve.log"));
  REQUIRE(solved == 0);
  CHECK(fs::exists(dir / "lut" / "match.clf"));
  CHECK(json_file(dir / "lut" / "match-solve.json")["reference"]["readings"].get<int>() > 400);

  auto verify = [&](const std::string& display, const std::string& extra, const std::string& name) {
    int code = run("verify --quiet --probe sim --display sim:" + display + " --target bt1886 --set extended -o " +
                       (dir / name).string() + extra,
                   dir / (name + ".log"));
    INFO(calkit::test::read_file_bytes(dir / (name + ".log")));
    REQUIRE(code == 0);
    return dir / name / "verify.json";
  };
  fs::path a = verify("projector", "", "a");
  fs::path b = verify("reference", "", "b");
  fs::path b_lut = verify("reference", " --lut " + (dir / "lut" / "match.cube").string(), "b-lut");
  CHECK(match(a, b, dir / "without-lut") == 1);
  CHECK(match(a, b_lut, dir / "with-lut") == 0);
}
