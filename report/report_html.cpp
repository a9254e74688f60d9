#include "report/report_html.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "color/adaptation.hpp"
#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/files.hpp"
#include "report/spectral_locus.hpp"
#include "report/svg_plot.hpp"

namespace calkit {

namespace {

using svg::escape;
using svg::Point;

// BT.2408: HDR reference (graphics) white, used as the sRGB white when showing HDR swatches.
constexpr double kHdrReferenceWhiteNits = 203.0;

constexpr const char* kCss = R"css(
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

// ---- small formatting helpers

std::string num(double v, int decimals, std::string_view missing = "—") {
  if (!std::isfinite(v)) return std::string(missing);
  std::string s = fmt::format("{:.{}f}", v, decimals);
  return s == fmt::format("-{:.{}f}", 0.0, decimals) ? s.substr(1) : s;
}

std::string pct_signal(double v) { return num(100.0 * v, std::abs(100.0 * v - std::round(100.0 * v)) < 1e-6 ? 0 : 1); }

std::string signal_text(const Vec3& s) {
  return fmt::format("{} {} {}", pct_signal(s.x()), pct_signal(s.y()), pct_signal(s.z()));
}

std::string run_title(const VerificationResult& run, std::size_t index, std::size_t count) {
  if (!run.info.label.empty()) return run.info.label;
  if (count == 2) return index == 0 ? "before" : "after";
  return count == 1 ? "verification" : fmt::format("run {}", index + 1);
}

bool is_hdr(const VerificationResult& run) { return run.target.hdr; }

// Class of a dE value against the run's thresholds: good under the mean limit, warn under the
// max limit, bad above it.
std::string grade(const VerificationResult& run, double de, bool itp) {
  if (!std::isfinite(de)) return "";
  const auto& t = run.thresholds;
  double good = itp ? t.mean_de_itp : t.mean_de2000;
  double bad = itp ? (std::isfinite(t.max_de_itp) ? t.max_de_itp : 3 * t.mean_de_itp) : t.max_de2000;
  return de <= good ? "good" : de <= bad ? "warn" : "bad";
}

Vec3 reference_white(const VerificationResult& run) {
  // The white the swatches are relative to: the target white for SDR, 203 cd/m² for HDR.
  Vec3 white = XYZ_from_xyY(run.target.white, run.target.white_nits);  // without a white patch
  for (const auto& p : run.patches)
    if ((p.signal.array() - 1.0).abs().maxCoeff() < 1e-6 && p.target_XYZ.y() > 0) white = p.target_XYZ;
  if (is_hdr(run)) return white / white.y() * kHdrReferenceWhiteNits;
  return white;
}

std::string kpi(std::string_view key, const std::string& value, std::string_view unit,
                std::string_view state = {}) {
  return fmt::format(R"(<div class="kpi {}"><div class="k">{}</div><div class="v">{}<span class="u">{}</span></div></div>)",
                     state, key, value, unit);
}

std::string limit_state(double value, double limit) {
  if (!std::isfinite(value) || !std::isfinite(limit)) return "";
  return value <= limit ? "pass" : "fail";
}

// ---- header and summary

// "BT.1886 · white 100 cd/m² · black 0.150 cd/m²"; for PQ the mastering peak, the roll-off and
// the display peak it lands on: "PQ · mastering peak 1000 cd/m² · BT.2390 roll-off onto display
// peak 644 cd/m² · black 0.0005 cd/m²".
std::string eotf_text(const TargetDescription& t) {
  if (t.eotf.empty()) return "";
  if (!t.hdr) return fmt::format("{} · white {} cd/m² · black {} cd/m²", t.eotf, num(t.white_nits, 0), num(t.black_nits, 3));
  std::string out = fmt::format("{} · mastering peak {} cd/m²", t.eotf, num(t.white_nits, 0));
  if (!t.roll_off.empty()) out += t.roll_off == "bt2390" ? " · BT.2390 roll-off" : " · clipped";
  if (std::isfinite(t.display_peak_nits)) out += fmt::format(" onto display peak {} cd/m²", num(t.display_peak_nits, 0));
  return out + fmt::format(" · black {} cd/m²", num(t.black_nits, 4));
}

std::string meta_list(const VerificationResult& run) {
  const auto& i = run.info;
  auto row = [](std::string_view key, const std::string& value, bool mono = false) {
    if (value.empty()) return std::string();
    return fmt::format("<dt>{}</dt><dd{}>{}</dd>", key, mono ? R"( class="mono")" : "", escape(value));
  };
  std::string target = i.target.empty() ? run.target.name : i.target;
  return "<dl class=\"meta\">" + row("Display", i.display) + row("Probe", i.probe) +
         row("Correction", i.correction) + row("Target", target) +
         row("EOTF", eotf_text(run.target)) +
         row("LUT file", i.lut_file, true) + row("LUT xxHash64", i.lut_xxh64, true) + row("Date", i.date) +
         row("calkit", i.calkit_version) + "</dl>";
}

// A black reading at or below zero (an OLED under the probe's noise floor) is infinite contrast.
std::string contrast_text(const GreyscaleAnalysis& g) {
  if (std::isfinite(g.contrast)) return num(g.contrast, 0) + ":1";
  if (g.white_nits > 0 && std::isfinite(g.black_nits) && g.black_nits <= 0) return "∞";
  return "—";
}

std::string summary_card(const VerificationResult& run, const std::string& title) {
  const auto& s = run.summary;
  const auto& g = run.greyscale;
  const auto& t = run.thresholds;
  std::string pass = run.verdict.pass ? "pass" : "fail";
  std::string out = R"(<section class="card">)";
  out += fmt::format(R"(<div class="run-head"><span class="run-label">{}</span><span class="badge {}">{}</span></div>)",
                     escape(title), pass, run.verdict.pass ? "PASS" : "FAIL");
  out += fmt::format(R"(<p class="verdict {}">{}</p>)", pass, escape(run.verdict.line));
  out += R"(<div class="kpis">)";
  if (is_hdr(run)) {
    out += kpi("mean dE ITP", num(s.de_itp.mean, 2), "", limit_state(s.de_itp.mean, t.mean_de_itp));
    out += kpi("p95 dE ITP", num(s.de_itp.p95, 2), "", limit_state(s.de_itp.p95, t.p95_de_itp));
    out += kpi("max dE ITP", num(s.de_itp.max, 2), "", limit_state(s.de_itp.max, t.max_de_itp));
    out += kpi("not judged", std::to_string(s.not_judged), "patches");
    out += kpi("mean dE2000", num(s.de2000.mean, 2), "");
    out += kpi("peak", num(g.peak_nits, 0), "cd/m²");
    out += kpi("window", std::isfinite(g.window_pct) ? num(g.window_pct, 0) : "—", "%");
    out += kpi("roll-off", num(g.rolloff_nits, 0), "cd/m²");
    out += kpi("PQ tracking", num(g.mean_abs_luminance_error_pct, 1), "% mean |err|");
  } else {
    out += kpi("mean dE2000", num(s.de2000.mean, 2), "", limit_state(s.de2000.mean, t.mean_de2000));
    out += kpi("p95 dE2000", num(s.de2000.p95, 2), "");
    out += kpi("max dE2000", num(s.de2000.max, 2), "", limit_state(s.de2000.max, t.max_de2000));
    double grey_max = kNotMeasured;
    for (const auto& group : s.groups)
      if (group.group == "greyscale") grey_max = group.de2000.max;
    out += kpi("grey max dE2000", num(grey_max, 2), "", limit_state(grey_max, t.greyscale_max_de2000));
    out += kpi("gamma 10–90%", num(g.mean_gamma, 2), "");
    out += kpi("white", num(g.white_nits, 1), "cd/m²");
    out += kpi("black", num(g.black_nits, 4), "cd/m²");
    out += kpi("contrast", contrast_text(g), "");
  }
  out += kpi("white CCT", num(g.white_cct, 0), "K");
  out += kpi("white Duv", num(g.white_duv, 4), "");
  out += kpi("white Δu′v′", num(g.white_delta_uv, 4), "");
  out += kpi("median dE2000", num(s.de2000.median, 2), "");
  out += "</div>";
  out += meta_list(run);
  out += "</section>";
  return out;
}

// Before -> after for the figures a colorist checks first (two runs only).
std::string comparison_strip(const VerificationResult& before, const VerificationResult& after) {
  auto grey_max = [](const VerificationResult& run) {
    for (const auto& g : run.summary.groups)
      if (g.group == "greyscale") return g.de2000.max;
    return kNotMeasured;
  };
  auto item = [](std::string_view key, const std::string& a, const std::string& b) {
    return fmt::format(R"(<div class="cmp"><span class="k">{}</span><span class="v">{} <span class="arrow">→</span> <b>{}</b></span></div>)",
                       key, a, b);
  };
  std::string out = R"(<div class="card strip">)";
  if (is_hdr(after)) {
    out += item("mean dE ITP", num(before.summary.de_itp.mean, 2), num(after.summary.de_itp.mean, 2));
    out += item("max dE ITP", num(before.summary.de_itp.max, 2), num(after.summary.de_itp.max, 2));
    out += item("PQ tracking %", num(before.greyscale.mean_abs_luminance_error_pct, 1),
                num(after.greyscale.mean_abs_luminance_error_pct, 1));
  } else {
    out += item("mean dE2000", num(before.summary.de2000.mean, 2), num(after.summary.de2000.mean, 2));
    out += item("max dE2000", num(before.summary.de2000.max, 2), num(after.summary.de2000.max, 2));
    out += item("grey max dE2000", num(grey_max(before), 2), num(grey_max(after), 2));
    out += item("gamma", num(before.greyscale.mean_gamma, 2), num(after.greyscale.mean_gamma, 2));
  }
  out += item("white CCT K", num(before.greyscale.white_cct, 0), num(after.greyscale.white_cct, 0));
  out += item("white cd/m²", num(before.greyscale.white_nits, 1), num(after.greyscale.white_nits, 1));
  return out + "</div>";
}

// ---- charts

Point uv_point(const Vec3& XYZ) {
  Uv uv = uv_prime_from_XYZ(XYZ);
  return {uv.u, uv.v};
}

Point uv_point(Xy xy) {
  Uv uv = uv_prime_from_xy(xy);
  return {uv.u, uv.v};
}

void draw_locus(svg::Plot& plot) {
  std::vector<Point> locus;
  for (const auto& p : kSpectralLocus1931) locus.push_back(uv_point(Xy{p.x, p.y}));
  plot.polygon(locus, "locus");
  for (const auto& p : kSpectralLocus1931) {
    if (p.nm != 460 && p.nm != 480 && p.nm != 500 && p.nm != 520 && p.nm != 540 && p.nm != 560 &&
        p.nm != 580 && p.nm != 600 && p.nm != 700)
      continue;
    Point q = uv_point(Xy{p.x, p.y});
    double dx = p.nm <= 500 ? -30 : 6, dy = p.nm <= 480 ? 4 : p.nm <= 520 ? -4 : -6;
    plot.text(q, fmt::format("{}", p.nm), "locus-label", dx, dy);
  }
}

const VerificationPatch* find_patch(const VerificationResult& run, const Vec3& signal) {
  for (const auto& p : run.patches)
    if ((p.signal - signal).cwiseAbs().maxCoeff() < 1e-6) return &p;
  return nullptr;
}

std::string uv_chart(const VerificationResult& run) {
  svg::Axis x{0, 0.65, false, "u′", {}, 1};
  svg::Axis y{0, 0.6, false, "v′", {}, 1};
  x.ticks = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  y.ticks = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  svg::Plot plot(560, 540, x, y);
  plot.axes();
  draw_locus(plot);
  const auto& t = run.target;
  plot.polygon({uv_point(t.red), uv_point(t.green), uv_point(t.blue)}, "gamut-target");
  const auto *r = find_patch(run, {1, 0, 0}), *g = find_patch(run, {0, 1, 0}), *b = find_patch(run, {0, 0, 1});
  if (r && g && b)
    plot.polygon({uv_point(r->measured_XYZ), uv_point(g->measured_XYZ), uv_point(b->measured_XYZ)}, "gamut-measured");
  Vec3 ref = reference_white(run);
  for (const auto& p : run.patches) {
    if (!(p.measured_XYZ.y() > 0) || !(p.target_XYZ.y() > 0)) continue;
    Point tp = uv_point(p.target_XYZ), mp = uv_point(p.measured_XYZ);
    plot.segment(tp, mp, "link");
    plot.dot(tp, 2.6, "pt-target");
    plot.dot(mp, 3.4, "pt-measured", srgb_hex(p.measured_XYZ, ref),
             fmt::format("{} {} · dE2000 {}", p.group, signal_text(p.signal), num(p.de2000, 2)));
  }
  plot.dot(uv_point(t.white), 5, "white-target");
  plot.legend({{"gamut-target", "target gamut " + t.name}, {"gamut-measured", "measured gamut (100% R, G, B)"},
               {"link", "target ○ → measured ●"}}, true);
  return plot.finish("CIE 1976 u′v′ chromaticity diagram");
}

// Greyscale chromaticity, zoomed on the target white: each step's u'v' offset from the target.
std::string white_zoom_chart(const VerificationResult& run) {
  const auto& steps = run.greyscale.steps;
  double span = 0.004;
  for (const auto& s : steps) {
    const auto& p = run.patches[s.patch];
    if (!(p.measured_XYZ.y() > 0) || s.signal < 0.05) continue;
    Point m = uv_point(p.measured_XYZ), tt = uv_point(p.target_XYZ);
    span = std::max({span, std::abs(m.x - tt.x) * 1.25, std::abs(m.y - tt.y) * 1.25});
  }
  span = std::ceil(span * 1000) / 1000;
  svg::Axis x{-span, span, false, "Δu′ from target", {}, -1};
  svg::Axis y{-span, span, false, "Δv′ from target", {}, -1};
  svg::Plot plot(560, 540, x, y);
  plot.left = 66;
  plot.axes();
  plot.hline(0, "ref");
  plot.vline(0, "ref");
  std::vector<std::pair<Point, const GreyStep*>> marks;
  for (const auto& s : steps) {
    const auto& p = run.patches[s.patch];
    if (!(p.measured_XYZ.y() > 0) || s.signal < 0.05) continue;
    Point m = uv_point(p.measured_XYZ), tt = uv_point(p.target_XYZ);
    marks.push_back({{m.x - tt.x, m.y - tt.y}, &s});
  }
  std::vector<Point> trail;
  for (const auto& [d, s] : marks) trail.push_back(d);
  plot.polyline(trail, "trail");
  for (const auto& [d, s] : marks) {
    plot.dot(d, 4, "dot-measured", {},
             fmt::format("{}% · Δu′v′ {} · CCT {} K", pct_signal(s->signal), num(std::hypot(d.x, d.y), 4),
                         num(s->cct, 0)));
    plot.text(d, pct_signal(s->signal), "locus-label", 6, -5);
  }
  return plot.finish("Greyscale chromaticity relative to the target white");
}

std::vector<const GreyStep*> lit_steps(const VerificationResult& run) {
  std::vector<const GreyStep*> out;
  for (const auto& s : run.greyscale.steps)
    if (s.signal > 0) out.push_back(&s);
  return out;
}

std::string balance_chart(const VerificationResult& run) {
  std::vector<std::pair<double, Vec3>> steps;
  for (const auto* s : lit_steps(run)) steps.push_back({s->signal, s->rgb_balance});
  return rgb_balance_chart(steps, "channel level (% of target)", "Greyscale RGB balance");
}

std::string eotf_chart(const VerificationResult& run, double width = 560) {
  std::vector<Point> target, measured;
  double top = 1;
  for (const auto& s : run.greyscale.steps) {
    target.push_back({s.signal, s.target_nits});
    measured.push_back({s.signal, s.measured_nits});
    top = std::max({top, s.target_nits, s.measured_nits});
  }
  svg::Axis x{0, 1, false, is_hdr(run) ? "PQ signal" : "signal", {0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1}, 1};
  svg::Axis y;
  if (is_hdr(run)) {
    double lo = 0.01;
    y = svg::Axis{lo, std::pow(10, std::ceil(std::log10(top))), true, "luminance (cd/m², log)", {}, -1};
    for (auto& p : target) p.y = std::max(p.y, lo);
    for (auto& p : measured) p.y = std::max(p.y, lo);
  } else {
    y = svg::Axis{0, top * 1.05, false, "luminance (cd/m²)", {}, -1};
  }
  svg::Plot plot(width, 300, x, y);
  plot.axes();
  plot.polyline(target, "curve-target");
  plot.polyline(measured, "curve-measured");
  for (const auto& p : measured) plot.dot(p, 2.6, "dot-measured");
  std::vector<std::pair<std::string, std::string>> legend{
      {"curve-target", "target " + run.target.eotf}, {"curve-measured", "measured"}};
  if (is_hdr(run)) {
    plot.hline(run.greyscale.peak_nits, "peak", fmt::format("peak {} cd/m²", num(run.greyscale.peak_nits, 0)));
    plot.vline(run.greyscale.rolloff_signal, "peak",
               fmt::format("roll-off {} cd/m²", num(run.greyscale.rolloff_nits, 0)));
  }
  plot.legend(legend);
  return plot.finish("EOTF tracking");
}

std::string gamma_chart(const VerificationResult& run) {
  std::vector<Point> target, measured;
  double lo = 2.0, hi = 2.6;
  for (const auto& s : run.greyscale.steps) {
    target.push_back({100 * s.signal, s.target_gamma});
    measured.push_back({100 * s.signal, s.measured_gamma});
    for (double g : {s.target_gamma, s.measured_gamma})
      if (std::isfinite(g)) lo = std::min(lo, g), hi = std::max(hi, g);
  }
  lo = std::max(1.0, std::floor(lo * 10 - 1) / 10);
  hi = std::min(4.0, std::ceil(hi * 10 + 1) / 10);
  svg::Axis x{0, 100, false, "signal (%)", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0};
  svg::Axis y{lo, hi, false, "point gamma", {}, 2};
  svg::Plot plot(560, 300, x, y);
  plot.axes();
  plot.polyline(target, "curve-target");
  plot.polyline(measured, "curve-measured");
  for (const auto& p : measured) plot.dot(p, 2.6, "dot-measured");
  plot.legend({{"curve-target", "target " + run.target.eotf}, {"curve-measured", "measured"}});
  return plot.finish("Point gamma");
}

// Luminance error of each lit step, in % of the target (HDR: only steps up to the display's peak
// count in the tracking figure; the others are drawn too, hollow).
std::string luminance_error_chart(const VerificationResult& run) {
  double dev = 5;
  for (const auto* s : lit_steps(run))
    if (std::isfinite(s->luminance_error_pct)) dev = std::max(dev, std::abs(s->luminance_error_pct) * 1.15);
  dev = std::min(std::ceil(dev), 100.0);
  svg::Axis x{0, 100, false, is_hdr(run) ? "PQ signal (%)" : "signal (%)", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0};
  svg::Axis y{-dev, dev, false, "luminance error (% of target)", {}, -1};
  svg::Plot plot(560, 300, x, y);
  plot.axes();
  plot.hline(0, "ref");
  std::vector<Point> line;
  for (const auto* s : lit_steps(run)) {
    bool tracked = !is_hdr(run) || s->target_nits <= run.greyscale.peak_nits;
    Point p{100 * s->signal, std::clamp(s->luminance_error_pct, -dev, dev)};
    if (tracked) line.push_back(p);
    plot.dot(p, 3, tracked ? "dot-measured" : "pt-target", {},
             fmt::format("{}%: {} cd/m² for {} cd/m² ({}%)", pct_signal(s->signal), num(s->measured_nits, 3),
                         num(s->target_nits, 3), num(s->luminance_error_pct, 1)));
  }
  plot.polyline(line, "curve-measured");
  return plot.finish("Luminance error per greyscale step");
}

std::string de_bar_chart(const VerificationResult& run) {
  bool itp = is_hdr(run);
  const auto& t = run.thresholds;
  double mean_limit = itp ? t.mean_de_itp : t.mean_de2000;
  double max_limit = itp ? t.max_de_itp : t.max_de2000;
  double top = std::isfinite(max_limit) ? max_limit * 1.25 : mean_limit * 2;
  for (const auto& p : run.patches) top = std::max(top, (itp ? p.de_itp : p.de2000) * 1.08);
  auto n = static_cast<double>(run.patches.size());
  svg::Axis x{0.5, n + 0.5, false, "patch", {}, 0};
  svg::Axis y{0, top, false, itp ? "dE ITP" : "dE2000", {}, -1};
  svg::Plot plot(1160, 280, x, y);
  plot.axes();
  for (std::size_t i = 0; i < run.patches.size(); ++i) {
    const auto& p = run.patches[i];
    double de = itp ? p.de_itp : p.de2000;
    plot.bar(static_cast<double>(i + 1), 0.72, de, "bar-" + grade(run, de, itp),
             fmt::format("#{} {} {} · {} {}", i + 1, p.group, signal_text(p.signal), itp ? "dE ITP" : "dE2000",
                         num(de, 2)));
  }
  plot.hline(mean_limit, "thr-mean", fmt::format("mean limit {}", num(mean_limit, 1)));
  plot.hline(max_limit, "thr-max", fmt::format("max limit {}", num(max_limit, 1)));
  return plot.finish("dE per patch");
}

// ---- tables

std::string swatch_pair(const VerificationPatch& p, const Vec3& ref) {
  return fmt::format(R"(<span class="sw" title="target | measured"><span style="background:{}"></span><span style="background:{}"></span></span>)",
                     srgb_hex(p.target_XYZ, ref), srgb_hex(p.measured_XYZ, ref));
}

std::string xyY_text(const Vec3& XYZ) {
  Xy xy = xy_from_XYZ(XYZ);
  if (!(XYZ.y() > 0)) return "— — " + num(XYZ.y(), 3);
  return fmt::format("{} {} {}", num(xy.x, 4), num(xy.y, 4), num(XYZ.y(), XYZ.y() < 10 ? 3 : 2));
}

std::string patch_table(const VerificationResult& run) {
  bool itp = is_hdr(run);
  Vec3 ref = reference_white(run);
  std::string out = R"(<div class="table-wrap"><table><thead><tr><th>#</th><th class="l">group</th>)"
                    R"(<th>signal R G B (%)</th><th class="l">target | measured</th>)"
                    R"(<th>target x y Y</th><th>measured x y Y</th><th>dE2000</th><th>dE ITP</th>)";
  if (run.extra_metrics) out += "<th>dE76</th><th>dE94</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t i = 0; i < run.patches.size(); ++i) {
    const auto& p = run.patches[i];
    // A patch left out of the verdict (outside the display's gamut, or the HDR black) says so.
    std::string group = escape(p.group) + (p.judged ? "" : " · not judged");
    out += fmt::format(R"(<tr><td>{}</td><td class="l"><span class="group-tag">{}</span></td><td>{}</td><td class="l">{}</td><td>{}</td><td>{}</td>)",
                       i + 1, group, signal_text(p.signal), swatch_pair(p, ref), xyY_text(p.target_XYZ),
                       xyY_text(p.measured_XYZ));
    out += fmt::format(R"(<td class="{}">{}</td><td class="{}">{}</td>)", itp ? "" : grade(run, p.de2000, false),
                       num(p.de2000, 2), itp ? grade(run, p.de_itp, true) : "", num(p.de_itp, 2));
    if (run.extra_metrics) out += fmt::format("<td>{}</td><td>{}</td>", num(p.de76, 2), num(p.de94, 2));
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string greyscale_table(const VerificationResult& run) {
  bool hdr = is_hdr(run);
  std::string out = R"(<div class="table-wrap"><table><thead><tr><th>signal %</th><th>target cd/m²</th>)"
                    R"(<th>measured cd/m²</th><th>error %</th><th>R %</th><th>G %</th><th>B %</th><th>CCT K</th><th>Duv</th>)";
  out += hdr ? "<th>dE ITP</th>" : "<th>gamma target</th><th>gamma measured</th><th>dE2000</th>";
  out += "</tr></thead><tbody>";
  for (const auto& s : run.greyscale.steps) {
    int d = s.measured_nits < 1 ? 4 : s.measured_nits < 100 ? 3 : 1;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                       pct_signal(s.signal), num(s.target_nits, d), num(s.measured_nits, d),
                       num(s.luminance_error_pct, 1), num(s.rgb_balance.x(), 1), num(s.rgb_balance.y(), 1),
                       num(s.rgb_balance.z(), 1), num(s.cct, 0), num(s.duv, 4));
    if (hdr)
      out += fmt::format(R"(<td class="{}">{}</td>)", grade(run, s.de_itp, true), num(s.de_itp, 2));
    else
      out += fmt::format(R"(<td>{}</td><td>{}</td><td class="{}">{}</td>)", num(s.target_gamma, 2),
                         num(s.measured_gamma, 2), grade(run, s.de2000, false), num(s.de2000, 2));
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string group_table(const VerificationResult& run) {
  std::string out = R"(<div class="table-wrap"><table><thead><tr><th class="l">group</th><th>patches</th>)"
                    R"(<th>mean dE2000</th><th>median</th><th>p95</th><th>max</th><th>mean dE ITP</th><th>max dE ITP</th></tr></thead><tbody>)";
  // Colour the figures the verdict is about: dE2000 for SDR, dE ITP for HDR.
  bool hdr = is_hdr(run);
  auto row = [&](const std::string& name, const DeStats& de, const DeStats& itp) {
    out += fmt::format(R"(<tr><td class="l">{}</td><td>{}</td><td class="{}">{}</td><td>{}</td><td>{}</td><td class="{}">{}</td><td class="{}">{}</td><td class="{}">{}</td></tr>)",
                       escape(name), de.count, hdr ? "" : grade(run, de.mean, false), num(de.mean, 2),
                       num(de.median, 2), num(de.p95, 2), hdr ? "" : grade(run, de.max, false), num(de.max, 2),
                       hdr ? grade(run, itp.mean, true) : "", num(itp.mean, 2),
                       hdr ? grade(run, itp.max, true) : "", num(itp.max, 2));
  };
  for (const auto& g : run.summary.groups) row(g.group, g.de2000, g.de_itp);
  row("all patches", run.summary.de2000, run.summary.de_itp);
  if (run.extra_metrics) {
    out += fmt::format(R"(<tr><td class="l">dE76 / dE94, all</td><td>{}</td><td>{} / {}</td><td>{} / {}</td><td>{} / {}</td><td>{} / {}</td><td></td><td></td></tr>)",
                       run.summary.de76.count, num(run.summary.de76.mean, 2), num(run.summary.de94.mean, 2),
                       num(run.summary.de76.median, 2), num(run.summary.de94.median, 2), num(run.summary.de76.p95, 2),
                       num(run.summary.de94.p95, 2), num(run.summary.de76.max, 2), num(run.summary.de94.max, 2));
  }
  out += "</tbody></table></div>";
  return out;
}

std::string figure(const std::string& svg_markup, std::string_view caption) {
  return fmt::format("<figure class=\"card\">{}<figcaption>{}</figcaption></figure>", svg_markup, caption);
}

// One section: per run, a card with the run's title over `body(run)`.
template <class Body>
std::string per_run(const std::vector<VerificationResult>& runs, const std::vector<std::string>& titles,
                    Body body, bool side_by_side = true) {
  std::string out = fmt::format(R"(<div class="runs" style="--n:{}">)", side_by_side ? runs.size() : 1);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    out += "<div>";
    if (runs.size() > 1) out += fmt::format("<h3>{}</h3>", escape(titles[i]));
    out += body(runs[i]);
    out += "</div>";
  }
  return out + "</div>";
}

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

const char* report_css() { return kCss; }

std::string render_html(const std::vector<VerificationResult>& runs) {
  if (runs.empty()) throw ValueError("runs", "nothing to report");
  std::vector<std::string> titles;
  for (std::size_t i = 0; i < runs.size(); ++i) titles.push_back(run_title(runs[i], i, runs.size()));
  const auto& last = runs.back();
  std::string display = last.info.display.empty() ? "Display" : last.info.display;
  std::string target = last.info.target.empty() ? last.target.name : last.info.target;

  std::string html = R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">)"
                     R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">)"
                     R"(<meta name="viewport" content="width=device-width, initial-scale=1">)";
  html += fmt::format("<title>Verification · {} · {}</title><style>{}</style></head><body><main>",
                      escape(display), escape(target), kCss);
  std::string pass = last.verdict.pass ? "pass" : "fail";
  html += fmt::format(R"(<header class="top"><div><p class="kicker">calkit display verification{}</p><h1>{}</h1><p class="subtitle">{} · {} patches · {}</p></div>)"
                      R"(<div><span class="badge big {}">{}</span></div></header>)",
                      runs.size() == 2 ? " · before and after" : "", escape(display), escape(target),
                      last.patches.size(), escape(last.info.date), pass, last.verdict.pass ? "PASS" : "FAIL");

  html += "<h2>Summary</h2>";
  if (runs.size() == 2) html += comparison_strip(runs[0], runs[1]);
  html += fmt::format(R"(<div class="runs keep" style="--n:{}">)", runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) html += summary_card(runs[i], titles[i]);
  html += "</div>";

  html += "<h2 class=\"page\">Gamut and chromaticity</h2>";
  html += per_run(runs, titles, [](const VerificationResult& run) {
    return fmt::format(R"(<div class="charts">{}{}</div>)",
                       figure(uv_chart(run), "CIE 1976 u′v′. Spectral locus: CIE 1931 2° observer. Dashed: target "
                                             "gamut; blue: measured 100% primaries; ○ target, ● measured (in its "
                                             "screen colour), joined per patch."),
                       figure(white_zoom_chart(run), "Greyscale chromaticity as Δu′v′ from each step's target, "
                                                     "labelled with the signal in %."));
  }, false);

  html += "<h2 class=\"page\">Greyscale</h2>";
  html += per_run(runs, titles, [](const VerificationResult& run) {
    std::string charts = figure(balance_chart(run), "RGB balance: each channel of the measured grey in the "
                                                     "target's linear RGB, chromaticity only, as % of the target.");
    charts += figure(luminance_error_chart(run),
                     is_hdr(run) ? "Luminance error per step; hollow: above the display's peak, not counted."
                                 : "Luminance error per step: measured against the target EOTF.");
    if (is_hdr(run)) {
      charts += "<div class=\"wide\">" +
                figure(eotf_chart(run, 1160), "PQ tracking: measured luminance against the target, counted up to the "
                                        "display's peak; the roll-off is the last step still within the "
                                        "tolerance of the PQ curve.") +
                "</div>";
    } else {
      charts += figure(eotf_chart(run), "EOTF tracking: measured luminance against the target.");
      charts += figure(gamma_chart(run), "Point gamma log(Y/Y<sub>white</sub>) / log(V) of the target and "
                                         "of the measurement.");
    }
    return fmt::format(R"(<div class="charts">{}</div>)", charts) + "<div class=\"card\" style=\"margin-top:16px\">" +
           greyscale_table(run) + "</div>";
  }, false);

  html += "<h2 class=\"page\">Colour error</h2>";
  html += per_run(runs, titles, [](const VerificationResult& run) {
    return fmt::format(R"(<div class="charts one">{}</div><div class="card" style="margin-top:16px">{}</div>)",
                       figure(de_bar_chart(run), is_hdr(run) ? "dE ITP (ITU-R BT.2124) per patch, with the "
                                                               "report's thresholds."
                                                             : "dE2000 (CIE 142-2001) per patch, CIELAB relative "
                                                               "to the target white, with the report's thresholds."),
                       group_table(run));
  }, false);

  html += "<h2 class=\"page\">Patches</h2>";
  html += per_run(runs, titles, [](const VerificationResult& run) {
    return "<div class=\"card\">" + patch_table(run) +
           "<p class=\"note\">Swatches are the target and the measured colour converted to sRGB for this screen "
           "(relative to the target white" +
           std::string(is_hdr(run) ? ", HDR at 203 cd/m² = sRGB white (BT.2408), clipped" : "") +
           "): a guide for the eye, not a reference. Judge the numbers.</p></div>";
  }, false);

  html += fmt::format(R"(<footer>Generated by calkit {}. dE2000: CIE 142-2001 on CIELAB relative to the target white; )"
                      R"(dE ITP: ITU-R BT.2124 on absolute ICtCp; CCT: Ohno 2013; Duv: Ohno 2014; percentiles: )"
                      R"(linear between order statistics. All luminances in cd/m².</footer>)",
                      escape(last.info.calkit_version));
  html += "</main></body></html>\n";
  return html;
}

std::string html_head(std::string_view title, std::string_view extra_css) {
  return fmt::format(R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">)"
                     R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">)"
                     R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
                     "<title>{}</title><style>{}{}</style></head><body><main>",
                     escape(title), kCss, extra_css);
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

std::string report_number(double value, int decimals) { return num(value, decimals); }

void draw_uv_locus(svg::Plot& plot) { draw_locus(plot); }

void write_html_report(const std::filesystem::path& path, const std::vector<VerificationResult>& runs) {
  write_file_atomically(path, render_html(runs));
}

}  // namespace calkit
