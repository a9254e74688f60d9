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

// Between two rooms, the same pass marks as one display against its target (report/
// verification.hpp); the white's colour alone is also judged for the advice: Δu′v′ 0.002 is
// about twice the u′v′ distance at which side-by-side whites are told apart (field practice
// for suite matching, issue 17; no standard sets it).
struct MatchThresholds {
  double mean_de2000 = 1.0;
  double max_de2000 = 3.0;
  double white_de2000 = 1.0;         // SDR: dE2000 between the two 100 % whites
  double white_delta_uv = 0.002;     // advice: the whites' colours differ
  double mean_de_itp = 3.0;          // HDR
  double max_de_itp = kNotMeasured;  // HDR, off unless set
};

struct MatchPatch {
  Vec3 signal = Vec3::Zero();
  std::string group;
  Vec3 reference_XYZ = Vec3::Zero(), display_XYZ = Vec3::Zero();  // measured, cd/m²
  double de2000 = 0, de_itp = 0;
  // Empty when the patch is judged; otherwise why one display cannot show what the other does
  // ("darker than B's black", "outside B's gamut", ...): listed, not counted in the figures.
  std::string not_shown;
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
  double black_difference_nits = kNotMeasured;                                  // B - A
  double reference_peak_nits = kNotMeasured, display_peak_nits = kNotMeasured;  // brightest grey
  double peak_difference_pct = kNotMeasured;                                    // 100 (B / A - 1)
};

struct MatchResult {
  VerificationInfo reference, display;       // each run's header facts (probe, correction, ...)
  std::string reference_file, display_file;  // as given on the command line
  TargetDescription target;                  // the reference run's
  bool hdr = false;                          // judged by dE ITP
  Vec3 lab_white_XYZ = Vec3::Zero();         // CIELAB white of the dE2000 figures, cd/m²
  bool probes_differ = false;                // different probe or correction names
  std::vector<std::string> notes;
  // What differs and what to do, one line each (white, black, greyscale, gamut, probes); empty
  // when the match passes.
  std::vector<std::string> advice;
  MatchThresholds thresholds;
  std::vector<MatchPatch> patches;
  int not_shown = 0;       // patches left out of the figures (MatchPatch::not_shown)
  DeStats de2000, de_itp;  // over the patches both displays show
  std::vector<MatchGreyStep> greyscale;
  MatchWhite white;
  MatchLevels levels;
  Verdict verdict;
};

struct MatchOptions {
  MatchThresholds thresholds;
  std::string reference_file, display_file;  // named in errors and the report
};

// A run built from plain readings (a .ti3, calkit measurements, a verification's readings file):
// each patch's target is its own reading (so dE2000 is relative to A's measured white), the
// target described by the measured white; `hdr`: the signals are PQ.
VerificationResult run_from_readings(const MeasurementSet& readings, bool hdr);
// The readings of a verification run (signal shown, XYZ measured), its header facts in info.
MeasurementSet readings_of_run(const VerificationResult& run);

// Compares run B (display) with run A (reference). A patch one display cannot show is listed and
// left out of the figures: A's reading darker than B's black by more than 5 % (or B's than A's),
// or a patch either run did not judge (outside that display's gamut by its calibration's model). Throws InputError
// naming the display file and the first patch whose signal differs (or the patch count) when the sets differ, and when
// one run is HDR and the other SDR.
MatchResult compare_runs(const VerificationResult& reference, const VerificationResult& display,
                         const MatchOptions& options);

Verdict judge_match(const MatchResult& result);

// "calkit-match" version 1 (schema in the README, "Matching two suites"); NaN is null.
std::string format_match_json(const MatchResult& result);

}  // namespace calkit
