#pragma once
// Verification: how far a display's measured patches are from what its target says they should
// be. evaluate() turns a MeasurementSet (signals shown through the calibration, XYZ read) and the
// target (signal -> absolute XYZ) into a VerificationResult: plain values that save to JSON
// (report_json.hpp) and render to HTML (report/html/verification_page.hpp).
//
// Conventions: XYZ is absolute cd/m² everywhere. dE2000/76/94 use CIELAB relative to the
// target's white XYZ (target_XYZ(1,1,1)) for both sides; dE ITP (BT.2124) uses absolute ICtCp.
// A value that could not be measured (no black patch, a zero-luminance grey) is NaN, which the
// JSON stores as null.
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"

namespace calkit {

// A reading records the signal shown, which differs from the one its patch asked for by up to one
// 8-bit code (a pattern generator sends its own depth; the window truncates 10-bit codes to 8):
// a 10 % step may read 0.0997. Level boundaries and two runs' patches are compared within it.
constexpr double kSignalTolerance = 1.0 / 255;

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// Facts about the run that the report header shows.
struct VerificationInfo {
  std::string label;  // "uncalibrated", "calibrated", ... (the column title in a report)
  std::string display;
  std::string probe;
  std::string correction;  // CCSS/CCMX or probe mode
  std::string target;      // the target's name as the user gave it
  std::string lut_file;    // the LUT the display was verified through (may be empty)
  std::string lut_xxh64;   // xxHash64 of lut_file, 16 hex digits big-endian (as ASC MHL)
  std::string date;        // ISO 8601 UTC
  std::string calkit_version;
};

// What the target is, for the header and the charts (the numbers come from target_XYZ).
struct TargetDescription {
  std::string name;  // "Rec.709 BT.1886 100 cd/m²"
  Xy red{0.640, 0.330}, green{0.300, 0.600}, blue{0.150, 0.060}, white{0.3127, 0.3290};
  std::string eotf;         // "BT.1886", "gamma 2.2", "sRGB", "PQ", "HLG"
  double white_nits = 100;  // target white (SDR) or mastering peak (HDR)
  double black_nits = 0;
  bool hdr = false;
  // PQ: how the mastering range lands on the display, and the display peak it lands on (NaN
  // when unknown or SDR).
  std::string roll_off;  // "bt2390", "clip" or empty
  double display_peak_nits = kNotMeasured;
};

struct VerificationPatch {
  Vec3 signal = Vec3::Zero();          // target-encoded RGB shown, 0..1
  Vec3 target_XYZ = Vec3::Zero();      // cd/m²
  Vec3 measured_XYZ = Vec3::Zero();    // cd/m²
  Vec3 measured_stdev = Vec3::Zero();  // the probe's 1-sigma per component (0: not stated)
  std::string group;                   // "greyscale", "primaries", "secondaries", "colors", ...
  double de2000 = 0, de76 = 0, de94 = 0, de_itp = 0;
  // Counted in the summary and the verdict. Not: a target the display cannot show (outside its
  // gamut, as the calibration's model says), and in HDR the 0 % black, whose dE ITP compares two
  // blacks at the meter's noise floor (PQ's slope is unbounded at 0: 0.001 cd/m² is 1.5-3 dE ITP);
  // the black level is reported as luminance and contrast instead.
  bool judged = true;
  // The colour difference the probe's noise alone makes here (see noise_de): 0 when not stated.
  double de2000_noise = 0, de_itp_noise = 0;
};

// Aggregates of one dE metric over a set of patches. Percentiles interpolate linearly between
// order statistics (Hyndman & Fan 1996 type 7, the same as Excel PERCENTILE.INC and numpy).
struct DeStats {
  int count = 0;
  double mean = 0, median = 0, p95 = 0, max = 0;
  int max_index = -1;  // index into VerificationResult::patches of the worst patch
};

struct GroupStats {
  std::string group;
  DeStats de2000, de_itp;
};

// Over the judged patches (VerificationPatch::judged).
struct Summary {
  int not_judged = 0;  // patches left out of the statistics below
  DeStats de2000, de_itp;
  DeStats de76, de94;              // count 0 unless VerificationOptions::extra_metrics
  std::vector<GroupStats> groups;  // in order of first appearance
};

// One step of the greyscale (a patch with R = G = B), in increasing signal.
struct GreyStep {
  int patch = -1;  // index into VerificationResult::patches
  double signal = 0;
  double target_nits = 0, measured_nits = 0;
  double luminance_error_pct = 0;                 // 100 * (measured / target - 1)
  Vec3 rgb_balance = Vec3::Zero();                // % of target per channel (chromaticity only, see README)
  double cct = kNotMeasured, duv = kNotMeasured;  // Ohno 2013 CCT, Ohno 2014 Duv
  double target_gamma = kNotMeasured, measured_gamma = kNotMeasured;  // point gamma (SDR)
  double de2000 = 0, de_itp = 0;
};

struct GreyscaleAnalysis {
  std::vector<GreyStep> steps;
  double white_nits = kNotMeasured, target_white_nits = kNotMeasured;
  double white_error_pct = kNotMeasured;  // measured white vs target white luminance
  double black_nits = kNotMeasured, target_black_nits = kNotMeasured;
  double contrast = kNotMeasured;  // white / black; NaN without a black reading above 0
  Xy white_xy{kNotMeasured, kNotMeasured}, target_white_xy{kNotMeasured, kNotMeasured};
  double white_delta_xy = kNotMeasured;  // Euclidean xy distance
  double white_delta_uv = kNotMeasured;  // Euclidean u'v' distance
  double white_cct = kNotMeasured, white_duv = kNotMeasured;
  double mean_gamma = kNotMeasured;                    // mean point gamma over steps 10%..90% (SDR)
  double mean_abs_luminance_error_pct = kNotMeasured;  // over the tracked steps
  // HDR
  double peak_nits = kNotMeasured;        // brightest greyscale reading
  double window_pct = kNotMeasured;       // window size of the greyscale, when known
  double tracked_to_nits = kNotMeasured;  // PQ tracking counted up to the display's peak
  double rolloff_signal = kNotMeasured;   // highest step still on the PQ curve (see README)
  double rolloff_nits = kNotMeasured;
};

struct VerificationThresholds {
  double mean_de2000 = 1.0;
  double max_de2000 = 3.0;
  double greyscale_max_de2000 = 1.0;
  // HDR, dE ITP (ITU-R BT.2124). No standard sets a pass mark; these are DisplayCAL's report
  // criteria for dE ICtCp (nominal average 1.5 and maximum 5, recommended maximum 3, in its
  // Pytlarz-normalised units) taken to BT.2124 units at the strict end of the conversion (x1.5,
  // a pure intensity error; a pure chroma error converts x3): mean 2.25 rounded up to calkit's
  // 3.0, p95 at the recommended maximum (4.5), max at the nominal maximum (7.5).
  double mean_de_itp = 3.0;
  double p95_de_itp = 4.5;
  double max_de_itp = 7.5;
};

// A criterion is met when its value plus its noise band (kNoiseBand sigmas of what the probe's
// stated uncertainty makes of it) is within the limit, and missed when its value minus the band
// is over it. Between the two, the noise could decide: the verdict says so.
inline constexpr double kNoiseBand = 2;

struct Verdict {
  bool pass = false;      // no criterion missed beyond the probe's noise
  bool marginal = false;  // some criterion within the probe's noise of its limit
  std::string line;       // "PASS: mean dE2000 0.42 ≤ 1.00, ...", "PASS (marginal: within the probe's noise): ..."
};
// "PASS", "PASS (marginal)" or "FAIL", for badges.
std::string verdict_word(const Verdict& verdict);

struct VerificationResult {
  VerificationInfo info;
  TargetDescription target;
  VerificationThresholds thresholds;
  bool extra_metrics = false;  // dE76/dE94 shown
  std::vector<VerificationPatch> patches;
  Summary summary;
  GreyscaleAnalysis greyscale;
  Verdict verdict;
};

struct VerificationOptions {
  VerificationInfo info;  // empty fields are filled from MeasurementSet::info
  TargetDescription target;
  VerificationThresholds thresholds;
  bool extra_metrics = false;
  // One group name per reading; empty: guessed from the signal (see classify_patch).
  std::vector<std::string> groups;
  double window_pct = kNotMeasured;  // HDR window size, for the report
  double rolloff_tolerance = 0.05;   // HDR: a step is on the PQ curve within this fraction
  // Whether the display can show a target XYZ (the calibration's model of it); empty: every
  // patch is judged but the HDR black.
  std::function<bool(const Vec3& target_XYZ)> shown_by_display;
};

using TargetFunction = std::function<Vec3(const Vec3& signal)>;

// Empty fields of options.info are taken from the set's header; lut_xxh64 is the caller's to fill
// (records/checksum.hpp): evaluate() reads no file. Throws InputError when the set is empty or
// options.groups has the wrong length.
VerificationResult evaluate(const MeasurementSet& measured, const TargetFunction& target_XYZ,
                            const VerificationOptions& options);

// "greyscale" (R = G = B), "primaries" (one channel on), "secondaries" (two equal channels on,
// one off), otherwise "colors".
std::string classify_patch(const Vec3& signal);

// Statistics helpers (exposed for tests and for other reports).
double percentile(std::vector<double> values, double p);  // p in [0, 100]; NaN when empty
DeStats de_stats(const std::vector<double>& values);

// Point gamma of a luminance ratio at a signal: log(Y / Y_white) / log(V), for 0 < V < 1.
double point_gamma(double signal, double luminance_ratio);

// Chromaticity-only channel balance of `measured` against `reference` in %: both scaled to Y = 1
// and taken into a target's linear RGB, so a luminance error does not show as a colour cast.
// NaN per channel when either has no light.
Vec3 rgb_balance(const Mat3& XYZ_to_rgb, const Vec3& reference, const Vec3& measured);

// One part of a verdict line, "mean dE2000 0.42 ≤ 1.00"; clears `pass` when value > limit or NaN.
std::string verdict_criterion(const char* name, double value, double limit, bool& pass);
// The colour difference a probe's 1-sigma makes at `measured`: the root sum of squares of the
// differences between `measured` and `measured` with one component moved by its sigma. It does
// not vanish where the difference to the target does (a norm has no slope at zero).
double noise_de(const Vec3& measured, const Vec3& sigma, const std::function<double(const Vec3&, const Vec3&)>& de);

Verdict judge(const VerificationResult& result);

}  // namespace calkit
