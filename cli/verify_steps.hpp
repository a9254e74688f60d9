#pragma once
// What `calkit verify` and `calkit calibrate` share: the chain and session options, the
// verification patch sets, the target a verification is judged against, and one verification
// run (measure through the display chain, journaled; evaluate; write JSON).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/rig.hpp"
#include "luts/lut.hpp"
#include "measure/session.hpp"
#include "report/verification.hpp"
#include "solver/target.hpp"

namespace calkit::cli {

struct ChainArgs {
  RigSpec rig;
  std::string settle = "0.5";
  int bits = 10;
  double window = 10;  // % of the screen: an OLED's ABL would dim a full field
  std::string background = "black";
  int insert_every = 0;
  std::string target = "bt1886";
  double white_nits = 100;
  double gamma = 2.4;
  bool pure_power = false;          // SDR: Lb + (Lw - Lb)·V^gamma (a common curve for displays with different blacks)
  double mastering_peak = 1000;     // PQ
  std::string roll_off = "bt2390";  // PQ
  VerificationThresholds thresholds;
  bool quiet = false;
  std::string history;      // --history PATH; empty: $CALKIT_HISTORY or the XDG default (records/history.hpp)
  bool no_history = false;  // --no-history
};

void add_chain_options(CLI::App* cmd, ChainArgs& args);
SessionOptions session_options(const ChainArgs& args);
// The target the options describe, without display facts.
Target target_from(const ChainArgs& args);
// The display facts a calkit LUT (3D, or 1D curves) was solved for, from its metadata (black, and
// for PQ the peak), into `target`: false for a LUT without them. Warns on stderr when the LUT was
// solved for another mastering peak or roll-off than `target` asks for.
bool take_lut_facts(Target& target, const std::map<std::string, std::string>& metadata);

// SIGINT/SIGTERM set the flag: the current reading finishes and is journaled, then the run stops.
const std::atomic<bool>* install_stop_flag();

// The chart encoding of a target's signal: bt1886, pq-p3d65, pq-rec2020.
std::string chart_encoding_for(const Target& target);
// A verification set by name: every name `calkit patches` knows (extended, colorchecker,
// greyscale, accuracy, ...), "hdr" at the levels of the target's display peak, or empty: `hdr`
// for PQ targets, `sdr_default` otherwise.
PatchSet verification_patches(std::string set, const Target& target, std::uint64_t seed,
                              const std::string& sdr_default);

// The target the readings are judged against when no LUT's facts are known: for BT.1886 and
// power targets the display black is the black patch's reading (BT.1886 Annex 1 uses the measured
// Lb), as a meter would. A PQ target keeps the facts it has (the roll-off and its black lift).
Target target_for_readings(Target target, const MeasurementSet& readings);

// What a verification judges against: the target with its display facts, and which target
// colours the display shows (empty: all; then every patch is judged). `lut_facts`: the facts are
// those the LUT under test was solved for (its metadata), and they are kept: its black is the mean
// of the profile's black readings, where the verification has one. Near a meter's noise floor one
// reading moves BT.1886's Lb enough to move its mid-greys by percent (sim:reference, black
// 0.002 cd/m², 3 mcd/m² noise: Lb 0.0011 solved for, 0 read, 2.5 % at 45 % grey, 45 % at 5 %).
struct Judged {
  Target target;
  std::function<bool(const Vec3&)> shown;
  bool lut_facts = false;
};

// evaluate() of readings against a target, with the header facts.
VerificationResult evaluate_readings(const MeasurementSet& readings, const Judged& judged, VerificationInfo info,
                                     const VerificationThresholds& thresholds, double window_pct);

struct VerifyRun {
  Judged judged;
  std::string label;               // "uncalibrated", "calibrated"
  std::filesystem::path readings;  // the readings (.json), journaled while measuring
  std::filesystem::path result;    // the verification JSON
  std::filesystem::path lut_file;  // empty: no LUT
  const Lut3d* lut = nullptr;      // loaded into a virtual display's LUT slot (else cleared)
  const Lut1d* lut1d = nullptr;    // loaded into a virtual display's 1D LUT slot (else cleared)
  bool resume = false;
  const std::atomic<bool>* stop = nullptr;
};

// A virtual display's LUT slots: `lut` in its 3D slot and `lut1d` in its 1D slot, each cleared
// when null. Nothing for a real display (its LUT is loaded by the user or an upload).
void load_display_luts(Rig& rig, const Lut3d* lut, const Lut1d* lut1d);

// Measures `patches` through the chain (the virtual display gets run.lut in its slot), evaluates
// and writes run.result. Then records the run in the verification history (unless
// --no-history); a failure to record only warns on stderr, the verification is kept. With run.resume, existing readings
// are reused and a journal continued. Returns nothing when stopped by a signal (the journal holds the readings so far).
std::optional<VerificationResult> run_verification(Rig& rig, const ChainArgs& args, const PatchSet& patches,
                                                   const VerifyRun& run);

}  // namespace calkit::cli
