// `calkit report`: renders the HTML from verification JSON; bad input exits 2 with one line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_json.hpp"
#include "tests/report/scenario.hpp"

using namespace calkit;
using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return fs::path(CALKIT_TEST_TMP) / name; }

// Runs calkit with arguments; returns the exit status and stdout, stderr into files.
int run_calkit(const std::string& args, const std::string& name, std::string* out = nullptr,
               std::string* err = nullptr) {
  fs::path o = scratch(name + ".out"), e = scratch(name + ".err");
  int status = std::system(
      (std::string("'") + CALKIT_BINARY + "' " + args + " > '" + o.string() + "' 2> '" + e.string() + "'").c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  if (out) *out = slurp(o);
  if (err) *err = slurp(e);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path write_run(const std::string& name, const std::string& label, const TargetFunction& display) {
  auto target = rec709_bt1886(100, 0.05);
  VerificationOptions options;
  options.target = rec709_description(100, 0.05);
  options.info.label = label;
  fs::path path = scratch(name);
  write_verification_json(path, evaluate(measure(verification_signals(), display), target, options));
  return path;
}

}  // namespace

TEST_CASE("calkit report renders before and after into one HTML file") {
  fs::path before = write_run("cli_report_before.json", "uncalibrated", uncalibrated_panel());
  fs::path after = write_run("cli_report_after.json", "calibrated", calibrated_panel(rec709_bt1886(100, 0.05)));
  fs::path html = scratch("cli_report.html");
  fs::remove(html);
  std::string out;
  REQUIRE(run_calkit("report '" + before.string() + "' '" + after.string() + "' -o '" + html.string() + "' --json",
                     "cli_report", &out) == 0);
  auto json = nlohmann::json::parse(out);
  CHECK(json["html"] == html.string());
  CHECK(json["runs"][0]["pass"] == false);
  CHECK(json["runs"][1]["pass"] == true);
  std::ifstream in(html);
  std::string text(std::istreambuf_iterator<char>(in), {});
  CHECK(text.find(">uncalibrated<") != std::string::npos);
  CHECK(text.find(">calibrated<") != std::string::npos);
}

TEST_CASE("calkit report on a malformed file exits 2 with one line naming it") {
  fs::path bad = scratch("cli_report_bad.json");
  std::ofstream(bad) << R"({"format": "calkit-verification", "version": 1, "info": {}})";
  std::string err;
  CHECK(run_calkit("report '" + bad.string() + "' -o '" + scratch("cli_report_bad.html").string() + "'",
                   "cli_report_bad", nullptr, &err) == 2);
  CHECK(err.find("cli_report_bad.json") != std::string::npos);
  CHECK(err.find("info.label") != std::string::npos);
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK(run_calkit("report --help", "cli_report_help") == 0);
}

// Issue 15 item 1: a greyscale step whose patch index is past the end of `patches` (or `patches`
// empty) crashed `calkit report` with SIGSEGV; a negative one read out of bounds and exited 0.
TEST_CASE("calkit report refuses a verification JSON whose steps name patches it does not have") {
  fs::path good = write_run("cli_report_index_good.json", "calibrated", calibrated_panel(rec709_bt1886(100, 0.05)));
  std::ifstream in(good);
  const nlohmann::json run = nlohmann::json::parse(in);
  REQUIRE(run["greyscale"]["steps"].size() > 2);
  const int count = static_cast<int>(run["patches"].size());
  struct Case {
    std::string name;
    std::function<void(nlohmann::json&)> damage;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"past_end", [&](nlohmann::json& j) { j["greyscale"]["steps"][1]["patch"] = count + 1000; },
       "greyscale.steps[1].patch"},
      {"no_patches", [](nlohmann::json& j) { j["patches"] = nlohmann::json::array(); }, "greyscale.steps[0].patch"},
      {"negative", [](nlohmann::json& j) { j["greyscale"]["steps"][2]["patch"] = -3; }, "greyscale.steps[2].patch"},
      {"huge", [](nlohmann::json& j) { j["greyscale"]["steps"][0]["patch"] = 4294967306ll; },
       "greyscale.steps[0].patch"},
      {"worst", [&](nlohmann::json& j) { j["summary"]["de2000"]["max_index"] = count; }, "summary.de2000.max_index"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    nlohmann::json bad = run;
    c.damage(bad);
    fs::path path = scratch("cli_report_index_" + c.name + ".json");
    std::ofstream(path) << bad.dump(1);
    std::string err;
    CHECK(run_calkit("report '" + path.string() + "' -o '" + scratch("cli_report_index.html").string() + "'",
                     "cli_report_index", nullptr, &err) == 2);
    CHECK(err.rfind("calkit: " + path.string() + ": field " + c.field + ": ", 0) == 0);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  }
}
