#include "report/html/charts.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "report/html/spectral_locus.hpp"

namespace calkit::html {

using svg::Point;

Point uv_point(const Vec3& XYZ) {
  Uv uv = uv_prime_from_XYZ(XYZ);
  return {uv.u, uv.v};
}

Point uv_point(Xy xy) {
  Uv uv = uv_prime_from_xy(xy);
  return {uv.u, uv.v};
}

svg::Plot uv_diagram() {
  svg::Axis x{0, 0.65, false, "u′", {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 1};
  svg::Axis y{0, 0.6, false, "v′", {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 1};
  svg::Plot plot(560, 540, x, y);
  plot.axes();
  std::vector<Point> locus;
  for (const auto& p : kSpectralLocus1931) locus.push_back(uv_point(Xy{p.x, p.y}));
  plot.polygon(locus, "locus");
  for (const auto& p : kSpectralLocus1931) {
    if (p.nm != 460 && p.nm != 480 && p.nm != 500 && p.nm != 520 && p.nm != 540 && p.nm != 560 && p.nm != 580 &&
        p.nm != 600 && p.nm != 700)
      continue;
    Point q = uv_point(Xy{p.x, p.y});
    double dx = p.nm <= 500 ? -30 : 6, dy = p.nm <= 480 ? 4 : p.nm <= 520 ? -4 : -6;
    plot.text(q, fmt::format("{}", p.nm), "locus-label", dx, dy);
  }
  return plot;
}

std::string rgb_balance_chart(const std::vector<std::pair<double, Vec3>>& steps, std::string_view y_title,
                              std::string_view label) {
  double dev = 5;
  for (const auto& [signal, balance] : steps)
    for (int c = 0; c < 3; ++c)
      if (std::isfinite(balance[c])) dev = std::max(dev, std::abs(balance[c] - 100) * 1.15);
  dev = std::min(std::ceil(dev), 60.0);
  svg::Axis x{0, 100, false, "signal (%)", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0};
  svg::Axis y{100 - dev, 100 + dev, false, std::string(y_title), {}, -1};
  svg::Plot plot(560, 300, x, y);
  plot.axes();
  plot.hline(100, "ref");
  const char* classes[] = {"ch-r", "ch-g", "ch-b"};
  for (int c = 0; c < 3; ++c) {
    std::vector<Point> line;
    for (const auto& [signal, balance] : steps)
      if (std::isfinite(balance[c])) line.push_back({100 * signal, balance[c]});
    plot.polyline(line, classes[c]);
  }
  plot.legend({{"ch-r", "red"}, {"ch-g", "green"}, {"ch-b", "blue"}});
  return plot.finish(label);
}

}  // namespace calkit::html
