#include "measure/options.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/core.h>

#include "core/error.hpp"

namespace calkit {

double parse_number(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value))
    throw ValueError(option, fmt::format("'{}' is not a finite number", text));
  return value;
}

namespace {

double parse_fraction(const std::string& text, const std::string& option) {
  double v = parse_number(text, option);
  if (v < 0 || v > 1) throw ValueError(option, fmt::format("{} is outside 0..1", text));
  return v;
}

}  // namespace

SettleOptions parse_settle(const std::string& text) {
  SettleOptions settle;
  std::string delay = text;
  if (text.rfind("stable", 0) == 0) {
    settle.mode = SettleMode::Stable;
    if (text == "stable") return settle;
    if (text[6] != ':') throw ValueError("--settle", fmt::format("'{}': use stable or stable:SECONDS", text));
    delay = text.substr(7);
  }
  settle.delay_s = parse_number(delay, "--settle");
  if (settle.delay_s < 0 || settle.delay_s > 60)
    throw ValueError("--settle", fmt::format("{} s is outside 0..60", settle.delay_s));
  return settle;
}

Background parse_background(const std::string& text) {
  if (text == "black") return {};
  auto colon = text.find(':');
  std::string kind = text.substr(0, colon);
  if (colon == std::string::npos || (kind != "grey" && kind != "gray" && kind != "apl"))
    throw ValueError("--background", fmt::format("'{}': use black, grey:LEVEL or apl:LEVEL", text));
  Background background;
  background.kind = kind == "apl" ? BackgroundKind::ConstantApl : BackgroundKind::Grey;
  background.level = parse_fraction(text.substr(colon + 1), "--background");
  return background;
}

SignalRange parse_range(const std::string& text) {
  if (text == "full") return SignalRange::Full;
  if (text == "legal" || text == "video") return SignalRange::Legal;
  throw ValueError("--range", fmt::format("'{}': use full or legal", text));
}

Vec3 parse_rgb(const std::string& text, const std::string& option) {
  std::stringstream ss(text);
  std::string part;
  Vec3 rgb;
  int n = 0;
  while (std::getline(ss, part, ',')) {
    if (n == 3) break;
    rgb[n++] = parse_fraction(part, option);
  }
  if (n != 3 || std::count(text.begin(), text.end(), ',') != 2)
    throw ValueError(option, fmt::format("'{}': expected R,G,B with three values 0..1", text));
  return rgb;
}

void check_patch_options(const PatchOptions& options) {
  if (options.bits != 8 && options.bits != 10 && options.bits != 12)
    throw ValueError("--bits", fmt::format("{}: use 8, 10 or 12", options.bits));
  if (!(options.window_percent >= 1 && options.window_percent <= 100))
    throw ValueError("--window", fmt::format("{} % is outside 1..100", options.window_percent));
}

PatchOptions make_patch_options(int bits, const std::string& range, double window_percent,
                                const std::string& background) {
  PatchOptions options;
  options.bits = bits;
  options.range = parse_range(range);
  options.window_percent = window_percent;
  options.background = parse_background(background);
  check_patch_options(options);
  return options;
}

}  // namespace calkit
