// `calkit upload` and `calkit calibrate --upload` as a user runs them: into a Resolve LUT folder
// (the installed file applied by OpenColorIO like the source), and into the LG TV emulator, whose
// slot must hold exactly what bscpylgtv's encoding of the solved LUT gives (tests/upload/ checks
// the encoding against bscpylgtv's own payloads), with the calibrated display verified through
// the LUT the TV holds.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "emulators/lg_tv_emulator.hpp"
#include "luts/lut_io.hpp"
#include "report/report_json.hpp"
#include "tests/luts/lut_test_util.hpp"
#include "tests/support/calkit_test_support.hpp"
#include "upload/lg_protocol.hpp"
#include "upload/lg_tv.hpp"

using namespace calkit;
namespace fs = std::filesystem;

TEST_CASE("upload resolve:DIR installs the LUT in a calkit folder, another format as a .cube OCIO reads alike") {
  fs::path dir = test::scratch_dir("cli", "upload-resolve");
  fs::create_directories(dir / "LUT");
  fs::path cube = dir / "suite-a.cube";
  write_lut3d(cube, lut_test::curvy_lut(17));
  test::CalkitOutput run = test::run_calkit("upload resolve:" + (dir / "LUT").string() + " " + cube.string());
  REQUIRE(run.status == 0);
  CHECK(test::read_file_bytes(dir / "LUT" / "calkit" / "suite-a.cube") == test::read_file_bytes(cube));
  CHECK(run.output.find("Video monitor lookup table to calkit/suite-a") != std::string::npos);

  fs::path clf = dir / "suite-b.clf";
  write_lut3d(clf, lut_test::curvy_lut(17));
  REQUIRE(test::run_calkit("upload resolve:" + (dir / "LUT").string() + " " + clf.string() + " --json").status == 0);
  fs::path installed = dir / "LUT" / "calkit" / "suite-b.cube";
  REQUIRE(fs::exists(installed));
  for (const Vec3& p : lut_test::random_points(40, 7, 0, 1)) {
    Vec3 a = lut_test::ocio_apply_file(clf, OCIO::INTERP_TETRAHEDRAL, p);
    Vec3 b = lut_test::ocio_apply_file(installed, OCIO::INTERP_TETRAHEDRAL, p);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-5);
  }
  // No Resolve there: a failure of the world (exit 1); an unknown destination is bad input (2).
  CHECK(test::run_calkit("upload resolve:" + (dir / "absent").string() + " " + cube.string()).status == 1);
  CHECK(test::run_calkit("upload nowhere " + cube.string()).status == 2);
}

TEST_CASE("calibrate --upload lg: the TV's slot holds the solved LUT, and the TV's LUT is what is verified") {
  fs::path out = test::scratch_dir("cli", "calibrate-upload-lg");
  LgTvEmulator tv;  // a 2022 Alpha 9 OLED: 33 points
  std::string upload = "lg:127.0.0.1:" + std::to_string(tv.port()) + ",tls=no,keys=" + (out / "keys.json").string();
  test::CalkitOutput run = test::run_calkit(
      "calibrate --quiet --no-history --probe sim --display sim:woled-tv "
      "--target bt1886 --patches 400 --json --upload " +
          upload + " -o " + out.string(),
      test::Stderr::Inherit);
  REQUIRE(run.status == 0);
  REQUIRE(tv.lut3d("expert1", "bt709"));
  CHECK_FALSE(tv.in_calibration_mode());
  // What the TV holds decodes from exactly the 12-bit values of the solved LUT file.
  Lut3d solved = read_lut3d(out / "calibration.cube");
  REQUIRE(solved.size == 33);
  CHECK(lg::encode_lut3d(*tv.lut3d("expert1", "bt709")) == lg::encode_lut3d(solved));
  VerificationResult after = read_verification_json(out / "verify-after.json");
  CHECK_MESSAGE(after.verdict.pass, after.verdict.line);

  // The same file uploaded again with `calkit upload`: no new pairing, the same slot contents.
  test::CalkitOutput again =
      test::run_calkit("upload " + upload + " " + (out / "calibration.cube").string() + " --json");
  REQUIRE(again.status == 0);
  nlohmann::json j = nlohmann::json::parse(again.output);
  CHECK(j["model"] == "HE_DTV_W22O_AFABATAA");
  CHECK(j["lut_size"] == 33);
  CHECK(j["read_back_matches"] == true);
  CHECK(tv.pairings() == 1);
}
