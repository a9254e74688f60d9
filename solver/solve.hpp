#pragma once
// The solver's entry point: readings + target -> calibration LUT(s) and a model summary.
// LUT convention: input is the target-encoded signal, output the signal the display receives,
// both full range 0..1 (legal range: both video-range codes, 64..940 of 1023 scaled to 0..1).
#include <functional>
#include <string>
#include <vector>

#include "formats/measurement_set.hpp"
#include "luts/lut.hpp"
#include "solver/bias_test.hpp"
#include "solver/fitted_model.hpp"
#include "solver/target.hpp"

namespace calkit {

enum class LutRange { Full, Legal };

struct SolveOptions {
  int lut_size = 0;    // nodes per axis (any N >= 2); 0: default_lut_size(target)
  int lut1d_size = 0;  // entries of the greyscale-only 1D LUT; 0: none
  LutRange range = LutRange::Full;
  int threads = 0;  // 0: all cores
  FitOptions fit;
  std::function<void(double done)> progress;  // 0..1, called from the calling thread
};

// How far tetrahedral interpolation between the LUT's nodes lands from solving at the point
// itself, through the model, in dE units of the mapping space (solve.cpp says where it samples).
struct InterpolationError {
  int points = 0;
  double mean = 0, p95 = 0, max = 0;
};

// A LUT whose interpolation error is on average more than this (dE ITP for PQ, dE76 for SDR:
// about one just-noticeable difference) is too coarse for its target, and solve() warns.
inline constexpr double kInterpolationWarning = 1.0;
// An SDR LUT whose largest output is below this warns: more than 20 % of the code range unused.
inline constexpr double kCodeRangeWarning = 0.8;

struct SolveResult {
  Lut3d lut;
  Lut1d lut1d;  // empty table when not asked for
  FittedDisplayModel model;
  FitReport fit;
  BiasTest bias;  // the fit's residuals against the probe's noise; a failed test is a warning
  Target target;  // with the display's black and peak filled in
  double neutral_min_nits = 0, neutral_max_nits = 0;  // target-white greys the display can show
  int mapped_nodes = 0;                               // LUT nodes whose colour the display could not show exactly
  InterpolationError interpolation;
  double fit_seconds = 0, lut_seconds = 0;
  std::vector<std::string> notes;     // e.g. "white lowered to 92.3 cd/m²: ..."
  std::vector<std::string> warnings;  // the fit did not converge, the LUT is too coarse (stderr)
};

SolveResult solve(const MeasurementSet& set, const Target& target, const SolveOptions& options = {});

// The target with the display facts of a fitted model filled in, as solve() fills them: its
// black (unless the target shares one), and for PQ its peak; an SDR white the display cannot
// reach is lowered to the brightest target-white grey it shows (said in `notes`). Throws
// ValueError when the display's black is brighter than half the SDR white.
Target target_for_display(const Target& target, const FittedDisplayModel& model, double* neutral_min_nits,
                          double* neutral_max_nits, std::vector<std::string>* notes = nullptr);

// 33 for SDR targets, 65 for PQ: a PQ display's roll-off and clip near its peak bend the inverse
// inside a 33³ cell, and interpolating across the bend costs up to 4-7 dE ITP on the built-in
// displays where 65³ stays under 2 at the 95th percentile (bench_accuracy).
int default_lut_size(const Target& target);

// Target signal for a LUT input value under a range convention, and device value -> LUT output.
double signal_from_lut_input(double value, LutRange range);
double lut_output_from_device(double device, LutRange range);

// The space solve() fits the display model in: ICtCp (dE ITP units) for PQ, CIELAB of the full
// white reading (else the brightest) for SDR.
PerceptualSpace fit_space(const std::vector<Reading>& readings, bool hdr);

// Whether the display shows a target colour, as the model solve() fits to these readings sees it
// (DeviceMapper::shows, to the model's own fit error): what a verification judges. `target`
// carries its display facts (the LUT's). Throws InputError for readings that cannot be fitted.
std::function<bool(const Vec3& target_XYZ)> shown_colours(const MeasurementSet& readings, const Target& target);

// The model summary and fit residuals as JSON (written next to the LUTs).
std::string solve_summary_json(const SolveResult& result);

}  // namespace calkit
