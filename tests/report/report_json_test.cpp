// Verification JSON: exact round trip, nulls for values that were not measured, and bad input
// that names the field.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "report/report_json.hpp"
#include "scenario.hpp"

using namespace calkit;
using namespace calkit::test;

namespace {

VerificationResult sample_run() {
  auto target = rec709_bt1886(100, 0.05);
  VerificationOptions options;
  options.target = rec709_description(100, 0.05);
  options.extra_metrics = true;
  options.info.label = "calibrated";
  options.info.lut_file = "cal.cube";
  options.info.lut_xxh64 = "0123456789abcdef";
  auto signals = verification_signals();
  signals.erase(signals.begin());  // no black reading: contrast is not measured (NaN)
  return evaluate(measure(signals, calibrated_panel(target)), target, options);
}

// Bit-exact equality, NaN equal to NaN.
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("verification JSON round trip is exact") {
  VerificationResult run = sample_run();
  std::string text = format_verification_json(run);
  VerificationResult back = parse_verification_json(text, "mem.json");
  CHECK(format_verification_json(back) == text);
  REQUIRE(back.patches.size() == run.patches.size());
  for (std::size_t i = 0; i < run.patches.size(); ++i) {
    for (int c = 0; c < 3; ++c) {
      CHECK(same(back.patches[i].measured_XYZ[c], run.patches[i].measured_XYZ[c]));
      CHECK(same(back.patches[i].target_XYZ[c], run.patches[i].target_XYZ[c]));
    }
    CHECK(same(back.patches[i].de2000, run.patches[i].de2000));
    CHECK(same(back.patches[i].de_itp, run.patches[i].de_itp));
    CHECK(back.patches[i].group == run.patches[i].group);
  }
  CHECK(same(back.summary.de2000.p95, run.summary.de2000.p95));
  CHECK(same(back.greyscale.white_cct, run.greyscale.white_cct));
  CHECK(same(back.greyscale.mean_gamma, run.greyscale.mean_gamma));
  CHECK(back.verdict.line == run.verdict.line);
  CHECK(back.info.lut_xxh64 == "0123456789abcdef");
  CHECK(back.extra_metrics);
}

TEST_CASE("values that were not measured are written as null and read back as NaN") {
  VerificationResult run = sample_run();
  REQUIRE(std::isnan(run.greyscale.contrast));
  auto json = nlohmann::json::parse(format_verification_json(run));
  CHECK(json["format"] == "calkit-verification");
  CHECK(json["version"] == 1);
  CHECK(json["greyscale"]["contrast"].is_null());
  CHECK(json["greyscale"]["black_nits"].is_null());
  CHECK(std::isnan(parse_verification_json(json.dump(), "x.json").greyscale.contrast));
}

TEST_CASE("malformed verification JSON throws InputError naming the file and field") {
  std::string text = format_verification_json(sample_run());
  auto field_of = [](const std::string& bad) {
    try {
      parse_verification_json(bad, "v.json");
    } catch (const InputError& e) {
      CHECK(e.file() == "v.json");
      return e.field();
    }
    FAIL("no InputError");
    return std::string();
  };
  CHECK(field_of("{not json") == "");
  CHECK(field_of(replace(text, "\"calkit-verification\"", "\"calkit-measurements\"")) == "format");
  CHECK(field_of(replace(text, "\"version\": 1", "\"version\": 7")) == "version");
  CHECK(field_of(replace(text, "\"de2000\": ", "\"de2000_x\": ")) == "patches[0].de2000");
  CHECK(field_of(replace(text, "\"group\": \"greyscale\"", "\"group\": 3")) == "patches[0].group");
  CHECK(field_of(replace(text, "\"pass\": true", "\"pass\": \"yes\"")) == "verdict.pass");
  auto json = nlohmann::json::parse(text);
  json["patches"][2]["signal"] = {0.1, 0.2};
  CHECK(field_of(json.dump()) == "patches[2].signal");
}

TEST_CASE("verification JSON files are written and read back") {
  auto path = std::filesystem::path(CALKIT_TEST_TMP) / "report_json_file.json";
  VerificationResult run = sample_run();
  write_verification_json(path, run);
  CHECK(format_verification_json(read_verification_json(path)) == format_verification_json(run));
  CHECK_THROWS_AS(read_verification_json(path.string() + ".missing"), InputError);
}
