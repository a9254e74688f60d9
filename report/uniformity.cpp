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
#include "report/report_html.hpp"
#include "report/svg_plot.hpp"

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

std::string level_pct(double level) {
  double pct = 100 * level;
  return std::abs(pct - std::round(pct)) < 1e-9 ? fmt::format("{:.0f}", pct) : fmt::format("{:.1f}", pct);
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
      "{}: max luminance deviation {:.2f} % {} {:g} % (zone {},{} at {} %), max dE2000 {:.2f} {} {:.2f} (zone {},{} at {} %)",
      r.pass ? "PASS" : "FAIL", lum.value, lum_ok ? "<" : ">=", t.max_luminance_deviation_pct, lum.row, lum.col,
      level_pct(lum.level), de.value, de_ok ? "<=" : ">", t.max_de2000, de.row, de.col, level_pct(de.level));
  if (t.max_delta_c >= 0) {
    Worst dc = worst(r, [](const UniformityZoneResult& z) { return z.delta_c; });
    line += fmt::format(", max ΔC {:.2f} {} {:.2f}", dc.value, as_reported(dc.value) <= t.max_delta_c ? "<=" : ">",
                        t.max_delta_c);
  }
  return line + fmt::format(" ({}x{} zones, {} level{})", r.rows, r.cols, r.levels.size(),
                            r.levels.size() == 1 ? "" : "s");
}

}  // namespace

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
      throw ValueError("zone", fmt::format("zone {},{} at {} % is read twice", r.row, r.col, level_pct(r.level)));
    slot = &r;
  }
  if (levels.empty()) throw ValueError("readings", "no uniformity readings");
  for (double level : levels) {
    const auto& slots = by_level[level];
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (!slots[i])
        throw ValueError("zone", fmt::format("zone {},{} at {} % has no reading", int(i) / cols + 1,
                                                    int(i) % cols + 1, level_pct(level)));
    UniformityLevelResult out;
    out.level = level;
    out.centre_XYZ = slots[static_cast<std::size_t>((rows / 2) * cols + cols / 2)]->XYZ;
    if (!(out.centre_XYZ.y() > 0))
      throw ValueError("XYZ", fmt::format("the centre zone at {} % has no light", level_pct(level)));
    const Vec3 centre_lab(100, 0, 0);  // the centre zone is the white of its own CIELAB
    for (const UniformityReading* r : slots) {
      UniformityZoneResult z;
      z.row = r->row;
      z.col = r->col;
      z.XYZ = r->XYZ;
      z.luminance_deviation_pct = 100 * (r->XYZ.y() / out.centre_XYZ.y() - 1);
      z.lab = lab_from_XYZ(r->XYZ, out.centre_XYZ);  // CIE 15:2004
      z.de2000 = delta_e2000(centre_lab, z.lab);      // CIE 142-2001
      z.delta_c = std::hypot(z.lab[1], z.lab[2]);      // C*ab - 0: the centre is neutral
      z.pass = zone_passes(z, thresholds);
      out.max_abs_luminance_deviation_pct = std::max(out.max_abs_luminance_deviation_pct, std::abs(z.luminance_deviation_pct));
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

namespace {

using nlohmann::json;


}  // namespace

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

// ---- HTML

namespace {

using svg::escape;

// Green at 0, amber at half the tolerance, red at and beyond it.
std::string heat_colour(double fraction) {
  struct Stop {
    double at;
    int r, g, b;
  };
  constexpr Stop stops[] = {{0, 0x34, 0xa8, 0x53}, {0.5, 0xe0, 0xa8, 0x00}, {1, 0xd9, 0x30, 0x25}};
  double f = std::clamp(fraction, 0.0, 1.0);
  const Stop& a = f <= 0.5 ? stops[0] : stops[1];
  const Stop& b = f <= 0.5 ? stops[1] : stops[2];
  double t = (f - a.at) / (b.at - a.at);
  auto mix = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

enum class HeatBy { De2000, Luminance };

std::string heat_map(const UniformityResult& r, const UniformityLevelResult& level, HeatBy by) {
  const double cell_w = 96, cell_h = 60, pad = 2;
  const double width = r.cols * cell_w, height = r.rows * cell_h;
  std::string out = fmt::format(
      R"(<svg class="chart heat" viewBox="0 0 {} {}" role="img" aria-label="{}">)", width, height,
      by == HeatBy::De2000 ? "dE2000 per zone" : "luminance deviation per zone");
  for (const auto& z : level.zones) {
    double x = (z.col - 1) * cell_w, y = (z.row - 1) * cell_h;
    bool centre = z.row == r.rows / 2 + 1 && z.col == r.cols / 2 + 1;
    double fraction = by == HeatBy::De2000 ? z.de2000 / r.thresholds.max_de2000
                                           : std::abs(z.luminance_deviation_pct) / r.thresholds.max_luminance_deviation_pct;
    std::string main = by == HeatBy::De2000 ? report_number(z.de2000, 2)
                                            : fmt::format("{}{} %", z.luminance_deviation_pct > 0 ? "+" : "",
                                                          report_number(z.luminance_deviation_pct, 1));
    std::string sub = by == HeatBy::De2000 ? fmt::format("ΔC {}", report_number(z.delta_c, 2))
                                           : fmt::format("{} cd/m²", report_number(z.XYZ.y(), 1));
    out += fmt::format(
        R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" rx="4" fill="{}"{}><title>zone {},{}</title></rect>)",
        x + pad, y + pad, cell_w - 2 * pad, cell_h - 2 * pad, heat_colour(fraction),
        centre ? R"( stroke="#1c1c1e" stroke-width="2")" : "", z.row, z.col);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="heat-main">{}</text>)",
                       x + cell_w / 2, y + cell_h / 2, escape(centre ? std::string("centre") : main));
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="heat-sub">{}</text>)", x + cell_w / 2,
                       y + cell_h / 2 + 16, escape(sub));
  }
  return out + "</svg>";
}

std::string zone_table(const UniformityLevelResult& level) {
  std::string out =
      "<div class=\"table-wrap\"><table><thead><tr><th class=\"l\">zone</th><th>cd/m²</th><th>x</th><th>y</th>"
      "<th>luminance %</th><th>L*</th><th>a*</th><th>b*</th><th>dE2000</th><th>ΔC</th><th>verdict</th></tr></thead><tbody>";
  for (const auto& z : level.zones) {
    Xy xy = xy_from_XYZ(z.XYZ);
    out += fmt::format(
        "<tr><td class=\"l\">{},{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
        z.row, z.col, report_number(z.XYZ.y(), 2), report_number(xy.x, 4), report_number(xy.y, 4),
        report_number(z.luminance_deviation_pct, 2), report_number(z.lab[0], 2), report_number(z.lab[1], 2),
        report_number(z.lab[2], 2), report_number(z.de2000, 2), report_number(z.delta_c, 2), z.pass ? "good" : "bad",
        z.pass ? "pass" : "fail");
  }
  return out + "</tbody></table></div>";
}

constexpr const char* kHeatCss =
    ".heat-main{font-size:15px;font-weight:650;fill:#fff}.heat-sub{font-size:11px;fill:#fff;opacity:.92}"
    "svg.heat{max-width:620px}";

}  // namespace

std::string render_uniformity_html(const UniformityResult& r) {
  std::string display = r.info.display.empty() ? "Display" : r.info.display;
  std::string pass = r.pass ? "pass" : "fail";
  std::string html = html_head("Uniformity · " + display, kHeatCss);
  html += fmt::format(
      R"(<header class="top"><div><p class="kicker">calkit screen uniformity</p><h1>{}</h1><p class="subtitle">{}×{} zones · {} · {}</p>)"
      R"(<p class="verdict {}">{}</p></div><div><span class="badge big {}">{}</span></div></header>)",
      escape(display), r.rows, r.cols, escape(r.info.probe), escape(r.info.date), pass, escape(r.verdict_line), pass,
      r.pass ? "PASS" : "FAIL");
  html += fmt::format(
      R"(<div class="card strip"><dl class="meta"><dt>probe</dt><dd>{}</dd><dt>pattern generator</dt><dd>{}</dd>)"
      R"(<dt>patch</dt><dd>{} % of the screen area, centred on each zone</dd><dt>tolerance</dt><dd>luminance deviation &lt; {:g} %, dE2000 ≤ {:g}{}</dd>)"
      R"(<dt>reference</dt><dd>the centre zone at each level (CIELAB white = its reading)</dd></dl></div>)",
      escape(r.info.probe), escape(r.info.pattern_generator), report_number(r.info.window_percent, 2),
      r.thresholds.max_luminance_deviation_pct, r.thresholds.max_de2000,
      r.thresholds.max_delta_c >= 0 ? fmt::format(", ΔC ≤ {:g}", r.thresholds.max_delta_c) : std::string());
  for (const auto& level : r.levels) {
    html += fmt::format("<h2>{} % {} · {}</h2>", level_pct(level.level), level.level >= 1 ? "white" : "grey",
                        level.pass ? "pass" : "fail");
    html += fmt::format(
        R"(<p class="note">centre {} cd/m² · max |luminance deviation| {} % · max dE2000 {} · max ΔC {}</p>)",
        report_number(level.centre_XYZ.y(), 2), report_number(level.max_abs_luminance_deviation_pct, 2),
        report_number(level.max_de2000, 2), report_number(level.max_delta_c, 2));
    html += "<div class=\"charts\">";
    html += "<figure class=\"card\">" + heat_map(r, level, HeatBy::De2000) +
            "<figcaption>dE2000 against the centre zone (with ΔC*ab); green 0, red at the tolerance.</figcaption></figure>";
    html += "<figure class=\"card\">" + heat_map(r, level, HeatBy::Luminance) +
            "<figcaption>Luminance deviation from the centre zone; green 0, red at the tolerance.</figcaption></figure>";
    html += "</div>" + zone_table(level);
  }
  html += fmt::format("<footer>Generated by calkit {}. Tolerances after ISO 12646 / ISO 14861 (as DisplayCAL applies them).</footer></main></body></html>\n",
                      escape(r.info.calkit_version));
  return html;
}

void write_uniformity_html(const std::filesystem::path& path, const UniformityResult& result) {
  write_file_atomically(path, render_uniformity_html(result));
}

}  // namespace calkit
