#include "cli/verify_steps.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "formats/measurement_file.hpp"
#include "measure/journaled_run.hpp"
#include "measure/options.hpp"
#include "patches/patch_set_table.hpp"
#include "records/checksum.hpp"
#include "records/history.hpp"
#include "report/report_json.hpp"
#include "report/target_description.hpp"
#include "solver/match_plan.hpp"

namespace calkit::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void set_stop_flag(int) { g_stop.store(true); }

// The verification JSON is already written: a history that cannot be written only warns.
void record_in_history(const ChainArgs& args, const VerificationResult& result, const std::filesystem::path& json) {
  if (args.no_history) return;
  try {
    std::filesystem::path path = args.history.empty() ? default_history_path() : std::filesystem::path(args.history);
    HistoryDb(path).record(history_run_from(result, json));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calkit: warning: verification not recorded in the history: %s\n", e.what());
  }
}

}  // namespace

void add_chain_options(CLI::App* cmd, ChainArgs& a) {
  add_rig_options(cmd, a.rig);
  cmd->add_option("--target,-t", a.target,
                  "bt1886, pq-p3d65, pq-p3d65-rec2020, pq-rec2020, or a target file (calkit match plan)")
      ->capture_default_str();
  cmd->add_option("--white-nits", a.white_nits, "SDR target white, cd/m²")->capture_default_str();
  cmd->add_option("--gamma", a.gamma, "BT.1886 exponent")->capture_default_str();
  add_pq_target_options(cmd, a.mastering_peak, a.roll_off);
  cmd->add_flag("--pure-power", a.pure_power,
                "SDR: pure power curve on the display's black instead of BT.1886 (displays with different "
                "blacks then match above black)");
  cmd->add_option("--settle", a.settle, "SECONDS (fixed wait) or stable[:SECONDS]")->capture_default_str();
  cmd->add_option("--bits", a.bits, "code value depth: 8, 10 or 12")->capture_default_str();
  cmd->add_option("--window", a.window, "patch area in % of the screen")->capture_default_str();
  cmd->add_option("--background", a.background, "black, grey:LEVEL or apl:LEVEL")->capture_default_str();
  cmd->add_option("--insert-every", a.insert_every, "full-field stabilising patch before every N-th patch; 0: off")
      ->capture_default_str();
  cmd->add_option("--max-mean-de2000", a.thresholds.mean_de2000, "pass: mean dE2000 at most")->capture_default_str();
  cmd->add_option("--max-de2000", a.thresholds.max_de2000, "pass: max dE2000 at most")->capture_default_str();
  cmd->add_option("--max-grey-de2000", a.thresholds.greyscale_max_de2000, "pass: greyscale max dE2000 at most")
      ->capture_default_str();
  cmd->add_option("--max-mean-deitp", a.thresholds.mean_de_itp, "pass (HDR): mean dE ITP at most")
      ->capture_default_str();
  cmd->add_option("--max-p95-deitp", a.thresholds.p95_de_itp, "pass (HDR): 95th percentile dE ITP at most")
      ->capture_default_str();
  cmd->add_option("--max-deitp", a.thresholds.max_de_itp, "pass (HDR): max dE ITP at most")->capture_default_str();
  cmd->add_flag("-q,--quiet", a.quiet, "no progress");
  // An explicit --history is opened (and created) while parsing: a bad path stops the run before
  // it measures anything (exit 2), instead of after.
  auto* history = cmd->add_option("--history", a.history,
                                  "verification history database (default: $CALKIT_HISTORY, else "
                                  "$XDG_DATA_HOME/calkit/history.db or ~/.local/share/calkit/history.db)")
                      ->each([](const std::string& path) { HistoryDb db(path); });
  cmd->add_flag("--no-history", a.no_history, "do not record this verification in the history")->excludes(history);
}

SessionOptions session_options(const ChainArgs& args) {
  SessionOptions options;
  options.patch.bits = args.bits;
  options.patch.window_percent = args.window;
  options.patch.background = parse_background(args.background);
  check_patch_options(options.patch);
  options.settle = parse_settle(args.settle);
  if (args.insert_every < 0) throw ValueError("--insert-every", "must be 0 (off) or more");
  options.insert.every = args.insert_every;
  return options;
}

Target target_from(const ChainArgs& args) {
  TargetOptions t;
  t.white_nits = args.white_nits;
  t.gamma = args.gamma;
  t.pure_power = args.pure_power;
  t.mastering_peak = args.mastering_peak;
  t.roll_off = roll_off_by_name(args.roll_off);
  return target_by_name_or_file(args.target, t);
}

bool take_lut_facts(Target& target, const std::map<std::string, std::string>& metadata) {
  if (!target.read_display_facts(metadata)) return false;
  auto solved_for = [&](const char* key) {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : it->second;
  };
  std::string peak = solved_for("calkit_mastering_peak"), roll_off = solved_for("calkit_roll_off");
  if (target.hdr() && ((!peak.empty() && std::strtod(peak.c_str(), nullptr) != target.mastering_peak) ||
                       (!roll_off.empty() && roll_off != roll_off_name(target.roll_off))))
    std::fprintf(stderr,
                 "calkit: warning: the LUT was solved for mastering peak %s cd/m² with roll-off %s; it is judged "
                 "against %g cd/m² with %s\n",
                 peak.c_str(), roll_off.c_str(), target.mastering_peak, roll_off_name(target.roll_off).c_str());
  return true;
}

const std::atomic<bool>* install_stop_flag() {
  struct sigaction action {};
  action.sa_handler = set_stop_flag;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return &g_stop;
}

void throw_interrupted(const std::string& what, const std::string& where) {
  throw CommandFailed{kExitInterrupted,
                      fmt::format("interrupted during {}; the readings so far are saved in {}: run the "
                                  "same command with --resume",
                                  what, where)};
}

std::string chart_encoding_for(const Target& target) {
  if (!target.hdr()) return "bt1886";
  return target.container.name == rec2020_space().name ? "pq-rec2020" : "pq-p3d65";
}

PatchSet verification_patches(std::string set, const Target& target, std::uint64_t seed,
                              const std::string& sdr_default) {
  if (set.empty()) set = target.hdr() ? "hdr" : sdr_default;
  // The HDR set's levels follow the display's peak (whole cd/m²); without one, the mastering peak.
  int count = 0;
  if (patch_set_kind(set).count_meaning == PatchCount::PeakNits)
    count = int(target.display_peak_nits > 0 ? target.display_peak_nits : target.mastering_peak);
  return patch_set_by_name(set, count, chart_encoding_by_name(chart_encoding_for(target)), seed);
}

Target target_for_readings(Target target, const MeasurementSet& readings) {
  if (target.hdr() || target.shared_black) return target;
  for (const Reading& r : readings.readings)
    if (r.rgb.maxCoeff() == 0) {
      target.display_black_XYZ = r.XYZ;
      break;
    }
  return target;
}

VerificationResult evaluate_readings(const MeasurementSet& readings, const Judged& judged, VerificationInfo info,
                                     const VerificationThresholds& thresholds, double window_pct) {
  Target target = judged.lut_facts ? judged.target : target_for_readings(judged.target, readings);
  VerificationOptions options;
  options.info = std::move(info);
  options.target = describe_target(target);
  options.thresholds = thresholds;
  options.window_pct = window_pct;
  options.shown_by_display = judged.shown;
  VerificationResult result = evaluate(readings, target_function(target), options);
  // evaluate() reads no file: a LUT that only the readings' header names (a resumed run) is hashed here.
  const std::string& lut = result.info.lut_file;
  if (!lut.empty() && result.info.lut_xxh64.empty() && std::filesystem::is_regular_file(lut))
    result.info.lut_xxh64 = xxh64_hex(lut);
  return result;
}

void load_display_luts(Rig& rig, const Lut3d* lut, const Lut1d* lut1d) {
  if (!rig.display) return;
  if (lut)
    rig.display->load_lut(*lut);
  else
    rig.display->clear_lut();
  if (lut1d)
    rig.display->load_lut1d(*lut1d);
  else
    rig.display->clear_lut1d();
}

std::optional<VerificationResult> run_verification(Rig& rig, const ChainArgs& args, const PatchSet& patches,
                                                   const VerifyRun& run) {
  load_display_luts(rig, run.lut, run.lut1d);
  MeasurementSet readings;
  if (run.resume && std::filesystem::exists(run.readings)) {
    readings = read_measurements(run.readings);
  } else {
    Session session(*rig.probe, *rig.pattern, *rig.clock, session_options(args));
    JournaledRunOptions options;
    options.resume = run.resume;
    options.quiet = args.quiet;
    options.label = "verify " + run.label;
    options.stop = run.stop;
    options.rig = rig_binding(args.rig, rig);
    options.info = {{"created_by", std::string("calkit verify ") + CALKIT_VERSION},
                    {"date", utc_now()},
                    {"display", args.rig.display},
                    {"probe", rig.probe->identity().model},
                    {"pattern_generator", rig.pattern->name()},
                    {"target", args.target},
                    {"label", run.label},
                    {"window_percent", fmt::format("{}", args.window)}};
    if (!run.lut_file.empty()) options.info["lut_file"] = run.lut_file.string();
    SessionResult result = measure_journaled(session, patches, run.readings, options);
    if (!result.complete) return std::nullopt;
    readings = std::move(result.set);
  }

  VerificationInfo info;
  info.label = run.label;
  info.display = args.rig.display.empty() ? rig.description : args.rig.display;
  info.probe = rig.probe->identity().model;
  info.correction = args.rig.correction;
  info.target = args.target;
  if (!run.lut_file.empty()) {
    info.lut_file = run.lut_file.filename().string();
    info.lut_xxh64 = xxh64_hex(run.lut_file);
  }
  info.date = utc_now();
  info.calkit_version = CALKIT_VERSION;
  VerificationResult result = evaluate_readings(readings, run.judged, info, args.thresholds, args.window);
  write_verification_json(run.result, result);
  record_in_history(args, result, run.result);
  return result;
}

}  // namespace calkit::cli
