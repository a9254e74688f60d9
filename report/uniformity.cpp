#include "report/uniformity.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace calkit {

namespace {

// The verdict judges the figures as the report prints them (2 decimals), so a zone shown at
// "-10.00 %" fails a "< 10 %" tolerance even when the unrounded ratio is 0.8999999999999999.
double as_reported(double v) { return std::round(v * 100) / 100; }

bool zone_passes(const UniformityZoneResult& z, const UniformityThresholds& t) {
  bool ok = std::abs(as_reported(z.luminance_deviation_pct)) < t.max_luminance_deviation_pct &&
            as_reported(z.de2000) <= t.max_de2000;
  if (t.max_delta_c >= 0) ok = ok && as_reported(z.delta_c) <= t.max_delta_c;
  return ok;
}

// The worst zone of all levels by one figure, for the verdict line.
struct Worst {
  double value = 0;
  int row = 0, col = 0;
  double level = 1;
};

template <class Figure>
Worst worst(const UniformityResult& r, Figure figure) {
  Worst w;
  for (const auto& level : r.levels)
    for (const auto& z : level.zones)
      if (w.row == 0 || figure(z) > w.value) w = {figure(z), z.row, z.col, level.level};
  return w;
}

std::string verdict_line(const UniformityResult& r) {
  const auto& t = r.thresholds;
  Worst lum = worst(r, [](const UniformityZoneResult& z) { return std::abs(z.luminance_deviation_pct); });
  Worst de = worst(r, [](const UniformityZoneResult& z) { return z.de2000; });
  bool lum_ok = as_reported(lum.value) < t.max_luminance_deviation_pct;
  bool de_ok = as_reported(de.value) <= t.max_de2000;
  std::string line = fmt::format(
      "{}: max luminance deviation {:.2f} % {} {:g} % (zone {},{} at {} %), max dE2000 {:.2f} {} {:.2f} (zone {},{} at "
      "{} %)",
      r.pass ? "PASS" : "FAIL", lum.value, lum_ok ? "<" : ">=", t.max_luminance_deviation_pct, lum.row, lum.col,
      uniformity_level_text(lum.level), de.value, de_ok ? "<=" : ">", t.max_de2000, de.row, de.col,
      uniformity_level_text(de.level));
  if (t.max_delta_c >= 0) {
    Worst dc = worst(r, [](const UniformityZoneResult& z) { return z.delta_c; });
    line += fmt::format(", max ΔC {:.2f} {} {:.2f}", dc.value, as_reported(dc.value) <= t.max_delta_c ? "<=" : ">",
                        t.max_delta_c);
  }
  return line +
         fmt::format(" ({}x{} zones, {} level{})", r.rows, r.cols, r.levels.size(), r.levels.size() == 1 ? "" : "s");
}

}  // namespace

std::string uniformity_level_text(double level) {
  double pct = 100 * level;
  return std::abs(pct - std::round(pct)) < 1e-9 ? fmt::format("{:.0f}", pct) : fmt::format("{:.1f}", pct);
}

void check_uniformity_grid(int rows, int cols) {
  for (int n : {rows, cols})
    if (n != 3 && n != 5 && n != 7 && n != 9)
      throw ValueError("--grid", fmt::format("{}x{}: rows and columns must each be 3, 5, 7 or 9", rows, cols));
}

UniformityResult evaluate_uniformity(const std::vector<UniformityReading>& readings, int rows, int cols,
                                     const UniformityThresholds& thresholds, const UniformityInfo& info) {
  check_uniformity_grid(rows, cols);
  UniformityResult result;
  result.info = info;
  result.rows = rows;
  result.cols = cols;
  result.thresholds = thresholds;
  std::vector<double> levels;
  std::map<double, std::vector<const UniformityReading*>> by_level;
  for (const UniformityReading& r : readings) {
    if (r.row < 1 || r.row > rows || r.col < 1 || r.col > cols)
      throw ValueError("zone", fmt::format("zone {},{} is outside the {}x{} grid", r.row, r.col, rows, cols));
    if (!r.XYZ.allFinite()) throw ValueError("XYZ", fmt::format("zone {},{}: reading is not finite", r.row, r.col));
    auto& slots = by_level[r.level];
    if (slots.empty()) {
      levels.push_back(r.level);
      slots.assign(static_cast<std::size_t>(rows * cols), nullptr);
    }
    auto& slot = slots[static_cast<std::size_t>((r.row - 1) * cols + (r.col - 1))];
    if (slot)
      throw ValueError("zone",
                       fmt::format("zone {},{} at {} % is read twice", r.row, r.col, uniformity_level_text(r.level)));
    slot = &r;
  }
  if (levels.empty()) throw ValueError("readings", "no uniformity readings");
  for (double level : levels) {
    const auto& slots = by_level[level];
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (!slots[i])
        throw ValueError("zone", fmt::format("zone {},{} at {} % has no reading", int(i) / cols + 1, int(i) % cols + 1,
                                             uniformity_level_text(level)));
    UniformityLevelResult out;
    out.level = level;
    out.centre_XYZ = slots[static_cast<std::size_t>((rows / 2) * cols + cols / 2)]->XYZ;
    if (!(out.centre_XYZ.y() > 0))
      throw ValueError("XYZ", fmt::format("the centre zone at {} % has no light", uniformity_level_text(level)));
    const Vec3 centre_lab(100, 0, 0);  // the centre zone is the white of its own CIELAB
    for (const UniformityReading* r : slots) {
      UniformityZoneResult z;
      z.row = r->row;
      z.col = r->col;
      z.XYZ = r->XYZ;
      z.luminance_deviation_pct = 100 * (r->XYZ.y() / out.centre_XYZ.y() - 1);
      z.lab = lab_from_XYZ(r->XYZ, out.centre_XYZ);  // CIE 15:2004
      z.de2000 = delta_e2000(centre_lab, z.lab);     // CIE 142-2001
      z.delta_c = std::hypot(z.lab[1], z.lab[2]);    // C*ab - 0: the centre is neutral
      z.pass = zone_passes(z, thresholds);
      out.max_abs_luminance_deviation_pct =
          std::max(out.max_abs_luminance_deviation_pct, std::abs(z.luminance_deviation_pct));
      out.max_de2000 = std::max(out.max_de2000, z.de2000);
      out.max_delta_c = std::max(out.max_delta_c, z.delta_c);
      out.pass = out.pass && z.pass;
      out.zones.push_back(z);
    }
    result.pass = result.pass && out.pass;
    result.levels.push_back(std::move(out));
  }
  result.verdict_line = verdict_line(result);
  return result;
}

// ---- JSON

using nlohmann::json;

std::string format_uniformity_json(const UniformityResult& r) {
  json j;
  j["format"] = "calkit-uniformity";
  j["version"] = 1;
  j["info"] = {{"display", r.info.display},
               {"probe", r.info.probe},
               {"pattern_generator", r.info.pattern_generator},
               {"date", r.info.date},
               {"calkit_version", r.info.calkit_version},
               {"window_pct", r.info.window_percent}};
  j["grid"] = {{"rows", r.rows}, {"cols", r.cols}, {"centre", json::array({r.rows / 2 + 1, r.cols / 2 + 1})}};
  j["thresholds"] = {{"max_de2000", r.thresholds.max_de2000},
                     {"max_luminance_deviation_pct", r.thresholds.max_luminance_deviation_pct},
                     {"max_delta_c", r.thresholds.max_delta_c >= 0 ? json(r.thresholds.max_delta_c) : json(nullptr)}};
  json levels = json::array();
  for (const auto& level : r.levels) {
    json zones = json::array();
    for (const auto& z : level.zones)
      zones.push_back({{"row", z.row},
                       {"col", z.col},
                       {"XYZ", vec_json(z.XYZ)},
                       {"nits", z.XYZ.y()},
                       {"luminance_deviation_pct", z.luminance_deviation_pct},
                       {"lab", vec_json(z.lab)},
                       {"de2000", z.de2000},
                       {"delta_c", z.delta_c},
                       {"pass", z.pass}});
    levels.push_back({{"level_pct", 100 * level.level},
                      {"centre_XYZ", vec_json(level.centre_XYZ)},
                      {"zones", zones},
                      {"max_abs_luminance_deviation_pct", level.max_abs_luminance_deviation_pct},
                      {"max_de2000", level.max_de2000},
                      {"max_delta_c", level.max_delta_c},
                      {"pass", level.pass}});
  }
  j["levels"] = levels;
  j["verdict"] = {{"pass", r.pass}, {"line", r.verdict_line}};
  return j.dump(2) + "\n";
}

void write_uniformity_json(const std::filesystem::path& path, const UniformityResult& result) {
  write_file_atomically(path, format_uniformity_json(result));
}

}  // namespace calkit
