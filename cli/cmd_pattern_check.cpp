// `calkit pattern check`: the looking patterns (full-field R, G, B, W, K, then a grey ramp) on the
// local window, stepped by keys, for pixel errors, banding and uniformity by eye. Registered
// under `calkit pattern` (cli/cmd_pattern.cpp).
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "measure/options.hpp"
#include "patches/patch_sets.hpp"
#include "patterns/window_pattern_generator.hpp"

namespace calkit::cli {
namespace {

struct CheckArgs {
  std::string pattern = "window";
  int bits = 0;  // 0: the framebuffer's depth
  std::string range = "full";
  double window = 100;
  double interval = -1;  // < 0: step by keys
  bool json = false;
};

std::string describe(const Vec3& rgb) {
  if (rgb == Vec3(1, 0, 0)) return "red";
  if (rgb == Vec3(0, 1, 0)) return "green";
  if (rgb == Vec3(0, 0, 1)) return "blue";
  if (rgb == Vec3(1, 1, 1)) return "white";
  if (rgb == Vec3(0, 0, 0)) return "black";
  if (rgb[0] == rgb[1] && rgb[1] == rgb[2]) return fmt::format("grey {:.0f} %", rgb[0] * 100);
  return fmt::format("{:.3f},{:.3f},{:.3f}", rgb[0], rgb[1], rgb[2]);
}

void run_check(const CheckArgs& args) {
  if (!is_window_pattern(args.pattern))
    throw ValueError("--pattern", "pattern check runs on the local window (" + window_pattern_usage() + ")");
  if (args.bits != 0 && args.bits != 8 && args.bits != 10 && args.bits != 12)
    throw ValueError("--bits", "must be 8, 10 or 12");
  if (!(args.window > 0 && args.window <= 100)) throw ValueError("--window", "must be in (0, 100] %");
  if (!(args.interval < 0 || (args.interval >= 0.01 && args.interval <= 3600)))
    throw ValueError("--interval", "must be 0.01..3600 s");
  SignalRange range = parse_range(args.range);
  PatchSet set = looking_patterns();
  auto window = open_window_pattern(args.pattern);
  const int bits = args.bits ? args.bits : window->output_bits();
  const bool by_key = args.interval < 0;
  if (by_key && !args.json)
    std::fprintf(stderr, "space/right: next, left: back, q/Esc: quit (%zu patterns on %s)\n", set.rgb.size(),
                 window->name().c_str());
  nlohmann::json shown = nlohmann::json::array();
  std::size_t i = 0;
  for (;;) {
    Patch patch = Patch::from_rgb(set.rgb[i], bits, range);
    patch.window_percent = args.window;
    window->show(patch);
    std::string label = describe(set.rgb[i]);
    if (args.json)
      shown.push_back({{"step", i + 1}, {"pattern", label}, {"code", patch.code}, {"bits", bits}});
    else
      std::printf("%2zu/%zu  %-12s %d,%d,%d (%d-bit %s)\n", i + 1, set.rgb.size(), label.c_str(), patch.code[0],
                  patch.code[1], patch.code[2], bits, range == SignalRange::Legal ? "legal" : "full");
    std::fflush(stdout);
    WindowKey key = window->wait_key(args.interval);
    if (key == WindowKey::None) key = WindowKey::Next;  // --interval elapsed
    if (key == WindowKey::Quit) break;
    if (key == WindowKey::Back) {
      i = i == 0 ? set.rgb.size() - 1 : i - 1;
    } else if (++i == set.rgb.size()) {
      if (!by_key) break;  // a timed run ends after the last pattern
      i = 0;
    }
  }
  window->close();
  if (args.json) std::printf("%s\n", nlohmann::json{{"pattern", window->name()}, {"shown", shown}}.dump(2).c_str());
}

}  // namespace

void add_pattern_check(CLI::App& pattern) {
  auto args = std::make_shared<CheckArgs>();
  auto* check = pattern.add_subcommand(
      "check",
      "Show full-field red, green, blue, white, black and an 11-step grey ramp on the local window, one\n"
      "at a time, to look for pixel errors, banding and non-uniformity. Keys: space/right next, left back,\n"
      "q/Esc quit.\nExample: calkit pattern check --pattern window:display=1");
  check->add_option("--pattern", args->pattern, window_pattern_usage())->capture_default_str();
  check->add_option("--bits", args->bits, "code value depth 8, 10 or 12 (default: the framebuffer's)");
  check->add_option("--range", args->range, "full or legal (video levels)")->capture_default_str();
  check->add_option("--window", args->window, "patch area in % of the screen")->capture_default_str();
  check->add_option("--interval", args->interval, "step every S seconds instead of by key, ending after the last");
  check->add_flag("--json", args->json, "print what was shown as JSON at the end");
  check->callback([args] { run_check(*args); });
}

}  // namespace calkit::cli
