// `calkit measure`: shows every patch of a set, reads the probe, writes .ti3/.json. Each reading
// is journaled as it is taken, so an interrupted session resumes where it stopped.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/rig_options.hpp"
#include "color/input_error.hpp"
#include "formats/measurement_file.hpp"
#include "measure/journal.hpp"
#include "measure/options.hpp"
#include "measure/progress.hpp"
#include "measure/rig.hpp"
#include "measure/session.hpp"

namespace calkit::cli {
namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int) { g_stop_requested.store(true); }

// SIGINT/SIGTERM: let the current reading finish and be journaled, then stop.
void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

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
};

SessionOptions session_options(const MeasureArgs& args) {
  SessionOptions options;
  options.patch = make_patch_options(args.bits, args.range, args.window, args.background);
  options.settle = parse_settle(args.settle);
  if (!(args.settle_tolerance > 0 && args.settle_tolerance < 1))
    throw InputError("", 0, "--settle-tolerance", "must be between 0 and 1");
  if (args.max_reads < 2 || args.max_reads > 100) throw InputError("", 0, "--max-reads", "must be 2..100");
  options.settle.tolerance = args.settle_tolerance;
  options.settle.max_reads = args.max_reads;
  if (args.insert_every < 0) throw InputError("", 0, "--insert-every", "must be 0 (off) or more");
  if (args.insert_level < 0 || args.insert_level > 1) throw InputError("", 0, "--insert-level", "must be 0..1");
  if (args.insert_seconds < 0 || args.insert_seconds > 600) throw InputError("", 0, "--insert-seconds", "must be 0..600");
  options.insert.every = args.insert_every;
  options.insert.rgb = Vec3::Constant(args.insert_level);
  options.insert.duration_s = args.insert_seconds;
  return options;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return text;
}

void run(const MeasureArgs& args) {
  SessionOptions options = session_options(args);
  PatchSet patches = read_patches(args.patches);
  if (patches.rgb.empty()) throw InputError(args.patches, 0, "", "the patch set is empty");
  const int total = static_cast<int>(patches.rgb.size());
  const std::string hash = patch_set_hash(patches);
  const std::filesystem::path journal_path = journal_path_for(args.output);

  Rig rig = build_rig(args.rig);  // before the journal: a bad --display must not leave one behind
  std::vector<JournalEntry> resumed;
  Journal journal = [&] {
    if (args.resume) return Journal::resume(journal_path, hash, total, resumed);
    if (std::filesystem::exists(journal_path))
      throw InputError(journal_path.string(), 0, "",
                       "an interrupted session left this journal: add --resume to continue it, or delete it");
    return Journal::create(journal_path, hash, total);
  }();

  Session session(*rig.probe, *rig.pattern, *rig.clock, options);
  TerminalProgress progress(args.quiet);
  int done = static_cast<int>(resumed.size());
  session.on_progress = [&](const SessionProgress& p) {
    done = p.done;
    progress.update(p);
  };
  session.stop = &g_stop_requested;
  install_stop_handlers();
  if (!args.quiet && !resumed.empty())
    std::fprintf(stderr, "calkit: resuming: %d of %d readings already in %s\n", done, total, journal_path.c_str());

  SessionResult result;
  try {
    result = session.run(patches, &journal, resumed);
  } catch (const ProbeError& e) {
    progress.finish();
    journal.close();
    throw std::runtime_error(fmt::format(
        "probe error: {}; {} of {} readings are saved in {}; fix the probe and run the same command with --resume",
        e.what(), done, total, journal_path.string()));
  }
  progress.finish();
  if (!result.complete) {
    journal.close();
    std::fprintf(stderr, "calkit: interrupted: %d of %d readings are saved in %s; run the same command with --resume\n",
                 done, total, journal_path.c_str());
    std::fflush(stderr);
    std::exit(130);
  }
  rig.pattern->close();

  MeasurementSet& set = result.set;
  set.info["created_by"] = std::string("calkit measure ") + CALKIT_VERSION;
  set.info["date"] = utc_now();
  set.info["display"] = args.rig.display;
  set.info["probe"] = rig.probe->identity().model;
  set.info["pattern_generator"] = rig.pattern->name();
  set.info["patches"] = args.patches;
  set.info["patch_set_hash"] = hash;
  set.info["settle"] = args.settle;
  set.info["window_percent"] = fmt::format("{}", options.patch.window_percent);
  write_measurements(args.output, set);
  journal.remove();
  if (!args.quiet)
    std::fprintf(stderr, "calkit: wrote %d readings to %s (%d taken now, %d probe reads, %.1f s settling)\n", total,
                 args.output.c_str(), result.taken, result.probe_reads, result.settle_wait_s);
}

}  // namespace

void add_measure(CLI::App& app) {
  auto args = std::make_shared<MeasureArgs>();
  auto* cmd = app.add_subcommand(
      "measure",
      "Measure a patch set: show, settle, read, journal; write .ti3 or .json.\n"
      "Example: calkit measure --probe sim --display sim:woled-tv --patches set.ti1 -o meas.ti3\n"
      "Interrupted (Ctrl-C, crash, probe unplugged)? Run the same command with --resume.");
  add_rig_options(cmd, args->rig);
  cmd->add_option("--patches", args->patches, "patch set (.ti1 or .json), e.g. from `calkit patches`")->required();
  cmd->add_option("-o,--output", args->output, "measurements: .ti3, .json or .csv")->required();
  cmd->add_flag("--resume", args->resume, "continue an interrupted session from <output>.journal");
  cmd->add_option("--settle", args->settle,
                  "SECONDS (fixed wait) or stable[:SECONDS] (read until two readings agree)")
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
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
