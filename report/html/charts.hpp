#pragma once
// Charts more than one page draws: the CIE 1976 u'v' diagram with the spectral locus, and the
// greyscale RGB balance chart.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit::html {

svg::Point uv_point(const Vec3& XYZ);  // CIE 1976 u'v'
svg::Point uv_point(Xy xy);

// An empty u'v' diagram, 560 x 540: axes 0..0.65 x 0..0.6 and the CIE 1931 2° spectral locus
// with its wavelengths labelled. The page adds its marks and calls finish().
svg::Plot uv_diagram();

// Greyscale RGB balance chart: (signal 0..1, % per channel) per lit step, 100 % as the reference.
std::string rgb_balance_chart(const std::vector<std::pair<double, Vec3>>& steps, std::string_view y_title,
                              std::string_view label);

}  // namespace calkit::html
