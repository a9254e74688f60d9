#pragma once
// A small inline-SVG chart builder for the HTML pages: one plot area with linear or log axes,
// gridlines, tick labels and axis titles, and a few marks (lines, dots, bars, text). Output is
// self-contained SVG markup, styled by classes the page kit's CSS defines (page_kit.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace calkit::svg {

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  std::string title;
  std::vector<double> ticks;  // empty: chosen automatically
  int decimals = -1;          // tick label decimals; -1: automatic
};

struct Point {
  double x, y;
};

std::string escape(std::string_view text);  // HTML/XML text and attribute escaping
std::vector<double> nice_ticks(double lo, double hi, int target_count);

class Plot {
 public:
  Plot(double width, double height, Axis x, Axis y);

  double px(double x) const;
  double py(double y) const;

  void axes();  // gridlines, ticks, labels, titles
  void polyline(const std::vector<Point>& points, std::string_view css_class);
  void polygon(const std::vector<Point>& points, std::string_view css_class);
  void dot(Point p, double radius, std::string_view css_class, std::string_view fill = {},
           std::string_view tooltip = {});
  void segment(Point a, Point b, std::string_view css_class);
  void hline(double y, std::string_view css_class, std::string_view label = {});
  void vline(double x, std::string_view css_class, std::string_view label = {});
  void bar(double x_center, double width_units, double y, std::string_view css_class, std::string_view tooltip = {});
  void text(Point p, std::string_view text, std::string_view css_class, double dx = 0, double dy = 0);
  // Entries are (css class, label); at the top left, or the bottom right of the plot area.
  void legend(const std::vector<std::pair<std::string, std::string>>& entries, bool bottom_right = false);
  void raw(std::string_view markup) { body_ += markup; }

  std::string finish(std::string_view aria_label) const;

  double left = 58, right = 16, top = 30, bottom = 44;

 private:
  double width_, height_;
  Axis x_, y_;
  std::string body_;
  std::string on_top_;
  double map(const Axis& axis, double v, double from, double to) const;
  void legend_entry(double x, double y, const std::string& css_class, const std::string& label);
};

std::string format_tick(double value, int decimals);

}  // namespace calkit::svg
