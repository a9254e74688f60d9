// The HTML report's markup: self-contained, escaped, and its screen colours per IEC 61966-2-1.
#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "color/observer.hpp"
#include "color/rgb_space.hpp"
#include "report/report_html.hpp"
#include "report/svg_plot.hpp"
#include "report/spectral_locus.hpp"
#include "scenario.hpp"

using namespace calkit;
using namespace calkit::test;

namespace {

VerificationResult calibrated_run() {
  auto target = rec709_bt1886(100, 0.05);
  VerificationOptions options;
  options.target = rec709_description(100, 0.05);
  return evaluate(measure(verification_signals(), calibrated_panel(target)), target, options);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the report is one file: no scripts, no external URLs, and a CSP that forbids requests") {
  std::string html = render_html({calibrated_run()});
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html, "Content-Security-Policy"));
  CHECK(contains(html, "default-src 'none'"));
  for (const char* bad : {"<script", "http:", "https:", "src=", "@import", "url(", "<link", "@font-face"})
    CHECK_MESSAGE(!contains(html, bad), bad);
  CHECK(contains(html, "<svg"));
  CHECK(contains(html, "@media print"));
}

TEST_CASE("the header shows the run's facts and the verdict line, escaped") {
  auto run = calibrated_run();
  run.info.display = "Panel <b>&</b>";
  run.info.lut_file = "cal.cube";
  run.info.lut_xxh64 = "0123456789abcdef";
  std::string html = render_html({run});
  CHECK(contains(html, "Panel &lt;b&gt;&amp;&lt;/b&gt;"));
  CHECK_FALSE(contains(html, "Panel <b>"));
  CHECK(contains(html, "0123456789abcdef"));
  CHECK(contains(html, svg::escape(run.verdict.line)));
}

TEST_CASE("two runs render side by side with their labels") {
  auto before = calibrated_run(), after = calibrated_run();
  before.info.label = "uncalibrated";
  after.info.label = "calibrated";
  std::string html = render_html({before, after});
  CHECK(contains(html, "--n:2"));
  CHECK(contains(html, ">uncalibrated<"));
  CHECK(contains(html, ">calibrated<"));
  CHECK_THROWS_AS(render_html({}), InputError);
}

TEST_CASE("swatch colours follow the sRGB encoding (IEC 61966-2-1)") {
  Vec3 white = XYZ_from_xyY(kD65, 100);
  CHECK(srgb_hex(white, white) == "#ffffff");
  CHECK(srgb_hex(Vec3::Zero(), white) == "#000000");
  // sRGB code 128 (128/255 = 0.50196) decodes to linear 0.2158605; code 64 to 0.0512695.
  CHECK(srgb_hex(white * 0.2158605, white) == "#808080");
  CHECK(srgb_hex(white * 0.0512695, white) == "#404040");
  Mat3 npm = rec709_space().rgb_to_XYZ();
  CHECK(srgb_hex(npm * Vec3(100, 0, 0), white) == "#ff0000");
  CHECK(srgb_hex(npm * Vec3(0, 0, 100), white) == "#0000ff");
}

TEST_CASE("the embedded spectral locus agrees with the CIE 1931 colour-matching functions") {
  // Two independent transcriptions: our xy table and color/'s CMF table (CIE 15:2004 T.4).
  for (const auto& p : kSpectralLocus1931) {
    Vec3 xyz = cmf(p.nm);
    Xy xy = xy_from_XYZ(xyz);
    CHECK_MESSAGE(std::abs(xy.x - p.x) < 1.5e-4, p.nm);
    CHECK_MESSAGE(std::abs(xy.y - p.y) < 1.5e-4, p.nm);
  }
}
