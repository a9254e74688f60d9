// dE2000 per patch and its aggregates against ArgyllCMS `colverify -k` on the same two .ti3 files
// (Debian `argyll`). colverify reads XYZ on a 0..1 scale and takes CIELAB relative to the ICC D50
// white (0.9642029, 1, 0.8249054) without normalising (shared/research/oracles.md §2.4), so the
// target here is a display whose white is exactly that XYZ: our Lab (relative to the target
// white) is then the same Lab.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "color/rgb_space.hpp"
#include "report/verification.hpp"
#include "scenario.hpp"

using namespace calkit;
using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

const Vec3 kIccD50(0.9642029, 1.0, 0.8249054);

// A minimal CGATS .ti3 for colverify, XYZ on the 0..1 scale it expects (written here, not with
// formats/, whose .ti3 writer normalises to Y = 100 as dispread does).
void write_ti3(const fs::path& path, const std::vector<Vec3>& rgb, const std::vector<Vec3>& XYZ) {
  std::ofstream out(path);
  out << "CTI3\n\nDESCRIPTOR \"calkit report test\"\nORIGINATOR \"calkit\"\nDEVICE_CLASS \"DISPLAY\"\n"
         "COLOR_REP \"RGB_XYZ\"\n\nNUMBER_OF_FIELDS 7\nBEGIN_DATA_FORMAT\n"
         "SAMPLE_ID RGB_R RGB_G RGB_B XYZ_X XYZ_Y XYZ_Z\nEND_DATA_FORMAT\n\n";
  out << "NUMBER_OF_SETS " << rgb.size() << "\nBEGIN_DATA\n";
  for (std::size_t i = 0; i < rgb.size(); ++i)
    out << fmt::format("{} {:.6f} {:.6f} {:.6f} {:.12f} {:.12f} {:.12f}\n", i + 1, 100 * rgb[i].x(), 100 * rgb[i].y(),
                       100 * rgb[i].z(), XYZ[i].x(), XYZ[i].y(), XYZ[i].z());
  out << "END_DATA\n";
}

struct ColverifyResult {
  std::vector<double> de;
  double peak = -1, avg = -1;
};

ColverifyResult run_colverify(const fs::path& ref, const fs::path& meas, const fs::path& log) {
  std::string command =
      fmt::format("colverify -k -v2 '{}' '{}' > '{}' 2>&1", ref.string(), meas.string(), log.string());
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "colverify (Debian argyll) failed or is missing");
  ColverifyResult result;
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    auto at = line.find(" de ");
    if (line.find("<=>") != std::string::npos && at != std::string::npos)
      result.de.push_back(std::stod(line.substr(at + 4)));
    if (line.find("Total errors") != std::string::npos)
      std::sscanf(line.substr(line.find("peak")).c_str(), "peak = %lf, avg = %lf", &result.peak, &result.avg);
  }
  return result;
}

}  // namespace

TEST_CASE("dE2000 per patch, mean and max agree with ArgyllCMS colverify") {
  RgbSpace space = rec709_space();
  space.white = xy_from_XYZ(kIccD50);
  Mat3 npm = space.rgb_to_XYZ();  // white (1,1,1) -> kIccD50 (Y = 1)
  auto reference = [&](const Vec3& s) { return Vec3(npm * s.array().pow(2.4).matrix()); };
  // The measured display: errors of up to a few dE, different per patch and channel.
  auto measured = [&](const Vec3& s) {
    Vec3 t = reference(s);
    for (int c = 0; c < 3; ++c) t[c] *= 1.0 + 0.03 * wobble(s, c);
    return t;
  };
  std::vector<Vec3> signals = verification_signals(), ref_xyz, meas_xyz;
  for (const auto& s : signals) {
    ref_xyz.push_back(reference(s));
    meas_xyz.push_back(measured(s));
  }
  fs::path dir = fs::path(CALKIT_TEST_TMP);
  write_ti3(dir / "argyll_ref.ti3", signals, ref_xyz);
  write_ti3(dir / "argyll_meas.ti3", signals, meas_xyz);
  ColverifyResult argyll = run_colverify(dir / "argyll_ref.ti3", dir / "argyll_meas.ti3", dir / "argyll_colverify.txt");
  REQUIRE(argyll.de.size() == signals.size());

  // Ours, with the same numbers in cd/m² (x100): Lab relative to the target white 100 * D50.
  MeasurementSet set;
  std::map<std::vector<double>, Vec3> target_of;
  for (std::size_t i = 0; i < signals.size(); ++i) {
    set.readings.push_back({signals[i], 100.0 * meas_xyz[i], {}, Vec3::Zero()});
    target_of[{signals[i].x(), signals[i].y(), signals[i].z()}] = 100.0 * ref_xyz[i];
  }
  TargetFunction target = [&](const Vec3& s) { return target_of.at({s.x(), s.y(), s.z()}); };
  VerificationOptions options;
  options.target.white = space.white;
  auto result = evaluate(set, target, options);

  double worst = 0;
  for (std::size_t i = 0; i < signals.size(); ++i) {
    // colverify prints 6 decimals.
    CHECK_MESSAGE(std::abs(result.patches[i].de2000 - argyll.de[i]) < 2e-6, "patch ", i + 1);
    worst = std::max(worst, argyll.de[i]);
  }
  CHECK(worst > 1.0);  // the set exercises real differences, not only zeros
  CHECK(std::abs(result.summary.de2000.max - argyll.peak) < 2e-6);
  CHECK(std::abs(result.summary.de2000.mean - argyll.avg) < 2e-6);
}
