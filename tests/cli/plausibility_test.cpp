// One check of a reading (color/plausibility.hpp) in every reader of measurement files and in the
// measuring session, and corrections range-checked when they are read: a broken number is bad
// input naming its file, line and field, never a LUT or a journal of NaN. Through the calkit
// program, as a user meets it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "formats/measurement_file.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

test::CalkitOutput run_cli(const std::string& args) { return test::run_calkit(args, test::Stderr::Capture); }

// 60 plausible readings of the reference display, written by calkit itself.
fs::path measured(const fs::path& dir) {
  REQUIRE(run_cli("patches --set recommended --count 60 -o " + (dir / "set.ti1").string()).status == 0);
  REQUIRE(run_cli("measure --quiet --probe sim --display sim:reference --patches " + (dir / "set.ti1").string() +
                  " -o " + (dir / "m.json").string())
              .status == 0);
  return dir / "m.json";
}

// `text` with the first occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// A spectral set (.ccss) of three samples at 380..730 nm in 10 nm steps.
std::string ccss(const std::string& sample_values) {
  std::string head =
      "CCSS\n\nDESCRIPTOR \"test\"\nORIGINATOR \"calkit test\"\nKEYWORD \"SPECTRAL_BANDS\"\n"
      "SPECTRAL_BANDS \"36\"\nKEYWORD \"SPECTRAL_START_NM\"\nSPECTRAL_START_NM \"380\"\n"
      "KEYWORD \"SPECTRAL_END_NM\"\nSPECTRAL_END_NM \"730\"\nKEYWORD \"SPECTRAL_NORM\"\n"
      "SPECTRAL_NORM \"1\"\n\nNUMBER_OF_FIELDS 37\nBEGIN_DATA_FORMAT\nSAMPLE_ID";
  for (int nm = 380; nm <= 730; nm += 10) head += " SPEC_" + std::to_string(nm);
  head += "\nEND_DATA_FORMAT\n\nNUMBER_OF_SETS 3\nBEGIN_DATA\n";
  for (int s = 1; s <= 3; ++s) head += std::to_string(s) + sample_values + "\n";
  return head + "END_DATA\n";
}

// `json` with the first reading's XYZ array replaced by `xyz`.
std::string with_first_XYZ(std::string json, const std::string& xyz) {
  std::size_t at = json.find("\"XYZ\":[");
  REQUIRE(at != std::string::npos);
  return json.replace(at, json.find(']', at) + 1 - at, "\"XYZ\":" + xyz);
}

// `csv` with the X of its first reading replaced by `x`.
std::string with_first_X(std::string csv, const std::string& x) {
  std::size_t row = csv.find('\n', csv.find("R,G,B,X,Y,Z")) + 1;
  std::size_t at = row;
  for (int comma = 0; comma < 3; ++comma) at = csv.find(',', at) + 1;
  return csv.replace(at, csv.find(',', at) - at, x);
}

std::string ccmx(const std::string& rows) {
  return "CCMX\n\nDESCRIPTOR \"test\"\nKEYWORD \"INSTRUMENT\"\nINSTRUMENT \"SimProbe\"\nKEYWORD \"COLOR_REP\"\n"
         "COLOR_REP \"XYZ\"\n\nNUMBER_OF_FIELDS 3\nBEGIN_DATA_FORMAT\nXYZ_X XYZ_Y XYZ_Z\nEND_DATA_FORMAT\n\n"
         "NUMBER_OF_SETS 3\nBEGIN_DATA\n" +
         rows + "END_DATA\n";
}

}  // namespace

// Issue 15 item 4: the JSON and CSV readers checked only Y, so XYZ [-1e300, 1, 1] gave `solve`
// exit 0, "model residual inf" and a LUT with white lowered to 16 cd/m²; a .ti3 whose
// LUMINANCE_XYZ_CDM2 was "1 1e306 1" was accepted.
TEST_CASE("an absurd X, Y or Z in JSON, CSV or .ti3 is bad input naming the field, and no LUT is written") {
  fs::path dir = test::scratch_dir("cli-plausible", "readings");
  const std::string json = read_file_text(measured(dir));
  REQUIRE(run_cli("convert " + (dir / "m.json").string() + " " + (dir / "m.csv").string()).status == 0);
  REQUIRE(run_cli("convert " + (dir / "m.json").string() + " " + (dir / "m.ti3").string()).status == 0);
  const std::string csv = read_file_text(dir / "m.csv"), ti3 = read_file_text(dir / "m.ti3");

  struct Case {
    std::string file, text, says;
  };
  const std::size_t lum = ti3.find("\nLUMINANCE_XYZ_CDM2 ") + 1;
  const std::string white = ti3.substr(lum, ti3.find('\n', lum) - lum);
  const std::vector<Case> cases = {
      {"x.json", with_first_XYZ(json, "[-1e300,1,1]"), "field readings[0].XYZ[0]: X = -1e+300"},
      {"z.json", with_first_XYZ(json, "[1,1,1e306]"), "field readings[0].XYZ[2]: Z = 1e+306"},
      {"x.csv", with_first_X(csv, "-1e300"), "field X: X = -1e+300"},
      {"lum.ti3", replaced(ti3, white, "LUMINANCE_XYZ_CDM2 \"1 1e306 1\""), "field LUMINANCE_XYZ_CDM2: Y = 1e+306"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    test::write_file_bytes(dir / c.file, c.text);
    fs::path out = dir / ("solved-" + c.file);
    test::CalkitOutput r = run_cli("solve -q -m " + (dir / c.file).string() + " --size 9 -o " + out.string());
    CHECK(r.status == 2);
    CHECK(r.output.find("calkit: " + (dir / c.file).string() + ":") == 0);
    CHECK(r.output.find(c.says) != std::string::npos);
    CHECK_FALSE(fs::exists(out / "calibration.cube"));
  }
}

// Issue 15 item 5: corrections were not range-checked. An all-zero CCSS gave NaN readings with exit
// 0 (and `measure` filled its journal with nulls, so --resume was refused and the readings were
// lost); a CCMX of diag(-1) gave -249 cd/m².
TEST_CASE("a correction that would turn readings into NaN or negative light is refused, readings are kept") {
  fs::path dir = test::scratch_dir("cli-plausible", "corrections");
  REQUIRE(run_cli("patches --set recommended --count 32 -o " + (dir / "set.ti1").string()).status == 0);
  const std::string measure = "measure --quiet --display sim:reference --patches " + (dir / "set.ti1").string();

  std::string zeros;
  for (int i = 0; i < 36; ++i) zeros += " 0";
  test::write_file_bytes(dir / "zero.ccss", ccss(zeros));
  test::write_file_bytes(dir / "mirror.ccmx", ccmx("-1 0 0\n0 -1 0\n0 0 -1\n"));
  for (const auto& [correction, probe] : {std::pair{"zero.ccss", "emulated:i1d3"}, std::pair{"mirror.ccmx", "sim"}}) {
    CAPTURE(correction);
    fs::path out = dir / (std::string(correction) + ".json");
    test::CalkitOutput r =
        run_cli(measure + " --probe " + probe + " --correction " + (dir / correction).string() + " -o " + out.string());
    CHECK(r.status == 2);
    CHECK(r.output.rfind("calkit: " + (dir / correction).string() + ":", 0) == 0);
    CHECK_FALSE(fs::exists(out.string() + ".journal"));
    CHECK_FALSE(fs::exists(out));
  }

  // A matrix that passes the file's checks but takes blue's luminance below zero: the session
  // stops at the first such reading, before journaling it, and keeps the good ones for --resume.
  test::write_file_bytes(dir / "blue.ccmx", ccmx("1 0 0\n0 1.5 -0.4\n0 0 1\n"));
  fs::path out = dir / "blue.json";
  test::CalkitOutput r =
      run_cli(measure + " --probe sim --correction " + (dir / "blue.ccmx").string() + " -o " + out.string());
  CHECK(r.status == 1);
  CHECK(r.output.find("not light from a display (Y = -") != std::string::npos);
  const fs::path journal = out.string() + ".journal";
  REQUIRE(fs::exists(journal));
  std::istringstream lines(read_file_text(journal));
  std::string line;
  std::getline(lines, line);  // the header
  int kept = 0;
  for (; std::getline(lines, line); ++kept) CHECK(nlohmann::json::parse(line)["XYZ"][1].get<double>() >= 0);
  CHECK(kept > 0);
}
