// Files written by ArgyllCMS itself (targen, fakeread) read correctly, and .ti3 files written by
// calkit are accepted by Argyll's colprof.
#include <doctest/doctest.h>

#include <cmath>

#include "color/observer.hpp"
#include "core/files.hpp"
#include "formats/cgats.hpp"
#include "formats/measurement_file.hpp"
#include "formats/ti1.hpp"
#include "formats/ti3.hpp"
#include "test_helpers.hpp"

using namespace calkit;
using calkit::test::have_program;
using calkit::test::run_in;
using calkit::test::scratch_dir;

namespace {

const char* kSrgbProfile = "/usr/share/color/argyll/ref/sRGB.icm";

bool argyll_present() {
  return have_program("targen") && have_program("fakeread") && have_program("colprof") &&
         std::filesystem::exists(kSrgbProfile);
}

// IEC 61966-2-1 sRGB EOTF and RGB->XYZ matrix (D65), white Y = 100.
double srgb_eotf(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }
Vec3 srgb_to_xyz(const Vec3& rgb) {
  Mat3 m;
  m << 0.4124, 0.3576, 0.1805, 0.2126, 0.7152, 0.0722, 0.0193, 0.1192, 0.9505;
  Vec3 linear(srgb_eotf(rgb[0]), srgb_eotf(rgb[1]), srgb_eotf(rgb[2]));
  return 100.0 * m * linear;
}

}  // namespace

TEST_CASE("targen .ti1 reads with the white and black patches it declares") {
  if (!argyll_present()) {
    MESSAGE("skipped: ArgyllCMS (targen, fakeread, colprof, sRGB.icm) is not installed");
    return;
  }
  auto dir = scratch_dir("targen");
  REQUIRE(run_in(dir, "targen -d3 -f50 chart") == 0);
  PatchSet p = read_ti1(dir / "chart.ti1");
  CHECK(p.rgb.size() == 50);
  CgatsFile raw = read_cgats(dir / "chart.ti1");
  const CgatsTable& t = cgats_table(raw, "CTI1");
  int whites = 0, blacks = 0;
  for (const Vec3& rgb : p.rgb) {
    whites += rgb == Vec3(1, 1, 1);
    blacks += rgb == Vec3(0, 0, 0);
    CHECK(rgb.minCoeff() >= 0);
    CHECK(rgb.maxCoeff() <= 1);
  }
  CHECK(whites == std::stoi(*t.keyword("WHITE_COLOR_PATCHES")));
  CHECK(blacks == std::stoi(*t.keyword("BLACK_COLOR_PATCHES")));
}

TEST_CASE("fakeread .ti3 through sRGB.icm follows the sRGB primaries and EOTF") {
  if (!argyll_present()) {
    MESSAGE("skipped: ArgyllCMS (targen, fakeread, colprof, sRGB.icm) is not installed");
    return;
  }
  auto dir = scratch_dir("fakeread");
  REQUIRE(run_in(dir, "targen -d3 -f60 chart") == 0);
  REQUIRE(run_in(dir, std::string("fakeread ") + kSrgbProfile + " chart") == 0);
  MeasurementSet m = read_ti3(dir / "chart.ti3");
  PatchSet p = read_ti1(dir / "chart.ti1");
  REQUIRE(m.readings.size() == p.rgb.size());
  CHECK(m.info.at("ORIGINATOR") == "Argyll fakeread");
  for (size_t i = 0; i < m.readings.size(); ++i) {
    const Reading& r = m.readings[i];
    CHECK(r.rgb == p.rgb[i]);
    Vec3 expected = srgb_to_xyz(r.rgb);
    // The ICC profile quantises its curves and goes through D50; 1% of white is plenty.
    for (int c = 0; c < 3; ++c) CHECK(r.XYZ[c] == doctest::Approx(expected[c]).epsilon(0.01).scale(100));
  }
}

TEST_CASE("colprof accepts a .ti3 written by calkit and keeps its absolute white") {
  if (!argyll_present()) {
    MESSAGE("skipped: ArgyllCMS (targen, fakeread, colprof, sRGB.icm) is not installed");
    return;
  }
  // A plausible display: Rec.709 primaries (ITU-R BT.709 matrix), 2.2 power law, 120 cd/m² white,
  // 0.1 cd/m² black, on a 5^3 grid plus a grey ramp.
  Mat3 m;
  m << 0.4124, 0.3576, 0.1805, 0.2126, 0.7152, 0.0722, 0.0193, 0.1192, 0.9505;
  auto display = [&](const Vec3& rgb) {
    Vec3 linear(std::pow(rgb[0], 2.2), std::pow(rgb[1], 2.2), std::pow(rgb[2], 2.2));
    return Vec3(119.9 * m * linear + Vec3(0.095, 0.1, 0.109));
  };
  MeasurementSet set;
  set.info["DESCRIPTOR"] = "calkit synthetic Rec.709 display";
  set.info["ORIGINATOR"] = "calkit tests";
  for (int r = 0; r < 5; ++r)
    for (int g = 0; g < 5; ++g)
      for (int b = 0; b < 5; ++b) {
        Vec3 rgb(r / 4.0, g / 4.0, b / 4.0);
        set.readings.push_back({rgb, display(rgb), {}, Vec3::Zero()});
      }
  for (int i = 1; i < 16; ++i) {
    Vec3 rgb = Vec3::Constant(i / 16.0);
    set.readings.push_back({rgb, display(rgb), {}, Vec3::Zero()});
  }
  auto dir = scratch_dir("colprof");
  write_measurements(dir / "display.ti3", set);
  int status = run_in(dir, "colprof -v -qm -as -D calkit_test display");
  CHECK_MESSAGE(status == 0, read_file_text(dir / "log.txt"));
  REQUIRE(std::filesystem::exists(dir / "display.icc"));
  // colprof reads the absolute white from LUMINANCE_XYZ_CDM2 and reports its luminance.
  std::string log = read_file_text(dir / "log.txt");
  MESSAGE(log.substr(0, 600));
  if (have_program("iccdump")) {
    REQUIRE(run_in(dir, "iccdump -v3 -t lumi display.icc") == 0);
    std::string dump = read_file_text(dir / "log.txt");
    // "0:  0.00000000, 119.96153259, 0.00000000": the luminance is the middle (Y) value.
    auto row = dump.find("0:");
    REQUIRE(row != std::string::npos);
    auto comma = dump.find(',', row);
    REQUIRE(comma != std::string::npos);
    CHECK(std::stod(dump.substr(comma + 1)) == doctest::Approx(120.0).epsilon(0.01));
  }
}

// Issue 14 item 8: ArgyllCMS's spec2cie refused calkit's spectral .ti3 (an all-zero column written
// as "0" is typed integer: "Field SPEC_380 is wrong type") and read its W as mW. Oracle:
// ArgyllCMS 2.3.1 itself integrates the file's spectra with its own colour matching functions;
// its XYZ must equal the XYZ calkit stored (both normalised to the white).
TEST_CASE("a spectral .ti3 calkit writes is read by ArgyllCMS's spec2cie to the same XYZ") {
  if (!test::have_program("spec2cie")) {
    MESSAGE("skipped: ArgyllCMS's spec2cie is not installed (scripts/install-deps installs argyll)");
    return;
  }
  // Three emission bands per channel (an LCD-like display), zero below 400 nm: a zero column.
  auto band = [](double nm, double peak, double width) { return std::exp(-0.5 * std::pow((nm - peak) / width, 2)); };
  MeasurementSet set;
  for (Vec3 rgb : {Vec3(1, 1, 1), Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0.5, 0.5, 0.5)}) {
    Reading r;
    r.rgb = rgb;
    r.spectrum = {380, 5, {}};
    for (int nm = 380; nm <= 780; nm += 5)
      r.spectrum.values.push_back(
          nm < 400 ? 0.0
                   : 0.004 * (rgb.x() * band(nm, 610, 15) + rgb.y() * band(nm, 540, 20) + rgb.z() * band(nm, 450, 12)));
    r.XYZ = XYZ_from_spectrum(r.spectrum.values, r.spectrum.start_nm, r.spectrum.step_nm);
    set.readings.push_back(r);
  }
  std::filesystem::path dir = test::scratch_dir("spec2cie");
  write_measurements(dir / "in.ti3", set);
  std::string log;
  REQUIRE(test::run_shell("cd " + dir.string() + " && spec2cie in.ti3 out.ti3 2>&1", &log) == 0);
  INFO(log);
  MeasurementSet argyll = read_measurements(dir / "out.ti3");
  REQUIRE(argyll.readings.size() == set.readings.size());
  const double white = set.readings[0].XYZ.y(), argyll_white = argyll.readings[0].XYZ.y();
  for (std::size_t i = 0; i < set.readings.size(); ++i)
    for (int c = 0; c < 3; ++c)
      CHECK(argyll.readings[i].XYZ[c] / argyll_white == doctest::Approx(set.readings[i].XYZ[c] / white).epsilon(2e-3));
}
