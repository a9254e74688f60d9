// `calkit convert` end to end: Argyll's normalised .ti3 comes out as absolute cd/m² JSON, and a
// malformed file gives one line naming file, line and field with exit status 2.
#include <doctest/doctest.h>

#include <cstdio>

#include "core/files.hpp"
#include "formats/measurement_file.hpp"
#include "tests/formats/test_helpers.hpp"

using namespace calkit;
using calkit::test::run_in;
using calkit::test::scratch_dir;
using calkit::test::write_text;

namespace {

bool calkit_built() { return std::filesystem::exists(CALKIT_BINARY); }

// Argyll's convention (dispread): Y = 100 for white, absolute white in LUMINANCE_XYZ_CDM2.
const char* kTi3 = R"(CTI3
DEVICE_CLASS "DISPLAY"
COLOR_REP "RGB_XYZ"
LUMINANCE_XYZ_CDM2 "152.1 160 174.24"
NORMALIZED_TO_Y_100 "YES"
NUMBER_OF_FIELDS 7
BEGIN_DATA_FORMAT
SAMPLE_ID RGB_R RGB_G RGB_B XYZ_X XYZ_Y XYZ_Z
END_DATA_FORMAT
NUMBER_OF_SETS 2
BEGIN_DATA
1 100 100 100 95.0625 100 108.9
2 50 50 50 20 21 23
END_DATA
)";

}  // namespace

TEST_CASE("calkit convert turns a normalised ti3 into absolute JSON and CSV") {
  if (!calkit_built()) {
    MESSAGE("skipped: the calkit executable is not built");
    return;
  }
  auto dir = scratch_dir("convert-cli");
  write_text(dir / "in.ti3", kTi3);
  std::string calkit = CALKIT_BINARY;
  REQUIRE(run_in(dir, calkit + " convert in.ti3 out.json") == 0);
  MeasurementSet m = read_measurements(dir / "out.json");
  REQUIRE(m.readings.size() == 2);
  CHECK(m.readings[0].XYZ.y() == doctest::Approx(160));
  CHECK(m.readings[1].XYZ.y() == doctest::Approx(21 * 1.6));
  REQUIRE(run_in(dir, calkit + " convert out.json out.csv --json") == 0);
  CHECK(read_file_text(dir / "log.txt").find("\"count\": 2") != std::string::npos);
  CHECK(read_measurements(dir / "out.csv").readings[1].XYZ.x() == doctest::Approx(20 * 1.6));
}

TEST_CASE("calkit convert reports a malformed file on one line and exits 2") {
  if (!calkit_built()) {
    MESSAGE("skipped: the calkit executable is not built");
    return;
  }
  auto dir = scratch_dir("convert-cli-bad");
  std::string bad = kTi3;
  bad.replace(bad.find("20 21 23"), 8, "20 x 23");
  write_text(dir / "bad.ti3", bad);
  CHECK(run_in(dir, std::string(CALKIT_BINARY) + " convert bad.ti3 out.json") == 2);
  std::string log = read_file_text(dir / "log.txt");
  CHECK(log == "calkit: bad.ti3:13: field XYZ_Y: 'x' is not a finite number\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out.json"));
}
