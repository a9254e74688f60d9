// .ti3 semantics (Argyll's normalisation), calkit JSON and CSV, choosing by extension, atomic
// writes, and one-line errors for malformed files.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "core/files.hpp"
#include "formats/cgats.hpp"
#include "formats/measurement_csv.hpp"
#include "formats/measurement_file.hpp"
#include "formats/measurement_json.hpp"
#include "formats/ti1.hpp"
#include "formats/ti3.hpp"
#include "test_helpers.hpp"

using namespace calkit;
using calkit::test::error_of;
using calkit::test::scratch_dir;
using calkit::test::write_text;

namespace {

// As dispread writes it: XYZ with Y = 100 for white, absolute white in LUMINANCE_XYZ_CDM2.
const char* kNormalisedTi3 = R"(CTI3

DESCRIPTOR "Argyll Calibration Target chart information 3"
ORIGINATOR "Argyll dispread"
DEVICE_CLASS "DISPLAY"
COLOR_REP "RGB_XYZ"
TARGET_INSTRUMENT "X-Rite i1 DisplayPro, ColorMunki Display"
LUMINANCE_XYZ_CDM2 "115.999513 125.380126 138.006230"
NORMALIZED_TO_Y_100 "YES"

NUMBER_OF_FIELDS 7
BEGIN_DATA_FORMAT
SAMPLE_ID RGB_R RGB_G RGB_B XYZ_X XYZ_Y XYZ_Z
END_DATA_FORMAT

NUMBER_OF_SETS 3
BEGIN_DATA
1 100.0000 100.0000 100.0000 92.51826 100.0000 110.0703
2 0.000000 0.000000 0.000000 0.119951 0.129559 0.239291
3 50 25 0 20 10 1
END_DATA
)";

MeasurementSet sample_set(bool with_spectra) {
  MeasurementSet set;
  set.info["display"] = "test panel";
  set.info["probe"] = "simulated";
  set.info["DESCRIPTOR"] = "round trip";
  for (int i = 0; i <= 4; ++i) {
    Reading r;
    r.rgb = Vec3(i / 4.0, 1.0 - i / 4.0, 0.3);
    r.XYZ = Vec3(10.1 + i * 20.3, 12.7 + i * 25.1, 3.3 + i * 0.7);
    if (with_spectra) {
      r.spectrum.start_nm = 380;
      r.spectrum.step_nm = 10;
      for (int k = 0; k < 36; ++k) r.spectrum.values.push_back(0.001 * (k + 1) * (i + 1));
    }
    set.readings.push_back(r);
  }
  set.readings.push_back({Vec3(1, 1, 1), Vec3(114.06, 120.0, 130.68), {}, Vec3::Zero()});
  if (with_spectra) set.readings.back().spectrum = set.readings.front().spectrum;
  return set;
}

void check_same(const MeasurementSet& a, const MeasurementSet& b, double tolerance) {
  CHECK(a.info == b.info);
  REQUIRE(a.readings.size() == b.readings.size());
  for (size_t i = 0; i < a.readings.size(); ++i) {
    CHECK((a.readings[i].rgb - b.readings[i].rgb).norm() <= tolerance);
    CHECK((a.readings[i].XYZ - b.readings[i].XYZ).norm() <= tolerance * a.readings[i].XYZ.norm());
    const Spectrum& s = a.readings[i].spectrum;
    const Spectrum& t = b.readings[i].spectrum;
    REQUIRE(s.values.size() == t.values.size());
    CHECK(s.start_nm == doctest::Approx(t.start_nm));
    CHECK(s.step_nm == doctest::Approx(t.step_nm));
    for (size_t k = 0; k < s.values.size(); ++k)
      CHECK(std::abs(s.values[k] - t.values[k]) <= tolerance * std::abs(s.values[k]));
  }
}

}  // namespace

TEST_CASE("ti3 normalised to Y=100 reads back to absolute cd/m2 as Argyll defines it") {
  MeasurementSet m = parse_ti3(kNormalisedTi3, "dispread.ti3");
  REQUIRE(m.readings.size() == 3);
  // Argyll: absolute = value * LUMINANCE_XYZ_CDM2.Y / 100.
  double k = 125.380126 / 100.0;
  CHECK(m.readings[0].XYZ.y() == doctest::Approx(125.380126));
  CHECK(m.readings[0].XYZ.x() == doctest::Approx(92.51826 * k));
  CHECK(m.readings[1].XYZ.z() == doctest::Approx(0.239291 * k));
  CHECK(m.readings[2].rgb.x() == doctest::Approx(0.5));
  CHECK(m.readings[2].rgb.y() == doctest::Approx(0.25));
  CHECK(m.info.at("TARGET_INSTRUMENT") == "X-Rite i1 DisplayPro, ColorMunki Display");
  CHECK(m.info.count("LUMINANCE_XYZ_CDM2") == 0);
}

TEST_CASE("ti3 written by calkit keeps white Y=100 and the absolute white, and round trips") {
  MeasurementSet set = sample_set(true);
  std::string text = format_ti3(set);
  CHECK(text.find("NORMALIZED_TO_Y_100 \"YES\"") != std::string::npos);
  CHECK(text.find("LUMINANCE_XYZ_CDM2 \"114.06 120 130.68\"") != std::string::npos);
  CHECK(text.find("SPEC_380") != std::string::npos);
  CHECK(text.find("SPEC_730") != std::string::npos);
  CgatsFile raw = parse_cgats(text, "mem.ti3");
  const CgatsTable& t = raw.tables.at(0);
  CHECK(t.rows.at(5).at(0) == "6");
  CHECK(cgats_number(raw, t, 5, t.field_index("XYZ_Y")) == doctest::Approx(100));
  CHECK(cgats_number(raw, t, 5, t.field_index("XYZ_X")) == doctest::Approx(95.05));
  check_same(set, parse_ti3(text, "mem.ti3"), 1e-12);
}

// Issue 15 item 8 at the format: a .ti3 stores readings normalised to white Y = 100, and the
// division and multiplication by the white lost the last bits (a resumed calibrate wrote another
// LUT). Every reading must read back as the very double it was, whatever the white.
TEST_CASE("ti3 gives back every XYZ bit for bit, whatever the white's luminance") {
  std::mt19937_64 rng(15);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 50; ++trial) {
    MeasurementSet set;
    const double white = 40 + 2000 * unit(rng);
    set.readings.push_back({Vec3::Ones(), Vec3(0.95 * white, white, 1.09 * white), {}, Vec3::Zero()});
    for (int i = 0; i < 200; ++i) {
      Vec3 rgb(unit(rng), unit(rng), unit(rng));
      Vec3 XYZ = Vec3(unit(rng), unit(rng), unit(rng)) * white * std::pow(10.0, -4 * unit(rng));
      set.readings.push_back({rgb, XYZ, {}, Vec3::Zero()});
    }
    set.readings.push_back({Vec3::Zero(), Vec3(-0.0004, 0.0, 1e-300), {}, Vec3::Zero()});
    MeasurementSet back = parse_ti3(format_ti3(set), "mem.ti3");
    REQUIRE(back.readings.size() == set.readings.size());
    for (std::size_t i = 0; i < set.readings.size(); ++i)
      for (int c = 0; c < 3; ++c) {
        CAPTURE(trial);
        CAPTURE(i);
        CHECK(back.readings[i].XYZ[c] == set.readings[i].XYZ[c]);
      }
  }
}

TEST_CASE("json and csv round trip, with and without spectra") {
  for (bool spectra : {false, true}) {
    MeasurementSet set = sample_set(spectra);
    check_same(set, parse_measurement_json(format_measurement_json(set), "m.json"), 0);
    check_same(set, parse_measurement_csv(format_measurement_csv(set), "m.csv"), 0);
  }
}

TEST_CASE("measurement files are chosen by extension and written atomically") {
  auto dir = scratch_dir("by-extension");
  MeasurementSet set = sample_set(false);
  for (const char* name : {"m.ti3", "m.json", "m.CSV"}) {
    write_measurements(dir / name, set);
    check_same(set, read_measurements(dir / name), 1e-12);
  }
  write_measurements(dir / "m.json", sample_set(true));  // replaces the existing file
  CHECK(read_measurements(dir / "m.json").readings.front().spectrum.values.size() == 36);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  }
  CHECK(files == 3);
  InputError e = error_of([&] { write_measurements(dir / "m.txt", set); });
  CHECK(e.file() == (dir / "m.txt").string());
  e = error_of([&] { write_file_atomically(dir / "missing-dir" / "x.json", "{}"); });
  CHECK(e.file() == (dir / "missing-dir" / "x.json").string());
  MeasurementSet nan_set = set;
  nan_set.readings[1].XYZ.y() = std::nan("");
  e = error_of([&] { write_measurements(dir / "nan.json", nan_set); });
  CHECK(std::string(e.what()) == (dir / "nan.json").string() + ": field readings: a value is not finite");
  CHECK_FALSE(std::filesystem::exists(dir / "nan.json"));
  e = error_of([&] { read_measurements(dir / "absent.ti3"); });
  CHECK(e.file() == (dir / "absent.ti3").string());
}

TEST_CASE("patch sets round trip through ti1 and json") {
  auto dir = scratch_dir("patches");
  PatchSet p;
  p.description = "five patches";
  p.rgb = {Vec3(0, 0, 0), Vec3(1, 1, 1), Vec3(0.5, 0.25, 0.125), Vec3(1.0 / 3, 0.1, 0.9), Vec3(0.01, 0.02, 0.03)};
  for (const char* name : {"p.ti1", "p.json"}) {
    write_patches(dir / name, p);
    PatchSet back = read_patches(dir / name);
    CHECK(back.description == p.description);
    REQUIRE(back.rgb.size() == p.rgb.size());
    for (size_t i = 0; i < p.rgb.size(); ++i) CHECK((back.rgb[i] - p.rgb[i]).norm() < 1e-14);
  }
}

TEST_CASE("malformed ti3 input names file, line and field") {
  std::string base = kNormalisedTi3;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  InputError e = error_of([&] { parse_ti3(with("0.129559", "abc"), "d.ti3"); });
  CHECK(e.line() == 19);
  CHECK(e.field() == "XYZ_Y");
  CHECK(e.file() == "d.ti3");

  e = error_of([&] { parse_ti3(with("50 25 0 20 10 1", "50 25 0 20 -10 1"), "d.ti3"); });
  CHECK(e.line() == 20);
  CHECK(e.field() == "XYZ_Y");

  e = error_of([&] { parse_ti3(with("50 25 0", "150 25 0"), "d.ti3"); });
  CHECK(e.field() == "RGB_R");

  e = error_of([&] { parse_ti3(with("\"115.999513 125.380126 138.006230\"", "\"1 0 1\""), "d.ti3"); });
  CHECK(e.line() == 8);
  CHECK(e.field() == "LUMINANCE_XYZ_CDM2");

  e = error_of([&] { parse_ti3(with("LUMINANCE_XYZ_CDM2", "LUMINANCE_XYZ"), "d.ti3"); });
  CHECK(e.field() == "LUMINANCE_XYZ_CDM2");

  e = error_of([&] { parse_ti3(with("XYZ_Z\n", "XYZ_W\n"), "d.ti3"); });
  CHECK(e.field() == "XYZ_Z");

  e = error_of([&] { parse_ti3(with("\"RGB_XYZ\"", "\"RGB_LAB\""), "d.ti3"); });
  CHECK(e.line() == 6);
  CHECK(e.field() == "COLOR_REP");

  e = error_of([&] { parse_ti3(with("CTI3", "CTI1"), "d.ti3"); });
  CHECK(e.file() == "d.ti3");
  CHECK(e.line() == 1);
}

TEST_CASE("malformed json and csv name file, line and field") {
  InputError e = error_of([] { parse_measurement_json("{\n\"format\": \n", "m.json"); });
  CHECK(e.file() == "m.json");
  CHECK(e.line() == 3);

  const char* good = R"({"format": "calkit-measurements", "version": 1, "readings": [)";
  e = error_of([&] { parse_measurement_json(std::string(good) + R"({"rgb": [0, 0, 1]}]})", "m.json"); });
  CHECK(e.field() == "readings[0].XYZ");
  e = error_of(
      [&] { parse_measurement_json(std::string(good) + R"({"rgb": [0, 0, 1], "XYZ": [1, "x", 2]}]})", "m.json"); });
  CHECK(e.field() == "readings[0].XYZ[1]");
  e = error_of(
      [&] { parse_measurement_json(std::string(good) + R"({"rgb": [0, 2, 1], "XYZ": [1, 1, 2]}]})", "m.json"); });
  CHECK(e.field() == "readings[0].rgb[1]");
  e = error_of(
      [&] { parse_measurement_json(R"({"format": "calkit-measurements", "version": 7, "readings": []})", "m.json"); });
  CHECK(e.field() == "version");

  e = error_of([] { parse_measurement_csv("R,G,B,X,Y,Z\n0,0,0,1,1,1\n0,0,1,1,1\n", "m.csv"); });
  CHECK(e.line() == 3);
  CHECK(e.file() == "m.csv");
  e = error_of([] { parse_measurement_csv("# a: b\nR,G,B,X,Y,Z\n0,0,0,1,nan,1\n", "m.csv"); });
  CHECK(e.line() == 3);
  CHECK(e.field() == "Y");
  e = error_of([] { parse_measurement_csv("R,G,B,X,Q,Z\n", "m.csv"); });
  CHECK(e.field() == "Q");
}
