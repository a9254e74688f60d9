// `calkit report`: renders the HTML from verification JSON; bad input exits 2 with one line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "report/report_json.hpp"
#include "tests/report/scenario.hpp"

using namespace calkit;
using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return fs::path(CALKIT_TEST_TMP) / name; }

// Runs calkit with arguments; returns the exit status and stdout, stderr into files.
int run_calkit(const std::string& args, const std::string& name, std::string* out = nullptr, std::string* err = nullptr) {
  fs::path o = scratch(name + ".out"), e = scratch(name + ".err");
  int status = std::system((std::string("'") + CALKIT_BINARY + "' " + args + " > '" + o.string() + "' 2> '" +
                            e.string() + "'").c_str());
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
