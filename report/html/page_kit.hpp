#pragma once
// The page kit every HTML page of calkit is built from, so that the pages look the same: one
// self-contained file each (inline CSS and SVG, no scripts; a Content-Security-Policy forbids any
// request; print CSS for A4 and Letter), the <head>, the header and footer, and the widgets
// (KPI tiles, figures, swatches, number and signal formatting). Text is escaped with svg::escape.
#include <cmath>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace calkit {

// A colour for the screen: absolute XYZ shown on an sRGB display whose white stands for
// reference_white_XYZ (adapted to D65 with Bradford), encoded and clipped to 0..255, "#rrggbb".
std::string srgb_hex(const Vec3& XYZ, const Vec3& reference_white_XYZ);

}  // namespace calkit

namespace calkit::html {

// "<!DOCTYPE html>..." up to and including "<main>": the Content-Security-Policy that forbids
// any request, the title (escaped), and the pages' stylesheet followed by `extra_css`.
std::string html_head(std::string_view title, std::string_view extra_css = {});
// The page's header: kicker, title and subtitle on the left (markup, escaped by the caller),
// `below` under them, and the PASS or FAIL badge on the right.
std::string page_header(std::string_view kicker, std::string_view title, std::string_view subtitle, bool pass,
                        std::string_view below = {});
// "<footer>...</footer>" and the end of the page.
std::string page_end(std::string_view footer);

std::string num(double value, int decimals);  // fixed decimals, "—" when not finite, no "-0"
std::string percent_text(double signal);      // signal 0..1 in %: "50", "12.5"
std::string signal_text(const Vec3& signal);  // "100 50 0": R G B in %
std::string xyY_text(const Vec3& XYZ);        // "x y Y", Y with 3 decimals under 10 cd/m²

const char* pass_class(bool pass);  // "pass" / "fail"
// One KPI tile; state "pass" or "fail" colours the value.
std::string kpi(std::string_view key, const std::string& value, std::string_view unit, std::string_view state = {});
std::string limit_state(double value, double limit);  // "pass" when value <= limit, "" when either is not finite
// One row of a <dl class="meta"> list, nothing when the value is empty.
std::string meta_row(std::string_view key, const std::string& value, bool mono = false);
std::string figure(const std::string& svg_markup, std::string_view caption);  // a chart in a card

// Swatches are shown relative to a white: the target white for SDR; for HDR, BT.2408's HDR
// reference (graphics) white, 203 cd/m², stands for the sRGB white.
Vec3 swatch_white(const Vec3& white, bool hdr);
// Two swatches side by side ("target | measured", "A | B").
std::string swatch_pair(std::string_view title, const Vec3& left_XYZ, const Vec3& right_XYZ, const Vec3& white);

// Table class of a dE value: good up to the mean limit, warn up to the max limit (three times the
// mean limit when an HDR max is not set), bad above it; "" when not finite. Thresholds: the
// verification's or the match's (both name their limits the same way).
template <class Thresholds>
std::string de_grade(const Thresholds& t, double de, bool itp) {
  if (!std::isfinite(de)) return "";
  double good = itp ? t.mean_de_itp : t.mean_de2000;
  double bad = itp ? (std::isfinite(t.max_de_itp) ? t.max_de_itp : 3 * t.mean_de_itp) : t.max_de2000;
  return de <= good ? "good" : de <= bad ? "warn" : "bad";
}

}  // namespace calkit::html
