// `calkit uniformity`: white (and grey levels) at every zone of a grid, judged against the centre
// zone: luminance deviation, dE2000 and ΔC; verdict after ISO 12646 / ISO 14861; JSON and HTML
// heat maps. The pattern generator places the patch; the user moves the probe when asked.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "cli/verify_steps.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/time.hpp"
#include "measure/options.hpp"
#include "measure/uniformity.hpp"
#include "report/html/uniformity_page.hpp"
#include "report/uniformity.hpp"

namespace calkit::cli {
namespace {

struct UniformityArgs {
  RigSpec rig;
  std::string grid = "5x5";
  std::string levels = "100";
  double window = 0;  // 0: the largest patch that fits a zone
  std::string settle = "0.5";
  int bits = 10;
  std::string range = "full";
  std::string background = "black";
  std::string out_dir;
  bool resume = false;
  bool no_prompt = false;
  bool strict = false;
  bool json = false;
  bool quiet = false;
  UniformityThresholds thresholds;
};

// Waits for Enter on stdin. A signal (Ctrl-C) interrupts the wait: install_stop_flag's handler
// does not restart read(), so the run stops with the journal intact.
bool wait_for_enter(const UniformityZone& zone, const std::atomic<bool>* stop) {
  std::fprintf(stderr, "calkit: Place the probe on zone %d,%d (top row = 1) and press Enter\n", zone.row, zone.col);
  std::fflush(stderr);
  for (;;) {
    if (stop && stop->load()) return false;
    char c = 0;
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n == 1 && c == '\n') return true;
    if (n == 1) continue;
    if (n < 0 && errno == EINTR) continue;
    throw ValueError("stdin", "no terminal input to confirm the probe position (use --no-prompt)");
  }
}

void run(const UniformityArgs& args) {
  namespace fs = std::filesystem;
  UniformitySessionOptions options;
  parse_uniformity_grid(args.grid, options.rows, options.cols);
  options.levels = parse_uniformity_levels(args.levels);
  double window = args.window > 0 ? args.window : uniformity_window_percent(options.rows, options.cols);
  options.session.patch = make_patch_options(args.bits, args.range, window, args.background);
  options.session.settle = parse_settle(args.settle);
  if (!(args.thresholds.max_de2000 > 0)) throw ValueError("--max-de2000", "must be > 0");
  if (!(args.thresholds.max_luminance_deviation_pct > 0)) throw ValueError("--max-luminance-deviation", "must be > 0");
  const fs::path json_path = fs::path(args.out_dir) / "uniformity.json";
  const fs::path journal_path = json_path.string() + ".journal";
  if (args.resume && !fs::exists(journal_path))
    throw InputError(journal_path.string(), 0, "", "no journal to resume (start without --resume)");

  Rig rig = build_rig(args.rig);  // before the journal: a bad --display must not leave one behind
  create_output_folder(args.out_dir);
  options.rig = rig_binding(args.rig, rig);
  const std::atomic<bool>* stop = install_stop_flag();
  options.stop = stop;
  options.resume = args.resume;
  options.quiet = args.quiet || args.json;
  // A simulated display's probe sits wherever the patch is: nobody needs to move it.
  if (!rig.simulated && !args.no_prompt)
    options.place_probe = [stop](const UniformityZone& zone) { return wait_for_enter(zone, stop); };

  UniformitySessionResult session = measure_uniformity(*rig.probe, *rig.pattern, *rig.clock, journal_path, options);
  if (!session.complete) throw_interrupted("the uniformity run", journal_path.string());
  rig.pattern->close();

  std::vector<UniformityReading> readings;
  for (const ZoneReading& r : session.readings) readings.push_back({r.row, r.col, r.level, r.XYZ});
  UniformityInfo info;
  info.display = args.rig.display.empty() ? rig.pattern->name() : args.rig.display;
  info.probe = rig.probe->identity().model;
  info.pattern_generator = rig.pattern->name();
  info.date = utc_now();
  info.calkit_version = CALKIT_VERSION;
  info.window_percent = window;
  UniformityResult result = evaluate_uniformity(readings, options.rows, options.cols, args.thresholds, info);
  const fs::path html_path = fs::path(args.out_dir) / "uniformity.html";
  write_uniformity_json(json_path, result);
  write_uniformity_html(html_path, result);
  fs::remove(journal_path);

  if (args.json) {
    nlohmann::json j = {{"pass", result.pass},        {"verdict", result.verdict_line},
                        {"json", json_path.string()}, {"html", html_path.string()},
                        {"rows", result.rows},        {"cols", result.cols}};
    nlohmann::json levels = nlohmann::json::array();
    for (const auto& level : result.levels)
      levels.push_back({{"level_pct", 100 * level.level},
                        {"max_abs_luminance_deviation_pct", level.max_abs_luminance_deviation_pct},
                        {"max_de2000", level.max_de2000},
                        {"max_delta_c", level.max_delta_c},
                        {"pass", level.pass}});
    j["levels"] = levels;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s\n%s\n%s\n", result.verdict_line.c_str(), json_path.c_str(), html_path.c_str());
  }
  std::fflush(stdout);
  if (args.strict && !result.pass) throw CommandFailed{1, ""};
}

}  // namespace

void add_uniformity(CLI::App& app) {
  auto args = std::make_shared<UniformityArgs>();
  auto* cmd = app.add_subcommand(
      "uniformity",
      "Screen uniformity: white and grey levels at every zone of a grid, against the centre zone.\n"
      "Example: calkit uniformity --probe i1d3 --pattern window --grid 5x5 --level 100,50 -o out/\n"
      "         calkit uniformity --probe sim --display sim:ips-lcd --grid 3x3 -o out/   (virtual: no prompts)\n"
      "You are asked to move the probe to each zone; Ctrl-C stops, --resume continues.");
  add_rig_options(cmd, args->rig);
  cmd->add_option("-o,--out", args->out_dir, "output directory: uniformity.json, uniformity.html")->required();
  cmd->add_option("--grid", args->grid, "ROWSxCOLS, each 3, 5, 7 or 9 (e.g. 5x5, 5x3)")->capture_default_str();
  cmd->add_option("--level", args->levels, "signal levels in %, comma separated (100 = white)")->capture_default_str();
  cmd->add_option("--window", args->window, "patch area in % of the screen; 0: the largest that fits a zone")
      ->capture_default_str();
  cmd->add_option("--settle", args->settle, "SECONDS (fixed wait) or stable[:SECONDS]")->capture_default_str();
  cmd->add_option("--bits", args->bits, "code value depth: 8, 10 or 12")->capture_default_str();
  cmd->add_option("--range", args->range, "full or legal (video levels)")->capture_default_str();
  cmd->add_option("--background", args->background, "black, grey:LEVEL or apl:LEVEL")->capture_default_str();
  cmd->add_option("--max-de2000", args->thresholds.max_de2000, "tolerance: dE2000 against the centre (<=)")
      ->capture_default_str();
  cmd->add_option("--max-luminance-deviation", args->thresholds.max_luminance_deviation_pct,
                  "tolerance: luminance deviation from the centre in % (<)")
      ->capture_default_str();
  cmd->add_option("--max-delta-c", args->thresholds.max_delta_c,
                  "tolerance: ΔC*ab against the centre (<=); off by default");
  cmd->add_flag("--resume", args->resume, "continue an interrupted run from its journal");
  cmd->add_flag("--no-prompt", args->no_prompt, "do not wait for Enter at each zone (a probe that follows the patch)");
  cmd->add_flag("--strict", args->strict, "exit 1 when the verdict is FAIL");
  cmd->add_flag("--json", args->json, "print the verdict and per-level figures as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
