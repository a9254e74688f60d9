#include "report/html/svg_plot.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace calkit::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Heckbert's "nice numbers" (Graphics Gems, 1990): steps of 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  std::vector<double> ticks;
  if (!(hi > lo) || target_count < 1) return ticks;
  double raw = (hi - lo) / target_count;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double fraction = raw / magnitude;
  double step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string format_tick(double value, int decimals) {
  if (decimals >= 0) return fmt::format("{:.{}f}", value, decimals);
  if (value != 0 && (std::abs(value) >= 1e5 || std::abs(value) < 1e-3)) return fmt::format("{:g}", value);
  std::string s = fmt::format("{:.4f}", value);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

Plot::Plot(double width, double height, Axis x, Axis y)
    : width_(width), height_(height), x_(std::move(x)), y_(std::move(y)) {
  auto fill_ticks = [](Axis& axis, int count) {
    if (!axis.ticks.empty()) return;
    if (axis.log) {
      for (double d = std::floor(std::log10(axis.lo)); d <= std::ceil(std::log10(axis.hi)); ++d) {
        double t = std::pow(10.0, d);
        if (t >= axis.lo * (1 - 1e-9) && t <= axis.hi * (1 + 1e-9)) axis.ticks.push_back(t);
      }
    } else {
      axis.ticks = nice_ticks(axis.lo, axis.hi, count);
    }
  };
  fill_ticks(x_, std::max(2, static_cast<int>(width / 70)));
  fill_ticks(y_, std::max(2, static_cast<int>(height / 45)));
}

double Plot::map(const Axis& axis, double v, double from, double to) const {
  double t = axis.log ? (std::log10(std::max(v, axis.lo * 1e-3)) - std::log10(axis.lo)) /
                            (std::log10(axis.hi) - std::log10(axis.lo))
                      : (v - axis.lo) / (axis.hi - axis.lo);
  return from + t * (to - from);
}

double Plot::px(double x) const { return map(x_, x, left, width_ - right); }
double Plot::py(double y) const { return map(y_, y, height_ - bottom, top); }

void Plot::axes() {
  double x0 = left, x1 = width_ - right, y0 = height_ - bottom, y1 = top;
  for (double t : y_.ticks) {
    double y = py(t);
    body_ += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", x0, y, x1, y);
    on_top_ += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", x0 - 6, y + 3.5,
                           format_tick(t, y_.decimals));
  }
  for (double t : x_.ticks) {
    double x = px(t);
    body_ += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", x, y0, x, y1);
    on_top_ += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", x, y0 + 15,
                           format_tick(t, x_.decimals));
  }
  on_top_ += fmt::format(R"(<rect class="frame" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", x0, y1,
                         x1 - x0, y0 - y1);
  on_top_ += fmt::format(R"(<text class="axis-title" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)",
                         (x0 + x1) / 2, height_ - 8, escape(x_.title));
  on_top_ += fmt::format(
      R"svg(<text class="axis-title" transform="translate(14 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
      (y0 + y1) / 2, escape(y_.title));
}

namespace {
std::string points_attr(const Plot& plot, const std::vector<Point>& points) {
  std::string out;
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    out += fmt::format("{:.2f},{:.2f} ", plot.px(p.x), plot.py(p.y));
  }
  return out;
}
std::string title_element(std::string_view tooltip) {
  return tooltip.empty() ? std::string() : "<title>" + escape(tooltip) + "</title>";
}
}  // namespace

void Plot::polyline(const std::vector<Point>& points, std::string_view css_class) {
  body_ += fmt::format(R"(<polyline class="{}" points="{}"/>)", css_class, points_attr(*this, points));
}

void Plot::polygon(const std::vector<Point>& points, std::string_view css_class) {
  body_ += fmt::format(R"(<polygon class="{}" points="{}"/>)", css_class, points_attr(*this, points));
}

void Plot::dot(Point p, double radius, std::string_view css_class, std::string_view fill, std::string_view tooltip) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return;
  std::string style = fill.empty() ? std::string() : fmt::format(R"( style="fill:{}")", fill);
  body_ += fmt::format(R"(<circle class="{}" cx="{:.2f}" cy="{:.2f}" r="{:.2f}"{}>{}</circle>)", css_class, px(p.x),
                       py(p.y), radius, style, title_element(tooltip));
}

void Plot::segment(Point a, Point b, std::string_view css_class) {
  if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) || !std::isfinite(b.y)) return;
  body_ += fmt::format(R"(<line class="{}" x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}"/>)", css_class, px(a.x),
                       py(a.y), px(b.x), py(b.y));
}

void Plot::hline(double y, std::string_view css_class, std::string_view label) {
  if (!std::isfinite(y)) return;
  double yy = py(y);
  body_ += fmt::format(R"(<line class="{}" x1="{:.1f}" y1="{:.2f}" x2="{:.1f}" y2="{:.2f}"/>)", css_class, left, yy,
                       width_ - right, yy);
  if (!label.empty())
    on_top_ += fmt::format(R"(<text class="mark-label {}" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)",
                           css_class, width_ - right - 4, yy - 4, escape(label));
}

void Plot::vline(double x, std::string_view css_class, std::string_view label) {
  if (!std::isfinite(x)) return;
  double xx = px(x);
  body_ += fmt::format(R"(<line class="{}" x1="{:.2f}" y1="{:.1f}" x2="{:.2f}" y2="{:.1f}"/>)", css_class, xx, top, xx,
                       height_ - bottom);
  if (!label.empty())
    on_top_ += fmt::format(R"(<text class="mark-label {}" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)",
                           css_class, xx - 4, top + 12, escape(label));
}

void Plot::bar(double x_center, double width_units, double y, std::string_view css_class, std::string_view tooltip) {
  if (!std::isfinite(y)) return;
  double xa = px(x_center - width_units / 2), xb = px(x_center + width_units / 2);
  double y0 = py(std::max(y_.lo, 0.0)), y1 = py(std::min(y, y_.hi));
  body_ += fmt::format(R"(<rect class="{}" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}">{}</rect>)", css_class,
                       xa, std::min(y0, y1), std::max(0.5, xb - xa), std::abs(y0 - y1), title_element(tooltip));
}

void Plot::text(Point p, std::string_view text, std::string_view css_class, double dx, double dy) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return;
  on_top_ += fmt::format(R"(<text class="{}" x="{:.1f}" y="{:.1f}">{}</text>)", css_class, px(p.x) + dx, py(p.y) + dy,
                         escape(text));
}

void Plot::legend(const std::vector<std::pair<std::string, std::string>>& entries, bool bottom_right) {
  if (bottom_right) {
    double x = width_ - right - 230;
    double y = height_ - bottom - 10 - 15.0 * static_cast<double>(entries.size() - 1);
    for (const auto& [css_class, label] : entries) {
      legend_entry(x, y, css_class, label);
      y += 15;
    }
    return;
  }
  // In one row in the top margin, clear of the data.
  double x = left;
  for (const auto& [css_class, label] : entries) {
    legend_entry(x, top - 8, css_class, label);
    x += 34 + 6.2 * static_cast<double>(label.size());
  }
}

void Plot::legend_entry(double x, double y, const std::string& css_class, const std::string& label) {
  on_top_ += fmt::format(R"(<line class="{}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", css_class, x, y - 4,
                         x + 18, y - 4);
  on_top_ += fmt::format(R"(<text class="legend" x="{:.1f}" y="{:.1f}">{}</text>)", x + 24, y, escape(label));
}

std::string Plot::finish(std::string_view aria_label) const {
  return fmt::format(R"(<svg class="chart" viewBox="0 0 {:.0f} {:.0f}" role="img" aria-label="{}">)"
                     R"(<rect class="plot-bg" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>{}{}</svg>)",
                     width_, height_, escape(aria_label), left, top, width_ - right - left, height_ - bottom - top,
                     body_, on_top_);
}

}  // namespace calkit::svg
