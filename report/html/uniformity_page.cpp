#include "report/html/uniformity_page.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "color/colorimetry.hpp"
#include "core/files.hpp"
#include "report/html/page_kit.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit {

namespace {

using namespace html;
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
  std::string out = fmt::format(R"(<svg class="chart heat" viewBox="0 0 {} {}" role="img" aria-label="{}">)", width,
                                height, by == HeatBy::De2000 ? "dE2000 per zone" : "luminance deviation per zone");
  for (const auto& z : level.zones) {
    double x = (z.col - 1) * cell_w, y = (z.row - 1) * cell_h;
    bool centre = z.row == r.rows / 2 + 1 && z.col == r.cols / 2 + 1;
    double fraction = by == HeatBy::De2000
                          ? z.de2000 / r.thresholds.max_de2000
                          : std::abs(z.luminance_deviation_pct) / r.thresholds.max_luminance_deviation_pct;
    std::string main = by == HeatBy::De2000 ? num(z.de2000, 2)
                                            : fmt::format("{}{} %", z.luminance_deviation_pct > 0 ? "+" : "",
                                                          num(z.luminance_deviation_pct, 1));
    std::string sub =
        by == HeatBy::De2000 ? fmt::format("ΔC {}", num(z.delta_c, 2)) : fmt::format("{} cd/m²", num(z.XYZ.y(), 1));
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
      "<th>luminance "
      "%</th><th>L*</th><th>a*</th><th>b*</th><th>dE2000</th><th>ΔC</th><th>verdict</th></tr></thead><tbody>";
  for (const auto& z : level.zones) {
    Xy xy = xy_from_XYZ(z.XYZ);
    out += fmt::format(
        "<tr><td class=\"l\">{},{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
        z.row, z.col, num(z.XYZ.y(), 2), num(xy.x, 4), num(xy.y, 4), num(z.luminance_deviation_pct, 2),
        num(z.lab[0], 2), num(z.lab[1], 2), num(z.lab[2], 2), num(z.de2000, 2), num(z.delta_c, 2),
        z.pass ? "good" : "bad", z.pass ? "pass" : "fail");
  }
  return out + "</tbody></table></div>";
}

constexpr const char* kHeatCss =
    ".heat-main{font-size:15px;font-weight:650;fill:#fff}.heat-sub{font-size:11px;fill:#fff;opacity:.92}"
    "svg.heat{max-width:620px}";

}  // namespace

std::string render_uniformity_html(const UniformityResult& r) {
  std::string display = r.info.display.empty() ? "Display" : r.info.display;
  std::string html = html_head("Uniformity · " + display, kHeatCss);
  html +=
      page_header("calkit screen uniformity", escape(display),
                  fmt::format("{}×{} zones · {} · {}", r.rows, r.cols, escape(r.info.probe), escape(r.info.date)),
                  r.pass, fmt::format(R"(<p class="verdict {}">{}</p>)", pass_class(r.pass), escape(r.verdict_line)));
  html += fmt::format(
      R"(<div class="card strip"><dl class="meta"><dt>probe</dt><dd>{}</dd><dt>pattern generator</dt><dd>{}</dd>)"
      R"(<dt>patch</dt><dd>{} % of the screen area, centred on each zone</dd><dt>tolerance</dt><dd>luminance deviation &lt; {:g} %, dE2000 ≤ {:g}{}</dd>)"
      R"(<dt>reference</dt><dd>the centre zone at each level (CIELAB white = its reading)</dd></dl></div>)",
      escape(r.info.probe), escape(r.info.pattern_generator), num(r.info.window_percent, 2),
      r.thresholds.max_luminance_deviation_pct, r.thresholds.max_de2000,
      r.thresholds.max_delta_c >= 0 ? fmt::format(", ΔC ≤ {:g}", r.thresholds.max_delta_c) : std::string());
  for (const auto& level : r.levels) {
    html += fmt::format("<h2>{} % {} · {}</h2>", uniformity_level_text(level.level),
                        level.level >= 1 ? "white" : "grey", level.pass ? "pass" : "fail");
    html += fmt::format(
        R"(<p class="note">centre {} cd/m² · max |luminance deviation| {} % · max dE2000 {} · max ΔC {}</p>)",
        num(level.centre_XYZ.y(), 2), num(level.max_abs_luminance_deviation_pct, 2), num(level.max_de2000, 2),
        num(level.max_delta_c, 2));
    html += "<div class=\"charts\">";
    html += figure(heat_map(r, level, HeatBy::De2000),
                   "dE2000 against the centre zone (with ΔC*ab); green 0, red at the tolerance.");
    html += figure(heat_map(r, level, HeatBy::Luminance),
                   "Luminance deviation from the centre zone; green 0, red at the tolerance.");
    html += "</div>" + zone_table(level);
  }
  html += page_end(
      fmt::format("Generated by calkit {}. Tolerances after ISO 12646 / ISO 14861 (as DisplayCAL applies them).",
                  escape(r.info.calkit_version)));
  return html;
}

void write_uniformity_html(const std::filesystem::path& path, const UniformityResult& result) {
  write_file_atomically(path, render_uniformity_html(result));
}

}  // namespace calkit
