#pragma once
// The verification report as ONE self-contained HTML file: inline CSS and SVG charts, no
// scripts, no fonts or images fetched (a Content-Security-Policy forbids any request), print CSS
// for A4 and Letter. One run gives a single report; two runs (uncalibrated, calibrated) go side
// by side as before and after.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/verification.hpp"

namespace calkit {

std::string render_html(const std::vector<VerificationResult>& runs);
void write_html_report(const std::filesystem::path& path, const std::vector<VerificationResult>& runs);

// A colour for the screen: absolute XYZ shown on an sRGB display whose white stands for
// reference_white_XYZ (adapted to D65 with Bradford), encoded and clipped to 0..255, "#rrggbb".
std::string srgb_hex(const Vec3& XYZ, const Vec3& reference_white_XYZ);

// Pieces other reports (report/match_html.cpp) share with this one, so they look the same.
namespace svg { class Plot; }
// "<!DOCTYPE html>..." up to and including "<main>": the Content-Security-Policy that forbids
// any request, the title, and the report's stylesheet followed by `extra_css`.
std::string html_head(std::string_view title, std::string_view extra_css = {});
std::string report_number(double value, int decimals);  // fixed decimals, "—" when not finite
void draw_uv_locus(svg::Plot& plot);                    // CIE 1931 2° spectral locus in u'v'
// Greyscale RGB balance chart: (signal 0..1, % per channel) per lit step, 100 % as the reference.
std::string rgb_balance_chart(const std::vector<std::pair<double, Vec3>>& steps, std::string_view y_title,
                              std::string_view label);

// The report's style sheet, for other pages that share its look (the history page).
const char* report_css();

}  // namespace calkit
