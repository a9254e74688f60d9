#include "report/html/page_kit.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "color/adaptation.hpp"
#include "color/colorimetry.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit {

namespace {

// The style sheet of every page, for the screen and for print (A4 and Letter).
constexpr const char* kPageCss = R"css(
:root{--ink:#1c1c1e;--ink2:#55555a;--ink3:#8e8e93;--line:#e3e3e6;--bg:#f5f5f4;--card:#fff;
--pass:#1a7f37;--pass-bg:#e6f4ea;--fail:#c62828;--fail-bg:#fdecea;--warn:#9a6700;--warn-bg:#fff4d6;
--accent:#1f5fbf;--target:#6e6e73}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif;font-variant-numeric:tabular-nums}
main{max-width:1240px;margin:0 auto;padding:28px 28px 48px}
header.top{display:flex;justify-content:space-between;align-items:flex-start;gap:24px;margin-bottom:18px}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--ink3);margin:0 0 4px}
h1{font-size:26px;line-height:1.2;margin:0 0 4px;font-weight:650}
.subtitle{color:var(--ink2);margin:0}
h2{font-size:17px;margin:30px 0 10px;font-weight:650;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:0 0 8px;font-weight:600;color:var(--ink2)}
.badge{display:inline-block;font-weight:750;letter-spacing:.06em;border-radius:8px;padding:6px 14px;font-size:15px}
.badge.big{font-size:22px;padding:10px 22px;border-radius:10px}
.badge.pass{background:var(--pass);color:#fff}.badge.fail{background:var(--fail);color:#fff}
.verdict{font-size:13px;margin:8px 0 0;padding:8px 12px;border-radius:8px}
.verdict.pass{background:var(--pass-bg);color:#0f5323}.verdict.fail{background:var(--fail-bg);color:#8e1b1b}
.runs{display:grid;gap:16px;grid-template-columns:repeat(var(--n),minmax(0,1fr))}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px}
.run-head{display:flex;justify-content:space-between;align-items:center;gap:12px;margin-bottom:4px}
.run-label{font-size:16px;font-weight:650;text-transform:capitalize}
.kpis{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px;margin:14px 0}
.kpi{border:1px solid var(--line);border-radius:9px;padding:8px 10px}
.kpi .k{font-size:11.5px;color:var(--ink3);letter-spacing:.01em}
.kpi .v{font-size:20px;font-weight:650;line-height:1.25}
.kpi .u{font-size:12px;color:var(--ink3);font-weight:400;margin-left:2px}
.kpi.pass .v{color:var(--pass)}.kpi.fail .v{color:var(--fail)}
.strip{display:flex;flex-wrap:wrap;gap:8px 28px;margin-bottom:16px;padding:12px 18px}
.cmp{display:flex;flex-direction:column}.cmp .k{font-size:11.5px;color:var(--ink3)}
.cmp .v{font-size:16px;color:var(--ink2)}.cmp .v b{color:var(--ink);font-weight:650}.arrow{color:var(--ink3)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0;font-size:13px}
dl.meta dt{color:var(--ink3)}dl.meta dd{margin:0;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px}
.charts{display:grid;gap:16px;grid-template-columns:repeat(2,minmax(0,1fr))}
.charts.one{grid-template-columns:minmax(0,1fr)}.charts .wide{grid-column:1/-1}
figure{margin:0}
figcaption{font-size:12px;color:var(--ink3);margin-top:6px}
svg.chart{width:100%;height:auto;display:block;font-family:inherit}
.plot-bg{fill:#fcfcfc}.frame{fill:none;stroke:#c7c7cc;stroke-width:1}
.grid{stroke:#ececef;stroke-width:1}
.tick{font-size:10.5px;fill:var(--ink3)}.axis-title{font-size:11.5px;fill:var(--ink2)}
.legend{font-size:11px;fill:var(--ink2)}
text.mark-label{font-size:10.5px;font-weight:600;stroke:#fcfcfc;stroke-width:3px;stroke-dasharray:none;paint-order:stroke}
.locus{fill:#f1f1f3;stroke:#3a3a3c;stroke-width:1.2}
.locus-label{font-size:9.5px;fill:var(--ink3)}
.gamut-target{fill:none;stroke:var(--target);stroke-width:1.4;stroke-dasharray:5 4}
.gamut-measured{fill:rgba(31,95,191,.06);stroke:var(--accent);stroke-width:1.6}
.link{fill:none;stroke:#3a3a3c;stroke-width:.8}.trail{fill:none;stroke:#8e8e93;stroke-width:1}
.pt-target{fill:#fff;stroke:var(--target);stroke-width:1.1}
.pt-measured{stroke:#1c1c1e;stroke-width:.8}
.white-target{fill:none;stroke:var(--ink);stroke-width:1.2}
.curve-target{fill:none;stroke:var(--target);stroke-width:1.6;stroke-dasharray:6 4}
.curve-measured{fill:none;stroke:var(--accent);stroke-width:2}
.dot-measured{fill:var(--accent);stroke:#fff;stroke-width:1}
.ch-r{fill:none;stroke:#d62728;stroke-width:2}.ch-g{fill:none;stroke:#2ca02c;stroke-width:2}
.ch-b{fill:none;stroke:#1f63d6;stroke-width:2}
.ref{stroke:var(--ink2);stroke-width:1;stroke-dasharray:3 3}
.thr-mean{stroke:var(--warn);stroke-width:1.2;stroke-dasharray:6 3}.mark-label.thr-mean{fill:var(--warn)}
.thr-max{stroke:var(--fail);stroke-width:1.2;stroke-dasharray:6 3}.mark-label.thr-max{fill:var(--fail)}
.peak{stroke:var(--accent);stroke-width:1;stroke-dasharray:2 3}.mark-label.peak{fill:var(--accent)}
.bar-good{fill:#34a853}.bar-warn{fill:#e0a800}.bar-bad{fill:#d93025}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th{text-align:right;font-weight:600;color:var(--ink2);border-bottom:1.5px solid #c7c7cc;padding:6px 8px;
white-space:nowrap;font-size:11.5px}
td{text-align:right;padding:4px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
th.l,td.l{text-align:left}
tbody tr:nth-child(even){background:#fafafa}
td.good{color:var(--pass);font-weight:600}td.warn{color:var(--warn);font-weight:600;background:var(--warn-bg)}
td.bad{color:var(--fail);font-weight:700;background:var(--fail-bg)}
.sw{display:inline-flex;border-radius:5px;overflow:hidden;border:1px solid rgba(0,0,0,.18);vertical-align:middle}
.sw span{display:block;width:30px;height:20px}
.group-tag{font-size:11px;color:var(--ink2);background:#f0f0f2;border-radius:4px;padding:1px 6px}
.note{font-size:12px;color:var(--ink3);margin:8px 0 0}
.table-wrap{overflow-x:auto}
footer{margin-top:34px;color:var(--ink3);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@page{size:auto;margin:11mm}
@media print{
body{background:#fff;font-size:9pt}main{max-width:none;padding:0}
.card{border-color:#d6d6d9;break-inside:avoid}figure{break-inside:avoid}
h2{break-after:avoid;margin-top:18px}tr{break-inside:avoid}thead{display:table-header-group}
.kpi .v{font-size:15px}table{font-size:8pt}td,th{padding:2px 5px}.sw span{width:22px;height:14px}
.table-wrap{overflow:visible}
h2.page{break-before:page}h3{break-after:avoid}
.runs:not(.keep){display:block}.runs:not(.keep)>div+div{margin-top:14px}
.kpi .k{font-size:6.5pt}.kpi{padding:5px 7px}
}
)css";

// BT.2408: HDR reference (graphics) white, used as the sRGB white when showing HDR swatches.
constexpr double kHdrReferenceWhiteNits = 203.0;

}  // namespace

std::string srgb_hex(const Vec3& XYZ, const Vec3& reference_white_XYZ) {
  static const RgbSpace srgb = rec709_space();  // sRGB shares the BT.709 primaries and D65 white
  Vec3 white = reference_white_XYZ;
  if (!(white.y() > 0)) return "#000000";
  Vec3 d65 = XYZ_from_xyY(srgb.white, 1.0);
  Vec3 rel = adaptation_matrix(white / white.y(), d65) * (XYZ / white.y());
  Vec3 linear = srgb.XYZ_to_rgb() * rel;
  std::string out = "#";
  for (int c = 0; c < 3; ++c) {
    double v = srgb_inverse_eotf(std::clamp(linear[c], 0.0, 1.0));
    out += fmt::format("{:02x}", static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)));
  }
  return out;
}

namespace html {

std::string html_head(std::string_view title, std::string_view extra_css) {
  return fmt::format(
      R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">)"
      R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">)"
      R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
      "<title>{}</title><style>{}{}</style></head><body><main>",
      svg::escape(title), kPageCss, extra_css);
}

std::string page_header(std::string_view kicker, std::string_view title, std::string_view subtitle, bool pass,
                        std::string_view below) {
  return fmt::format(R"(<header class="top"><div><p class="kicker">{}</p><h1>{}</h1><p class="subtitle">{}</p>{}</div>)"
                     R"(<div><span class="badge big {}">{}</span></div></header>)",
                     kicker, title, subtitle, below, pass_class(pass), pass ? "PASS" : "FAIL");
}

std::string page_end(std::string_view footer) {
  return fmt::format("<footer>{}</footer></main></body></html>\n", footer);
}

std::string num(double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  std::string s = fmt::format("{:.{}f}", value, decimals);
  return s == fmt::format("-{:.{}f}", 0.0, decimals) ? s.substr(1) : s;
}

std::string percent_text(double signal) {
  double pct = 100.0 * signal;
  return num(pct, std::abs(pct - std::round(pct)) < 1e-6 ? 0 : 1);
}

std::string signal_text(const Vec3& signal) {
  return fmt::format("{} {} {}", percent_text(signal.x()), percent_text(signal.y()), percent_text(signal.z()));
}

std::string xyY_text(const Vec3& XYZ) {
  if (!(XYZ.y() > 0)) return "— — " + num(XYZ.y(), 3);
  Xy xy = xy_from_XYZ(XYZ);
  return fmt::format("{} {} {}", num(xy.x, 4), num(xy.y, 4), num(XYZ.y(), XYZ.y() < 10 ? 3 : 2));
}

const char* pass_class(bool pass) { return pass ? "pass" : "fail"; }

std::string kpi(std::string_view key, const std::string& value, std::string_view unit, std::string_view state) {
  return fmt::format(
      R"(<div class="kpi {}"><div class="k">{}</div><div class="v">{}<span class="u">{}</span></div></div>)", state,
      key, value, unit);
}

std::string limit_state(double value, double limit) {
  if (!std::isfinite(value) || !std::isfinite(limit)) return "";
  return value <= limit ? "pass" : "fail";
}

std::string meta_row(std::string_view key, const std::string& value, bool mono) {
  if (value.empty()) return {};
  return fmt::format("<dt>{}</dt><dd{}>{}</dd>", key, mono ? R"( class="mono")" : "", svg::escape(value));
}

std::string figure(const std::string& svg_markup, std::string_view caption) {
  return fmt::format(R"(<figure class="card">{}<figcaption>{}</figcaption></figure>)", svg_markup, caption);
}

Vec3 swatch_white(const Vec3& white, bool hdr) {
  if (hdr && white.y() > 0) return white / white.y() * kHdrReferenceWhiteNits;
  return white;
}

std::string swatch_pair(std::string_view title, const Vec3& left_XYZ, const Vec3& right_XYZ, const Vec3& white) {
  return fmt::format(
      R"(<span class="sw" title="{}"><span style="background:{}"></span><span style="background:{}"></span></span>)",
      title, srgb_hex(left_XYZ, white), srgb_hex(right_XYZ, white));
}

}  // namespace html

}  // namespace calkit
