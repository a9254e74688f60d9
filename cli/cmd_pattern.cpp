// `calkit pattern`: drive a pattern generator by hand. `show` puts one patch up (code values as
// given, no re-quantisation) and holds it; `discover` lists PGenerators on the local network.
// `pattern check` (pixel-error and uniformity patterns on the local window) belongs to the window
// backend: register it in add_pattern below, next to show and discover.
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "measure/options.hpp"
#include "patterns/pgenerator_client.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

namespace calkit::cli {
namespace {

using nlohmann::json;

struct ShowArgs {
  std::string pattern;
  std::string display;
  std::string rgb;
  int bits = 10;
  std::string range = "full";
  double window = 100;
  std::string background = "black";
  double hold = -1;
  bool json = false;
};

// "940,940,940": three code values at `bits`, taken as they are.
std::array<int, 3> parse_codes(const std::string& text, int bits) {
  std::array<int, 3> out{};
  std::size_t start = 0;
  int max = (1 << bits) - 1;
  for (int c = 0; c < 3; ++c) {
    std::size_t end = c < 2 ? text.find(',', start) : text.size();
    if (end == std::string::npos) throw ValueError("--rgb", "needs three code values R,G,B");
    const char* first = text.data() + start;
    const char* last = text.data() + end;
    auto [ptr, ec] = std::from_chars(first, last, out[c]);
    if (ec != std::errc() || ptr != last || out[c] < 0 || out[c] > max)
      throw ValueError("--rgb", fmt::format("'{}' is not three codes in 0..{} at {} bits", text, max, bits));
    start = end + 1;
  }
  return out;
}

Patch patch_from(const ShowArgs& args) {
  PatchOptions options;
  options.bits = args.bits;
  options.range = parse_range(args.range);
  options.window_percent = args.window;
  options.background = parse_background(args.background);
  check_patch_options(options);
  Patch p;
  p.bits = options.bits;
  p.range = options.range;
  p.window_percent = options.window_percent;
  p.background = options.background;
  p.code = parse_codes(args.rgb, p.bits);
  return p;
}

void hold(double seconds) {
  if (seconds >= 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  } else if (isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "showing; press Enter to end (the generator then shows black)\n");
    std::string line;
    std::getline(std::cin, line);
  }
}

void run_show(const ShowArgs& args) {
  Patch patch = patch_from(args);
  std::unique_ptr<SimulatedClock> clock;
  std::unique_ptr<VirtualDisplay> display;
  if (!args.display.empty()) {
    clock = std::make_unique<SimulatedClock>();
    display = std::make_unique<VirtualDisplay>(load_display_model(args.display), *clock);
  }
  std::unique_ptr<PatternGenerator> generator = open_pattern(args.pattern, display.get());
  generator->show(patch);
  json out{{"pattern", generator->name()},
           {"code", patch.code},
           {"bits", patch.bits},
           {"range", patch.range == SignalRange::Legal ? "legal" : "full"},
           {"window_percent", patch.window_percent}};
  if (display) {
    // What reached the simulated display, read before the closing black.
    Vec3 s = display->shown_signal();
    Vec3 XYZ = display->steady_XYZ(s, display->shown_window_percent(), display->shown_background());
    out["display"] = {{"signal", {s[0], s[1], s[2]}},
                      {"window_percent", display->shown_window_percent()},
                      {"background_signal", display->shown_background()},
                      {"XYZ", {XYZ[0], XYZ[1], XYZ[2]}}};
  }
  if (args.json)
    std::printf("%s\n", out.dump(2).c_str());
  else
    std::printf("showing %d,%d,%d (%d-bit %s, %g %% window) on %s\n", patch.code[0], patch.code[1], patch.code[2],
                patch.bits, patch.range == SignalRange::Legal ? "legal" : "full", patch.window_percent,
                generator->name().c_str());
  std::fflush(stdout);
  if (!display) hold(args.hold);
  generator->close();
}

struct DiscoverArgs {
  std::string broadcast = "255.255.255.255";
  int port = kPGeneratorDiscoveryPort;
  double timeout = 2;
  bool json = false;
};

void run_discover(const DiscoverArgs& args) {
  if (args.port < 1 || args.port > 65535) throw ValueError("--port", "must be 1..65535");
  if (!(args.timeout > 0 && args.timeout <= 60)) throw ValueError("--timeout", "must be 0..60 s");
  auto found = discover_pgenerators(args.broadcast, args.port, args.timeout);
  if (args.json) {
    json out = json::array();
    for (const auto& d : found) out.push_back({{"address", d.address}, {"name", d.name}});
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  if (found.empty()) std::printf("no PGenerator answered within %g s\n", args.timeout);
  for (const auto& d : found)
    std::printf("%s  %s  (--pattern pgenerator:%s)\n", d.address.c_str(), d.name.c_str(), d.address.c_str());
}

}  // namespace

void add_pattern(CLI::App& app) {
  auto* pattern =
      app.add_subcommand("pattern",
                         "Drive a pattern generator by hand: show one patch, find PGenerators.\n"
                         "Example: calkit pattern show --pattern resolve --rgb 940,940,940 --bits 10 --window 10");
  pattern->require_subcommand(1);

  auto show_args = std::make_shared<ShowArgs>();
  auto* show = pattern->add_subcommand(
      "show",
      "Show one patch (code values as given) until Enter or --hold, then black.\n"
      "Example: calkit pattern show --pattern pgenerator:192.168.1.50 --rgb 235,235,235 --bits 8 "
      "--range legal --window 10");
  show->add_option("--pattern", show_args->pattern, pattern_usage())->required();
  show->add_option("--display", show_args->display, "simulated display sim:NAME or model .json (emulators, virtual)");
  show->add_option("--rgb", show_args->rgb, "code values R,G,B at --bits, e.g. 940,940,940")->required();
  show->add_option("--bits", show_args->bits, "code value depth: 8, 10 or 12")->capture_default_str();
  show->add_option("--range", show_args->range, "full or legal (video levels)")->capture_default_str();
  show->add_option("--window", show_args->window, "patch area in % of the screen")->capture_default_str();
  show->add_option("--background", show_args->background, "black, grey:LEVEL or apl:LEVEL")->capture_default_str();
  show->add_option("--hold", show_args->hold, "seconds to hold the patch (default: until Enter on a terminal)");
  show->add_flag("--json", show_args->json, "print what was shown as JSON");
  show->callback([show_args] { run_show(*show_args); });

  auto discover_args = std::make_shared<DiscoverArgs>();
  auto* discover = pattern->add_subcommand(
      "discover", "Find PGenerators by UDP broadcast (port 1977).\nExample: calkit pattern discover --json");
  discover->add_option("--broadcast", discover_args->broadcast, "broadcast address")->capture_default_str();
  discover->add_option("--port", discover_args->port, "discovery port")->capture_default_str();
  discover->add_option("--timeout", discover_args->timeout, "seconds to collect answers")->capture_default_str();
  discover->add_flag("--json", discover_args->json, "print a JSON array");
  discover->callback([discover_args] { run_discover(*discover_args); });

  add_pattern_check(*pattern);  // cli/cmd_pattern_check.cpp
}

}  // namespace calkit::cli
