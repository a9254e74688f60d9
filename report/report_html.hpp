#pragma once
// The verification report as ONE self-contained HTML file: inline CSS and SVG charts, no
// scripts, no fonts or images fetched (a Content-Security-Policy forbids any request), print CSS
// for A4 and Letter. One run gives a single report; two runs (uncalibrated, calibrated) go side
// by side as before and after.
#include <filesystem>
#include <string>
#include <vector>

#include "report/verification.hpp"

namespace calkit {

std::string render_html(const std::vector<VerificationResult>& runs);
void write_html_report(const std::filesystem::path& path, const std::vector<VerificationResult>& runs);

// A colour for the screen: absolute XYZ shown on an sRGB display whose white stands for
// reference_white_XYZ (adapted to D65 with Bradford), encoded and clipped to 0..255, "#rrggbb".
std::string srgb_hex(const Vec3& XYZ, const Vec3& reference_white_XYZ);

}  // namespace calkit
