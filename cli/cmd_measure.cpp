// `calkit measure`: shows every patch of a set, reads the probe, writes .ti3/.json. Each reading
// is journaled as it is taken, so an interrupted session resumes where it stopped.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "cli/verify_steps.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "formats/measurement_file.hpp"
#include "measure/journal.hpp"
#include "measure/journaled_run.hpp"
#include "measure/options.hpp"
#include "measure/session.hpp"

namespace calkit::cli {
namespace {

struct MeasureArgs {
  RigSpec rig;
  std::string patches;
  std::string output;
  bool resume = false;
  std::string settle = "0.2";
  double settle_tolerance = 0.005;
  int max_reads = 8;
  int insert_every = 0;
  double insert_level = 0.15;
  double insert_seconds = 2.0;
  int bits = 10;
  std::string range = "full";
  double window = 100;
  std::string background = "black";
  bool quiet = false;
  bool json = false;
};

SessionOptions session_options(const MeasureArgs& args) {
  SessionOptions options;
  options.patch = make_patch_options(args.bits, args.range, args.window, args.background);
  options.settle = parse_settle(args.settle);
  if (!(args.settle_tolerance > 0 && args.settle_tolerance < 1))
    throw ValueError("--settle-tolerance", "must be between 0 and 1");
  if (args.max_reads < 2 || args.max_reads > 100) throw ValueError("--max-reads", "must be 2..100");
  options.settle.tolerance = args.settle_tolerance;
  options.settle.max_reads = args.max_reads;
  if (args.insert_every < 0) throw ValueError("--insert-every", "must be 0 (off) or more");
  if (args.insert_level < 0 || args.insert_level > 1) throw ValueError("--insert-level", "must be 0..1");
  if (args.insert_seconds < 0 || args.insert_seconds > 600) throw ValueError("--insert-seconds", "must be 0..600");
  options.insert.every = args.insert_every;
  options.insert.rgb = Vec3::Constant(args.insert_level);
  options.insert.duration_s = args.insert_seconds;
  return options;
}

void run(const MeasureArgs& args) {
  SessionOptions options = session_options(args);
  PatchSet patches = read_patches(args.patches);
  if (patches.rgb.empty()) throw InputError(args.patches, 0, "", "the patch set is empty");
  const std::filesystem::path journal_path = journal_path_for(args.output);
  if (args.resume && !std::filesystem::exists(journal_path))
    throw InputError(journal_path.string(), 0, "", "no journal to resume (start without --resume)");

  Rig rig = build_rig(args.rig);  // before the journal: a bad --display must not leave one behind
  Session session(*rig.probe, *rig.pattern, *rig.clock, options);
  JournaledRunOptions run_options;
  run_options.resume = args.resume;
  run_options.quiet = args.quiet || args.json;
  run_options.label = "measure";
  run_options.stop = install_stop_flag();
  run_options.rig = rig_binding(args.rig, rig);
  run_options.info = {{"created_by", std::string("calkit measure ") + CALKIT_VERSION},
                      {"date", utc_now()},
                      {"display", args.rig.display},
                      {"probe", rig.probe->identity().model},
                      {"pattern_generator", rig.pattern->name()},
                      {"patches", args.patches},
                      {"settle", args.settle},
                      {"window_percent", fmt::format("{}", options.patch.window_percent)}};
  SessionResult result = measure_journaled(session, patches, args.output, run_options);
  if (!result.complete) throw_interrupted("the measurement", journal_path.string());
  rig.pattern->close();
  if (args.json)
    std::puts(nlohmann::json{{"out", args.output},
                             {"readings", patches.rgb.size()},
                             {"taken_now", result.taken},
                             {"probe_reads", result.probe_reads},
                             {"settle_wait_s", result.settle_wait_s},
                             {"rig", rig.description}}
                  .dump(2)
                  .c_str());
  else if (!args.quiet)
    std::fprintf(stderr, "calkit: wrote %zu readings to %s (%d taken now, %d probe reads, %.1f s settling)\n",
                 patches.rgb.size(), args.output.c_str(), result.taken, result.probe_reads, result.settle_wait_s);
}

}  // namespace

void add_measure(CLI::App& app) {
  auto args = std::make_shared<MeasureArgs>();
  auto* cmd =
      app.add_subcommand("measure",
                         "Measure a patch set: show, settle, read, journal; write .ti3 or .json.\n"
                         "Example: calkit measure --probe sim --display sim:woled-tv --patches set.ti1 -o meas.ti3\n"
                         "Interrupted (Ctrl-C, crash, probe unplugged)? Run the same command with --resume.");
  add_rig_options(cmd, args->rig);
  cmd->add_option("--patches", args->patches, "patch set (.ti1 or .json), e.g. from `calkit patches`")->required();
  cmd->add_option("-o,--out", args->output, "measurements: .ti3, .json or .csv")->required();
  cmd->add_flag("--resume", args->resume, "continue an interrupted session from <output>.journal");
  cmd->add_option("--settle", args->settle, "SECONDS (fixed wait) or stable[:SECONDS] (read until two readings agree)")
      ->capture_default_str();
  cmd->add_option("--settle-tolerance", args->settle_tolerance, "stable: relative luminance agreement")
      ->capture_default_str();
  cmd->add_option("--max-reads", args->max_reads, "stable: readings per patch at most")->capture_default_str();
  cmd->add_option("--insert-every", args->insert_every,
                  "show a full-field stabilising patch before every N-th patch (OLED ABL); 0: off")
      ->capture_default_str();
  cmd->add_option("--insert-level", args->insert_level, "grey level of the stabilising patch")->capture_default_str();
  cmd->add_option("--insert-seconds", args->insert_seconds, "how long it is shown")->capture_default_str();
  cmd->add_option("--bits", args->bits, "code value depth: 8, 10 or 12")->capture_default_str();
  cmd->add_option("--range", args->range, "full or legal (video levels)")->capture_default_str();
  cmd->add_option("--window", args->window, "patch area in % of the screen")->capture_default_str();
  cmd->add_option("--background", args->background, "black, grey:LEVEL or apl:LEVEL")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line");
  cmd->add_flag("--json", args->json, "print what was measured as JSON (no progress line)");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
