// The verification page's markup: self-contained and escaped.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "report/html/svg_plot.hpp"
#include "report/html/verification_page.hpp"
#include "tests/report/scenario.hpp"

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
