// The desktop ICC display profile (`solve --format icc-display`), the ArgyllCMS .cal curves and
// `calibrate --curves-only`, judged by tools calkit did not write: ArgyllCMS's profcheck on the
// readings the profile was made from, on others and on readings taken through its curves;
// xicclu evaluating the profile's absolute white and black; LittleCMS's transforms against the
// readings; and bscpylgtv's payload for a .cal file dispcal wrote.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "color/colorimetry.hpp"
#include "formats/measurement_file.hpp"
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

// The reading of one device colour (the mean when it was measured more than once).
Vec3 reading_at(const MeasurementSet& set, const Vec3& rgb) {
  Vec3 sum = Vec3::Zero();
  int n = 0;
  for (const Reading& r : set.readings)
    if ((r.rgb - rgb).cwiseAbs().maxCoeff() < 1e-6) sum += r.XYZ, ++n;
  REQUIRE(n > 0);
  return sum / n;
}

struct Errors {
  double mean = 0, max = 0;              // the profile's colour for each reading's RGB against the reading
  double shown_mean = 0, shown_max = 0;  // each reading's colour through the profile's inverse and back
};

// dE2000 (LittleCMS's) between what LittleCMS predicts from the profile and the readings, in Lab
// of the measured white. Absolute colorimetry with adaptation state 0 undoes the profile's 'chad'
// (cmscnvrt.c), so the prediction is the display's own XYZ over its white's Y, as the readings
// are. "Shown": the reading's XYZ taken to device RGB the way a desktop CMM shows a colour on it
// (the profile has no BToA0, so LittleCMS inverts its matrix/shaper), then back through the AToB0.
Errors littlecms_errors(const fs::path& profile, const MeasurementSet& set) {
  const Vec3 white_nits = reading_at(set, Vec3::Ones());
  const cmsCIEXYZ white{white_nits.x() / white_nits.y(), 1.0, white_nits.z() / white_nits.y()};
  cmsContext ctx = cmsCreateContext(nullptr, nullptr);
  cmsSetAdaptationStateTHR(ctx, 0);
  cmsHPROFILE h = cmsOpenProfileFromFileTHR(ctx, profile.c_str(), "r");
  cmsHPROFILE xyz = cmsCreateXYZProfileTHR(ctx);
  REQUIRE(h);
  cmsHTRANSFORM forward =
      cmsCreateTransformTHR(ctx, h, TYPE_RGB_DBL, xyz, TYPE_XYZ_DBL, INTENT_ABSOLUTE_COLORIMETRIC, 0);
  cmsHTRANSFORM inverse =
      cmsCreateTransformTHR(ctx, xyz, TYPE_XYZ_DBL, h, TYPE_RGB_DBL, INTENT_ABSOLUTE_COLORIMETRIC, 0);
  REQUIRE(forward);
  REQUIRE(inverse);
  auto lab = [&](const double* v) {
    cmsCIEXYZ x{v[0], v[1], v[2]};
    cmsCIELab l;
    cmsXYZ2Lab(&white, &l, &x);
    return l;
  };
  Errors e;
  for (const Reading& r : set.readings) {
    const double rgb[3] = {r.rgb[0], r.rgb[1], r.rgb[2]};
    const double measured[3] = {r.XYZ[0] / white_nits.y(), r.XYZ[1] / white_nits.y(), r.XYZ[2] / white_nits.y()};
    double predicted[3], device[3], shown[3];
    cmsDoTransform(forward, rgb, predicted, 1);
    cmsDoTransform(inverse, measured, device, 1);
    cmsDoTransform(forward, device, shown, 1);
    cmsCIELab want = lab(measured), got = lab(predicted), seen = lab(shown);
    double d = cmsCIE2000DeltaE(&want, &got, 1, 1, 1), s = cmsCIE2000DeltaE(&want, &seen, 1, 1, 1);
    e.mean += d, e.max = std::max(e.max, d), e.shown_mean += s, e.shown_max = std::max(e.shown_max, s);
  }
  e.mean /= double(set.readings.size());
  e.shown_mean /= double(set.readings.size());
  cmsDeleteTransform(forward);
  cmsDeleteTransform(inverse);
  cmsCloseProfile(xyz);
  cmsCloseProfile(h);
  cmsDeleteContext(ctx);
  return e;
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

TEST_CASE("solve --format icc-display: LittleCMS and ArgyllCMS load it and predict the readings within 0.5 dE2000") {
  fs::path dir = test::scratch_dir("cli", "display-profile");
  measure(dir, "recommended", 300, 1, dir / "profile.ti3");
  measure(dir, "extended", 0, 2, dir / "check.ti3");
  for (int version : {2, 4})
    REQUIRE(test::run_calkit("solve -q -m " + (dir / "profile.ti3").string() + " --format icc-display --icc-version " +
                             std::to_string(version) + " -o " + (dir / ("v" + std::to_string(version))).string())
                .status == 0);
  REQUIRE(test::run_calkit("solve -q -m " + (dir / "profile.ti3").string() + " --format icc-display -o " +
                           (dir / "default").string())
              .status == 0);
  fs::path v2 = dir / "v2" / "calibration-display.icc", v4 = dir / "v4" / "calibration-display.icc";
  CHECK(test::read_file_bytes(dir / "default" / "calibration-display.icc").substr(128) ==
        test::read_file_bytes(v2).substr(128));  // v2 by default (the header differs in its date)

  MeasurementSet profiled = read_measurements(dir / "profile.ti3"), check = read_measurements(dir / "check.ti3");
  const Vec3 white = reading_at(check, Vec3::Ones()), black = reading_at(check, Vec3::Zero());
  for (const fs::path& icc : {v2, v4}) {
    INFO(icc.string());
    cmsHPROFILE h = cmsOpenProfileFromFile(icc.c_str(), "r");
    REQUIRE(h);
    CHECK(cmsGetDeviceClass(h) == cmsSigDisplayClass);
    CHECK(cmsGetPCS(h) == cmsSigXYZData);
    for (cmsTagSignature t : {cmsSigAToB0Tag, cmsSigRedTRCTag, cmsSigGreenTRCTag, cmsSigBlueTRCTag,
                              cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag, cmsSigLuminanceTag,
                              cmsSigChromaticAdaptationTag, cmsSigMediaWhitePointTag})
      CHECK(cmsIsTag(h, t));
    // 'wtpt': D50 in v4 (ICC.1:2010), the display's own white in v2, as ArgyllCMS's colprof writes it.
    auto* wtpt = static_cast<cmsCIEXYZ*>(cmsReadTag(h, cmsSigMediaWhitePointTag));
    REQUIRE(wtpt);
    Xy media = xy_from_XYZ(Vec3(wtpt->X, wtpt->Y, wtpt->Z)), measured = xy_from_XYZ(white);
    if (icc == v4) {
      CHECK(cmsGetEncodedICCversion(h) >= 0x4000000);
      CHECK(media.x == doctest::Approx(0.3457).epsilon(1e-3));  // D50
      CHECK(media.y == doctest::Approx(0.3585).epsilon(1e-3));
      CHECK_FALSE(cmsIsTag(h, cmsSigMediaBlackPointTag));  // no 'bkpt' in v4
    } else {
      CHECK(cmsGetEncodedICCversion(h) < 0x4000000);
      CHECK(std::abs(media.x - measured.x) < 0.002);
      CHECK(std::abs(media.y - measured.y) < 0.002);
      CHECK(cmsIsTag(h, cmsSigMediaBlackPointTag));
    }
    cmsCloseProfile(h);

    // LittleCMS's prediction of every reading it was not made from, and of those it was.
    Errors fresh = littlecms_errors(icc, check), fitted = littlecms_errors(icc, profiled);
    MESSAGE(icc.parent_path().filename().string(), ": LittleCMS against other readings: mean dE2000 ", fresh.mean,
            ", max ", fresh.max, "; against its own: mean ", fitted.mean, ", max ", fitted.max,
            "; a colour shown through it (matrix/shaper inverse, then the AToB0) mean ", fresh.shown_mean, ", max ",
            fresh.shown_max);
    CHECK(fresh.mean < 0.5);  // README "Desktop ICC": mean dE2000 under 0.5
    CHECK(fresh.max < 2.0);
    CHECK(fitted.mean < 0.5);
    CHECK(fresh.shown_mean < 0.5);
  }

  if (!have_argyll()) {
    MESSAGE("skipped the ArgyllCMS half: Debian's argyll is not installed");
    return;
  }
  // ArgyllCMS reads the v2 profile's absolute colorimetry: its white and black are the readings'.
  CHECK((xicclu_nits(v2, Vec3::Ones()) - white).norm() < 0.005 * white.y());
  CHECK((xicclu_nits(v2, Vec3::Zero()) - black).norm() < 0.05 * black.y() + 0.002);
  std::string out;
  CHECK(test::run_shell("iccdump " + v4.string(), &out) != 0);  // ArgyllCMS 2.3 reads no v4: why v2 is the default
  for (const fs::path& ti3 : {dir / "profile.ti3", dir / "check.ti3"}) {
    REQUIRE(test::run_shell("profcheck -k " + ti3.string() + " " + v2.string(), &out) == 0);
    MESSAGE("profcheck ", ti3.filename().string(), ": ", out.substr(out.rfind("Profile check")));
    CHECK(profcheck_mean(out) < 0.5);  // README "Desktop ICC": mean dE2000 under 0.5
  }
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
  // ArgyllCMS's iccvcgt takes the 'vcgt' tag out as a .cal: the curves, to 16 bits.
  REQUIRE(test::run_shell(
              "iccvcgt -x " + (dir / "with" / "calibration-display.icc").string() + " " + (dir / "vcgt.cal").string(),
              &dump) == 0);
  Lut1d vcgt = read_lut1d(dir / "vcgt.cal");
  REQUIRE(vcgt.table.size() == curves.table.size());
  for (std::size_t i = 0; i < vcgt.table.size(); ++i)
    CHECK((vcgt.table[i] - curves.table[i]).cwiseAbs().maxCoeff() < 0.5 / 65535 + 1e-6);
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

TEST_CASE(
    "calibrate --curves-only: .cal and 1D .cube curves, verified through the display's 1D LUT, greyscale passes") {
  fs::path out = test::scratch_dir("cli", "calibrate-curves-only");
  REQUIRE(test::run_calkit("calibrate -q --no-history --probe sim --display sim:reference --patches 200 "
                           "--curves-only -o " +
                           out.string())
              .status == 0);
  Lut1d curves = read_lut1d(out / "calibration.cal");
  Lut1d cube = read_lut1d(out / "calibration-curves.cube");
  REQUIRE(cube.table.size() == curves.table.size());
  for (std::size_t i = 0; i < cube.table.size(); ++i)  // .cal: 7 decimals
    CHECK((cube.table[i] - curves.table[i]).cwiseAbs().maxCoeff() < 1e-7);
  Lut3d lut = read_lut3d(out / "calibration.cube");
  for (int r = 0; r < lut.size; r += 4)
    for (int b = 0; b < lut.size; b += 8) {
      Vec3 node = Vec3(r, r / 2, b) / (lut.size - 1);
      CHECK((lut.at(r, r / 2, b) - apply_1d(curves, node)).cwiseAbs().maxCoeff() < 2e-6);
    }
  VerificationResult after = read_verification_json(out / "verify-after.json");
  CHECK(after.info.lut_file == "calibration-curves.cube");  // measured through the 1D LUT slot
  // The greyscale is what 1D curves can correct (colours outside their reach are not).
  double grey_max = 0;
  for (const GreyStep& step : after.greyscale.steps) grey_max = std::max(grey_max, step.de2000);
  REQUIRE(!after.greyscale.steps.empty());
  CHECK(grey_max <= 1.0);

  // The display profile describes the display through the curves: ArgyllCMS's profcheck on the
  // calibrated verification's readings (taken through them; the profile was made from others).
  if (!have_argyll()) {
    MESSAGE("skipped the profcheck: Debian's argyll is not installed");
    return;
  }
  REQUIRE(
      test::run_calkit("convert " + (out / "verify-after-readings.json").string() + " " + (out / "after.ti3").string())
          .status == 0);
  std::string check;
  REQUIRE(
      test::run_shell("profcheck -k " + (out / "after.ti3").string() + " " + (out / "calibration-display.icc").string(),
                      &check) == 0);
  MESSAGE("profcheck through the curves: ", check.substr(check.rfind("Profile check")));
  CHECK(profcheck_mean(check) < 0.5);  // README "Desktop ICC": mean dE2000 under 0.5
}
