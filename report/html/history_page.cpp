#include "report/html/history_page.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "report/html/page_kit.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit {

namespace {

using namespace html;
using svg::escape;
using svg::Point;

struct Series {
  std::string label;
  std::vector<Point> points;
  std::vector<std::string> tips;
};

// Line colours of the page kit's CSS, and the matching dot fills.
constexpr const char* kLineClass[] = {"curve-measured", "ch-r", "ch-g", "ch-b"};
constexpr const char* kDotFill[] = {"#1f5fbf", "#d62728", "#2ca02c", "#1f63d6"};

// The time axis: hours since the first run when the runs span under two days, else days.
struct TimeAxis {
  double t0 = 0, unit = 86400;
  std::string title;
};

TimeAxis time_axis(const std::vector<HistoryRun>& runs) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& r : runs) {
    double t = history_time(r.date);
    if (std::isfinite(t)) lo = std::min(lo, t), hi = std::max(hi, t);
  }
  TimeAxis axis;
  axis.t0 = std::isfinite(lo) ? lo : 0;
  bool hours = !std::isfinite(hi) || hi - lo < 2 * 86400;
  axis.unit = hours ? 3600 : 86400;
  axis.title = fmt::format("{} since the first run ({})", hours ? "hours" : "days",
                           runs.empty() ? "" : runs.front().date.substr(0, 10));
  return axis;
}

std::string line_chart(const std::vector<Series>& series, const std::string& x_title, const std::string& y_title,
                       const std::string& aria, double width = 560) {
  double xhi = 0, ylo = 0, yhi = 0;
  for (const auto& s : series)
    for (const auto& p : s.points) xhi = std::max(xhi, p.x), ylo = std::min(ylo, p.y), yhi = std::max(yhi, p.y);
  if (!(xhi > 0)) xhi = 1;
  yhi = yhi > ylo ? yhi + 0.1 * (yhi - ylo) : ylo + 1;
  svg::Axis x{0, xhi, false, x_title, {}, -1};
  svg::Axis y{ylo, yhi, false, y_title, {}, -1};
  svg::Plot plot(width, 300, x, y);
  plot.axes();
  std::vector<std::pair<std::string, std::string>> legend;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* line = kLineClass[i % 4];
    plot.polyline(series[i].points, line);
    for (std::size_t k = 0; k < series[i].points.size(); ++k)
      plot.dot(series[i].points[k], 3.2, "dot-measured", kDotFill[i % 4], series[i].tips[k]);
    legend.emplace_back(line, series[i].label);
  }
  if (series.size() > 1) plot.legend(legend);
  return plot.finish(aria);
}

// One series per (probe, target, label), as drift_references groups runs, through `value(run)`;
// points with no value are left out.
template <class Value>
std::vector<Series> series_by_group(const std::vector<HistoryRun>& runs, const TimeAxis& axis, const char* unit,
                                    Value value, const std::string& suffix = {}) {
  std::vector<Series> out;
  std::vector<std::string> keys;
  for (const auto& r : runs) {
    double t = history_time(r.date);
    double v = value(r);
    if (!std::isfinite(t) || !std::isfinite(v)) continue;
    std::string key = r.probe + " · " + r.target + " · " + r.label;
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      out.push_back({key + suffix, {}, {}});
      it = keys.end() - 1;
    }
    Series& s = out[static_cast<std::size_t>(it - keys.begin())];
    s.points.push_back({(t - axis.t0) / axis.unit, v});
    s.tips.push_back(fmt::format("{} {}: {} {}", r.date, r.label, num(v, 3), unit));
  }
  return out;
}

std::string runs_table(const std::vector<HistoryRun>& runs, const std::vector<double>& drift) {
  std::string html =
      "<div class=\"table-wrap\"><table><thead><tr><th class=\"l\">date</th><th class=\"l\">probe</th>"
      "<th class=\"l\">target</th><th class=\"l\">label</th><th>white x</th><th>white y</th>"
      "<th>white dE2000 drift</th><th>white cd/m²</th><th>peak cd/m²</th><th>black cd/m²</th>"
      "<th>contrast</th><th>mean dE2000</th><th>max dE2000</th><th>mean dE ITP</th><th>verdict</th>"
      "<th class=\"l\">LUT</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const HistoryRun& r = runs[i];
    html += fmt::format(
        "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td class=\"{}\" title=\"{}\">{}</td><td class=\"l mono\">{}</td></tr>",
        escape(r.date), escape(r.probe), escape(r.target), escape(r.label), num(r.white_xy.x, 4), num(r.white_xy.y, 4),
        num(drift[i], 2), num(r.white_nits, 1), r.hdr ? num(r.peak_nits, 0) : "—", num(r.black_nits, 4),
        std::isfinite(r.contrast) ? num(r.contrast, 0) + ":1" : "—", num(r.mean_de2000, 2), num(r.max_de2000, 2),
        num(r.mean_de_itp, 2), r.pass ? "good" : "bad", escape(r.verdict), r.pass ? "PASS" : "FAIL",
        escape(r.lut_file));
  }
  return html + "</tbody></table></div>";
}

}  // namespace

double history_time(const std::string& date) {
  std::tm tm{};
  char z = 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &z) != 7 ||
      z != 'Z')
    return NAN;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm));
}

std::string render_history_html(const std::string& display, const std::vector<HistoryRun>& runs) {
  if (runs.empty()) throw ValueError("display", "no recorded runs of " + display);
  std::vector<std::size_t> refs = drift_references(runs);
  std::vector<double> drift(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) drift[i] = white_drift_de2000(runs[refs[i]], runs[i]);
  TimeAxis axis = time_axis(runs);
  bool any_hdr = std::any_of(runs.begin(), runs.end(), [](const HistoryRun& r) { return r.hdr; });

  std::vector<Series> drift_series = series_by_group(
      runs, axis, "dE2000", [&](const HistoryRun& r) { return drift[static_cast<std::size_t>(&r - runs.data())]; });
  // HDR runs add their peak and mean dE ITP as series of their own.
  auto add_hdr = [&](std::vector<Series>& to, const char* unit, double HistoryRun::*field, const char* suffix) {
    if (!any_hdr) return;
    for (auto& s : series_by_group(
             runs, axis, unit, [field](const HistoryRun& r) { return r.hdr ? r.*field : NAN; }, suffix))
      to.push_back(std::move(s));
  };
  std::vector<Series> luminance = series_by_group(
      runs, axis, "cd/m²", [](const HistoryRun& r) { return r.white_nits; }, " white");
  add_hdr(luminance, "cd/m²", &HistoryRun::peak_nits, " peak");
  std::vector<Series> de = series_by_group(
      runs, axis, "dE2000", [](const HistoryRun& r) { return r.mean_de2000; }, " dE2000");
  add_hdr(de, "dE ITP", &HistoryRun::mean_de_itp, " dE ITP");

  const HistoryRun& last = runs.back();
  std::string html = html_head("Verification history · " + display);
  html += page_header("calkit verification history", escape(display),
                      fmt::format("{} runs · {} to {}", runs.size(), escape(runs.front().date), escape(last.date)),
                      last.pass);
  html += "<h2>Latest run</h2><div class=\"card\"><div class=\"kpis\">" +
          kpi("white dE2000 from first", num(drift.back(), 2), "") +
          kpi(last.hdr ? "peak" : "white", num(last.hdr ? last.peak_nits : last.white_nits, 1), "cd/m²") +
          kpi("mean dE2000", num(last.mean_de2000, 2), "") +
          kpi("white xy", num(last.white_xy.x, 4) + " " + num(last.white_xy.y, 4), "") + "</div>" +
          fmt::format("<p class=\"verdict {}\">{}</p></div>", pass_class(last.pass), escape(last.verdict));

  html += "<h2>Drift over time</h2><div class=\"charts\">";
  html += figure(line_chart(drift_series, axis.title, "white dE2000 from first run", "White-point drift"),
                 "White-point drift: dE2000 (CIE 142-2001) of each run's white reading from the first run's of the "
                 "same probe, target and label, in CIELAB relative to that first white (luminance counts too). x: " +
                     escape(axis.title) + ".");
  html +=
      figure(line_chart(luminance, axis.title, "luminance (cd/m²)", "Luminance"),
             "Luminance of the 100 % white" + std::string(any_hdr ? " and, for HDR, the peak (brightest grey)" : "") +
                 ". x: " + escape(axis.title) + ".");
  html += "<div class=\"wide\">" +
          figure(line_chart(de, axis.title, "mean dE", "Mean dE", 1160),
                 "Mean dE2000 over the verification set" +
                     std::string(any_hdr ? " and mean dE ITP (BT.2124) for HDR" : "") + ". x: " + escape(axis.title) +
                     ".") +
          "</div></div>";
  html += "<h2>Runs</h2><div class=\"card\">" + runs_table(runs, drift) + "</div>";
  html += page_end("Generated by calkit " CALKIT_VERSION
                   " from its verification history. All luminances in cd/m²; dates UTC.");
  return html;
}

void write_history_html(const std::filesystem::path& path, const std::string& display,
                        const std::vector<HistoryRun>& runs) {
  write_file_atomically(path, render_history_html(display, runs));
}

}  // namespace calkit
