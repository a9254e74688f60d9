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
    int code = run(
        "calibrate --quiet --probe sim --display sim:"s + display + " --target bt1886 --patches 500 -o " + out.string(),
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
  // Lb as each calibration aimed at it (the mean of its profiling set's black readings; a
  // verification's own one black reading is another draw of the meter's noise).
  auto aimed_black = [](const fs::path& run) {
    return std::max(0.0,
                    json_file(run / "calibration-solve.json")["target_facts"]["display_black_XYZ"][1].get<double>());
  };
  double lb_a = aimed_black(a), lb_b = aimed_black(b);
  for (const auto& step : bt["greyscale"]) {
    double v = step["signal"].get<double>();
    if (v < 0.09 || v > 0.31) continue;
    double expected = calkit::Bt1886Eotf(100, lb_b).nits(v) / calkit::Bt1886Eotf(100, lb_a).nits(v);
    CHECK(step["display_nits"].get<double>() / step["reference_nits"].get<double>() ==
          doctest::Approx(expected).epsilon(0.05));
  }

  // The advice names the black as the cause (the figures above are BT.1886's own).
  REQUIRE(bt["advice"].size() >= 1);
  CHECK(bt["advice"].back().get<std::string>().rfind("black:", 0) == 0);

  // Every readings or verification file calkit writes is taken: the readings JSON of A's
  // verification, and the same readings as .ti3 and .csv, against B's verification JSON show the
  // same light per patch as the two verification JSON files.
  fs::path readings = a / "verify-after-readings.json";
  for (const char* extension : {".ti3", ".csv"}) {
    fs::path copy = dir / ("a-readings"s + extension);
    REQUIRE(run("convert " + readings.string() + " " + copy.string(), dir / "convert.log") == 0);
    fs::path out = dir / ("from"s + extension);
    CHECK(match(copy, b / "verify-after.json", out) == 1);
    nlohmann::json m = json_file(out / "match.json");
    REQUIRE(m["patches"].size() == bt["patches"].size());
    for (std::size_t i = 0; i < m["patches"].size(); ++i)
      CHECK(m["patches"][i]["reference_XYZ"][1].get<double>() ==
            doctest::Approx(bt["patches"][i]["reference_XYZ"][1].get<double>()).epsilon(1e-4).scale(1e-4));
  }
  CHECK(match(readings, b / "verify-after-readings.json", dir / "readings") == 1);

  // --solve matches B to A as calibrated (A's verification), lists what B cannot show (A's black
  // is below B's, Rec.709 red lies outside the LCD's red), and through its LUT B matches A.
  REQUIRE(run("match --solve --quiet --reference " + (a / "verify-after.json").string() + " --display " +
                  (b / "profile.ti3").string() + " -o " + (dir / "solve").string(),
              dir / "solve.log") == 0);
  nlohmann::json solved = json_file(dir / "solve" / "match-solve.json");
  auto listed = [&](const calkit::Vec3& signal) {
    for (const auto& p : solved["not_shown"])
      if (p["signal"][0] == signal.x() && p["signal"][1] == signal.y() && p["signal"][2] == signal.z()) return true;
    return false;
  };
  CHECK(listed(calkit::Vec3(0, 0, 0)));
  CHECK(listed(calkit::Vec3(1, 0, 0)));
  CHECK_FALSE(listed(calkit::Vec3(0.5, 0.5, 0.5)));
  REQUIRE(run("verify --quiet --probe sim --display sim:ips-lcd --target bt1886 --set accuracy --lut " +
                  (dir / "solve" / "match.cube").string() + " --profile " + (b / "profile.ti3").string() + " -o " +
                  (dir / "through-lut").string(),
              dir / "through-lut.log") == 0);
  CHECK(match(a / "verify-after.json", dir / "through-lut" / "verify.json", dir / "solved") == 0);
  CHECK(json_file(dir / "solved" / "match.json")["not_shown"].get<int>() > 0);

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

// The two-room workflow: each room reads its display as it is, `match plan` proposes the target
// both reach, both calibrate to it, and the match passes where plain BT.1886 fails (above).
TEST_CASE("match plan: two displays calibrated to the plan match") {
  fs::path dir = scratch("plan");
  for (const char* display : {"reference", "ips-lcd"})
    REQUIRE(run("verify --quiet --probe sim --display sim:"s + display + " --target bt1886 --set accuracy -o " +
                    (dir / ("before-"s + display)).string(),
                dir / ("before-"s + display + ".log")) == 0);
  fs::path plan = dir / "plan";
  int code = run("match plan --json " + (dir / "before-reference" / "verify.json").string() + " " +
                     (dir / "before-ips-lcd" / "verify.json").string() + " -o " + plan.string(),
                 dir / "plan.log");
  INFO(calkit::test::read_file_bytes(dir / "plan.log"));
  REQUIRE(code == 0);
  nlohmann::json target = json_file(plan / "target.json");
  // The shared black is at least the LCD's (0.15 cd/m²), which BT.1886 would otherwise follow alone.
  CHECK(target["black_nits"].get<double>() >= target["rooms"]["b"]["black_nits"].get<double>());
  CHECK(target["black_nits"].get<double>() > 10 * target["rooms"]["a"]["black_nits"].get<double>());
  for (const char* display : {"reference", "ips-lcd"}) {
    int calibrated = run("calibrate --quiet --probe sim --display sim:"s + display + " --target " +
                             (plan / "target.json").string() + " --patches 500 -o " + (dir / display).string(),
                         dir / (display + ".log"s));
    INFO(calkit::test::read_file_bytes(dir / (display + ".log"s)));
    REQUIRE(calibrated == 0);
  }
  // Each room's folder (and so its package) carries the shared target it was calibrated to.
  for (const char* display : {"reference", "ips-lcd"})
    CHECK(calkit::test::read_file_bytes(dir / display / "target.json") ==
          calkit::test::read_file_bytes(plan / "target.json"));
  CHECK(match(dir / "reference" / "verify-after.json", dir / "ips-lcd" / "verify-after.json", dir / "match") == 0);
  nlohmann::json m = json_file(dir / "match" / "match.json");
  CHECK(m["advice"].empty());
  // The blacks now agree (within the probe's noise at 0.15 cd/m²).
  CHECK(m["black"]["display_nits"].get<double>() ==
        doctest::Approx(m["black"]["reference_nits"].get<double>()).epsilon(0.1));
}
