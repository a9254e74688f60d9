// The desktop ICC display profile (`solve --format icc-display`), the ArgyllCMS .cal curves and
// `calibrate --curves-only`, judged by tools calkit did not write: ArgyllCMS's profcheck on
// readings the profile was not made from, xicclu evaluating the profile, LittleCMS loading it,
// and bscpylgtv's payload for a .cal file dispcal wrote.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "color/colorimetry.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"
#include "report/report_json.hpp"
#include "tests/support/calkit_test_support.hpp"
#include "upload/lg_protocol.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

bool have_argyll() { return test::have_program("profcheck") && test::have_program("xicclu"); }

// "Profile check complete, errors(CIEDE2000): max. = 0.77, avg. = 0.23, RMS = 0.27"
double profcheck_mean(const std::string& output) {
  std::size_t at = output.find("avg. = ");
  REQUIRE(at != std::string::npos);
  return std::stod(output.substr(at + 7));
}

// Absolute XYZ in cd/m²: xicclu's absolute colorimetric XYZ (white Y = 100) scaled by the
// profile's 'lumi' tag, read with LittleCMS.
Vec3 xicclu_nits(const fs::path& profile, const Vec3& rgb) {
  std::string out;
  REQUIRE(test::run_shell("echo '" + std::to_string(rgb[0]) + " " + std::to_string(rgb[1]) + " " +
                              std::to_string(rgb[2]) + "' | xicclu -v0 -ff -ia -pX " + profile.string(),
                          &out) == 0);
  Vec3 v;
  REQUIRE(std::sscanf(out.c_str(), "%lf %lf %lf", &v[0], &v[1], &v[2]) == 3);
  cmsHPROFILE h = cmsOpenProfileFromFile(profile.c_str(), "r");
  REQUIRE(h);
  auto* lumi = static_cast<cmsCIEXYZ*>(cmsReadTag(h, cmsSigLuminanceTag));
  REQUIRE(lumi);
  double nits = lumi->Y;
  cmsCloseProfile(h);
  return v / 100 * nits;
}

// Measures `set` (a patches --set name) on the IPS LCD with the given noise seed into `ti3`.
void measure(const fs::path& dir, const std::string& set, int count, int seed, const fs::path& ti3) {
  fs::path ti1 = dir / (set + ".ti1");
  REQUIRE(test::run_calkit("patches --set " + set + (count ? " --count " + std::to_string(count) : "") + " -o " +
                           ti1.string())
              .status == 0);
  REQUIRE(test::run_calkit("measure -q --probe sim --display sim:ips-lcd --seed " + std::to_string(seed) +
                           " --patches " + ti1.string() + " -o " + ti3.string())
              .status == 0);
}

}  // namespace

TEST_CASE("solve --format icc-display: LittleCMS and ArgyllCMS load it, profcheck on other readings within 0.5") {
  fs::path dir = test::scratch_dir("cli", "display-profile");
  measure(dir, "recommended", 300, 1, dir / "profile.ti3");
  measure(dir, "extended", 0, 2, dir / "check.ti3");
  REQUIRE(test::run_calkit("solve -q -m " + (dir / "profile.ti3").string() + " --format icc-display -o " +
                           (dir / "out").string())
              .status == 0);
  fs::path icc = dir / "out" / "calibration-display.icc";

  cmsHPROFILE h = cmsOpenProfileFromFile(icc.c_str(), "r");
  REQUIRE(h);
  CHECK(cmsGetDeviceClass(h) == cmsSigDisplayClass);
  CHECK(cmsGetEncodedICCversion(h) < 0x4000000);  // v2 by default, for ArgyllCMS 2.3 and every desktop
  for (cmsTagSignature t : {cmsSigAToB0Tag, cmsSigRedTRCTag, cmsSigRedColorantTag, cmsSigLuminanceTag,
                            cmsSigMediaBlackPointTag, cmsSigChromaticAdaptationTag})
    CHECK(cmsIsTag(h, t));
  // Media-relative: the device white is the PCS white, D50 (ICC.1:2010 Annex D); the 'chad'
  // matrix takes the display's own white there, so its inverse gives the white back.
  cmsHPROFILE xyz = cmsCreateXYZProfile();
  cmsHTRANSFORM to_xyz = cmsCreateTransform(h, TYPE_RGB_DBL, xyz, TYPE_XYZ_DBL, INTENT_RELATIVE_COLORIMETRIC, 0);
  REQUIRE(to_xyz);
  double white[3] = {1, 1, 1}, out[3];
  cmsDoTransform(to_xyz, white, out, 1);
  CHECK(out[0] == doctest::Approx(cmsD50_XYZ()->X).epsilon(2e-3));
  CHECK(out[1] == doctest::Approx(1.0).epsilon(2e-3));
  CHECK(out[2] == doctest::Approx(cmsD50_XYZ()->Z).epsilon(2e-3));
  auto* chad = static_cast<double*>(cmsReadTag(h, cmsSigChromaticAdaptationTag));
  REQUIRE(chad);
  Mat3 m;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) m(r, c) = chad[3 * r + c];
  Xy own = xy_from_XYZ(m.inverse() * Vec3(cmsD50_XYZ()->X, cmsD50_XYZ()->Y, cmsD50_XYZ()->Z));
  CHECK(own.x == doctest::Approx(0.3070).epsilon(0.01));  // sim:ips-lcd's white (0.3070, 0.3230), as measured
  CHECK(own.y == doctest::Approx(0.3230).epsilon(0.01));
  cmsDeleteTransform(to_xyz);
  cmsCloseProfile(xyz);
  cmsCloseProfile(h);

  if (!have_argyll()) {
    MESSAGE("skipped the ArgyllCMS half: Debian's argyll is not installed");
    return;
  }
  std::string check;
  REQUIRE(test::run_shell("profcheck -k " + (dir / "check.ti3").string() + " " + icc.string(), &check) == 0);
  MESSAGE(check.substr(check.rfind("Profile check")));
  CHECK(profcheck_mean(check) < 0.5);  // README: mean dE2000 under 0.5 on readings it was not made from
}

TEST_CASE("with .cal curves the profile describes the display through them, as ArgyllCMS evaluates both") {
  if (!have_argyll()) {
    MESSAGE("skipped: Debian's argyll is not installed");
    return;
  }
  fs::path dir = test::scratch_dir("cli", "display-profile-cal");
  measure(dir, "recommended", 200, 1, dir / "profile.ti3");
  std::string m = "solve -q -m " + (dir / "profile.ti3").string();
  REQUIRE(test::run_calkit(m + " --format icc-display,cal -o " + (dir / "with").string()).status == 0);
  REQUIRE(test::run_calkit(m + " --format icc-display -o " + (dir / "plain").string()).status == 0);
  Lut1d curves = read_lut1d(dir / "with" / "calibration.cal");
  REQUIRE(curves.table.size() == 256);
  std::string dump;
  REQUIRE(test::run_shell("iccdump -v 1 " + (dir / "with" / "calibration-display.icc").string(), &dump) == 0);
  CHECK(dump.find("'vcgt'") != std::string::npos);
  for (int i : {0, 40, 128, 200, 255}) {
    Vec3 in = Vec3::Constant(i / 255.0);
    Vec3 through = xicclu_nits(dir / "with" / "calibration-display.icc", in);
    Vec3 direct = xicclu_nits(dir / "plain" / "calibration-display.icc", curves.table[std::size_t(i)]);
    INFO("grey ", i, ": ", through.transpose(), " against ", direct.transpose());
    CHECK((through - direct).cwiseAbs().maxCoeff() < 0.01 * 100);  // 1 % of the 100 cd/m² white
  }
}

TEST_CASE(".cal files: dispcal's read as bscpylgtv reads them (../shared)") {
  std::string oracle = test::shared_oracle("bscpylgtv");
  if (oracle.empty()) {
    MESSAGE("skipped: ../shared/oracles/bscpylgtv is not present");
    return;
  }
  // bscpylgtv resamples a .cal to 1024 points (linear) and encodes rint(32767 v).
  Lut1d cal = read_lut1d(fs::path(oracle) / "tests" / "data" / "1dlut_01.cal");
  std::vector<std::uint16_t> values(3 * 1024);
  for (int i = 0; i < 1024; ++i) {
    Vec3 v = apply_1d(cal, Vec3::Constant(i / 1023.0));
    for (int c = 0; c < 3; ++c) values[std::size_t(c * 1024 + i)] = std::uint16_t(std::nearbyint(32767 * v[c]));
  }
  // numpy's interpolation and ours round alike but for the last bit of a tie: 1 step of 32767.
  std::vector<std::uint16_t> theirs = lg::uint16_values(
      lg::base64_decode(test::read_file_bytes(fs::path(oracle) / "tests" / "expected" / "1dlut_01.txt")));
  REQUIRE(theirs.size() == values.size());
  int differ = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(std::abs(int(values[i]) - int(theirs[i])) <= 1);
    differ += values[i] != theirs[i];
  }
  CHECK(differ < 30);
}

TEST_CASE("calibrate --curves-only: a .cal, a LUT that applies the same curves, and a greyscale that passes") {
  fs::path out = test::scratch_dir("cli", "calibrate-curves-only");
  REQUIRE(test::run_calkit("calibrate -q --no-history --probe sim --display sim:reference --patches 200 "
                           "--curves-only -o " +
                           out.string())
              .status == 0);
  Lut1d curves = read_lut1d(out / "calibration.cal");
  Lut3d lut = read_lut3d(out / "calibration.cube");
  for (int r = 0; r < lut.size; r += 4)
    for (int b = 0; b < lut.size; b += 8) {
      Vec3 node = Vec3(r, r / 2, b) / (lut.size - 1);
      CHECK((lut.at(r, r / 2, b) - apply_1d(curves, node)).cwiseAbs().maxCoeff() < 2e-6);
    }
  VerificationResult after = read_verification_json(out / "verify-after.json");
  // The greyscale is what 1D curves can correct (colours outside their reach are not).
  double grey_max = 0;
  for (const GreyStep& step : after.greyscale.steps) grey_max = std::max(grey_max, step.de2000);
  REQUIRE(!after.greyscale.steps.empty());
  CHECK(grey_max <= 1.0);
  CHECK(fs::exists(out / "calibration-display.icc"));
}
