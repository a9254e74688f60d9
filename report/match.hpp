#pragma once
// Matching two displays: two verification runs (report_json.hpp) of the same patch set, from
// two displays, two probes or two dates, compared patch by patch. What is compared is what each
// probe MEASURED; the runs' targets only give the conventions: dE2000 on CIELAB relative to the
// reference run's target white (as report/verification.hpp), dE ITP (BT.2124) on absolute ICtCp.
// Run A is the reference, run B the display matched against it.
#include <string>
#include <vector>

#include "report/verification.hpp"

namespace calkit {

struct MatchThresholds {
  double mean_de2000 = 1.0;
  double max_de2000 = 3.0;
  double white_de2000 = 1.0;          // SDR: dE2000 between the two 100 % whites
  double mean_de_itp = 3.0;           // HDR
  double max_de_itp = kNotMeasured;   // HDR, off unless set
};

struct MatchPatch {
  Vec3 signal = Vec3::Zero();
  std::string group;
  Vec3 reference_XYZ = Vec3::Zero(), display_XYZ = Vec3::Zero();  // measured, cd/m²
  double de2000 = 0, de_itp = 0;
};

// One greyscale step (R = G = B), in increasing signal: B against A.
struct MatchGreyStep {
  int patch = -1;  // index into MatchResult::patches
  double signal = 0;
  double reference_nits = 0, display_nits = 0;
  double luminance_difference_pct = kNotMeasured;   // 100 (Y_B / Y_A - 1)
  Vec3 rgb_balance = Vec3::Constant(kNotMeasured);  // B's grey in % of A's per channel (rgb_balance)
  double de2000 = 0, de_itp = 0;
};

struct MatchWhite {
  bool measured = false;  // both runs have a 100 % white patch
  Xy reference_xy{kNotMeasured, kNotMeasured}, display_xy{kNotMeasured, kNotMeasured};
  double delta_xy = kNotMeasured, delta_uv = kNotMeasured;
  double reference_cct = kNotMeasured, display_cct = kNotMeasured, delta_cct = kNotMeasured;  // B - A
  double reference_nits = kNotMeasured, display_nits = kNotMeasured;
  double luminance_difference_pct = kNotMeasured;
  double de2000 = kNotMeasured, de_itp = kNotMeasured;
};

struct MatchLevels {
  double reference_black_nits = kNotMeasured, display_black_nits = kNotMeasured;
  double black_difference_nits = kNotMeasured;  // B - A
  double reference_peak_nits = kNotMeasured, display_peak_nits = kNotMeasured;  // brightest grey
  double peak_difference_pct = kNotMeasured;    // 100 (B / A - 1)
};

struct MatchResult {
  VerificationInfo reference, display;       // each run's header facts (probe, correction, ...)
  std::string reference_file, display_file;  // as given on the command line
  TargetDescription target;                  // the reference run's
  bool hdr = false;                          // judged by dE ITP
  Vec3 lab_white_XYZ = Vec3::Zero();         // CIELAB white of the dE2000 figures, cd/m²
  bool probes_differ = false;                // different probe or correction names
  std::vector<std::string> notes;
  MatchThresholds thresholds;
  std::vector<MatchPatch> patches;
  DeStats de2000, de_itp;
  std::vector<MatchGreyStep> greyscale;
  MatchWhite white;
  MatchLevels levels;
  Verdict verdict;
};

struct MatchOptions {
  MatchThresholds thresholds;
  std::string reference_file, display_file;  // named in errors and the report
};

// Compares run B (display) with run A (reference). Throws InputError naming the display file
// and the first patch whose signal differs (or the patch count) when the sets differ, and when
// one run is HDR and the other SDR.
MatchResult compare_runs(const VerificationResult& reference, const VerificationResult& display,
                         const MatchOptions& options);

Verdict judge_match(const MatchResult& result);

// "calkit-match" version 1 (schema in the README, "Matching two suites"); NaN is null.
std::string format_match_json(const MatchResult& result);

}  // namespace calkit
