#include "report/html/verification_page.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "report/html/charts.hpp"
#include "report/html/page_kit.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit {

namespace {

using namespace html;
using svg::escape;
using svg::Point;

std::string run_title(const VerificationResult& run, std::size_t index, std::size_t count) {
  if (!run.info.label.empty()) return run.info.label;
  if (count == 2) return index == 0 ? "before" : "after";
  return count == 1 ? "verification" : fmt::format("run {}", index + 1);
}

bool is_hdr(const VerificationResult& run) { return run.target.hdr; }

Vec3 reference_white(const VerificationResult& run) {
  // The white the swatches are relative to: the target white (page_kit.hpp: swatch_white).
  Vec3 white = XYZ_from_xyY(run.target.white, run.target.white_nits);  // without a white patch
  for (const auto& p : run.patches)
    if ((p.signal.array() - 1.0).abs().maxCoeff() < 1e-6 && p.target_XYZ.y() > 0) white = p.target_XYZ;
  return swatch_white(white, is_hdr(run));
}

// ---- header and summary

// "BT.1886 · white 100 cd/m² · black 0.150 cd/m²"; for PQ the mastering peak, the roll-off and
// the display peak it lands on: "PQ · mastering peak 1000 cd/m² · BT.2390 roll-off onto display
// peak 644 cd/m² · black 0.0005 cd/m²".
std::string eotf_text(const TargetDescription& t) {
  if (t.eotf.empty()) return "";
  if (!t.hdr)
    return fmt::format("{} · white {} cd/m² · black {} cd/m²", t.eotf, num(t.white_nits, 0), num(t.black_nits, 3));
  std::string out = fmt::format("{} · mastering peak {} cd/m²", t.eotf, num(t.white_nits, 0));
  if (!t.roll_off.empty()) out += t.roll_off == "bt2390" ? " · BT.2390 roll-off" : " · clipped";
  if (std::isfinite(t.display_peak_nits))
    out += fmt::format(" onto display peak {} cd/m²", num(t.display_peak_nits, 0));
  return out + fmt::format(" · black {} cd/m²", num(t.black_nits, 4));
}

std::string meta_list(const VerificationResult& run) {
  const auto& i = run.info;
  std::string target = i.target.empty() ? run.target.name : i.target;
  return "<dl class=\"meta\">" + meta_row("Display", i.display) + meta_row("Probe", i.probe) +
         meta_row("Correction", i.correction) + meta_row("Target", target) + meta_row("EOTF", eotf_text(run.target)) +
         meta_row("LUT file", i.lut_file, true) + meta_row("LUT xxHash64", i.lut_xxh64, true) +
         meta_row("Date", i.date) + meta_row("calkit", i.calkit_version) + "</dl>";
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
  std::string pass = pass_class(run.verdict.pass);
  std::string out = R"(<section class="card">)";
  out += fmt::format(R"(<div class="run-head"><span class="run-label">{}</span><span class="badge {}">{}</span></div>)",
                     escape(title), pass, verdict_word(run.verdict));
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
    return fmt::format(
        R"(<div class="cmp"><span class="k">{}</span><span class="v">{} <span class="arrow">→</span> <b>{}</b></span></div>)",
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

const VerificationPatch* find_patch(const VerificationResult& run, const Vec3& signal) {
  for (const auto& p : run.patches)
    if ((p.signal - signal).cwiseAbs().maxCoeff() < 1e-6) return &p;
  return nullptr;
}

std::string uv_chart(const VerificationResult& run) {
  svg::Plot plot = uv_diagram();
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
  plot.legend({{"gamut-target", "target gamut " + t.name},
               {"gamut-measured", "measured gamut (100% R, G, B)"},
               {"link", "target ○ → measured ●"}},
              true);
  return plot.finish("CIE 1976 u′v′ chromaticity diagram");
}

// Greyscale chromaticity, zoomed on the target white: each step's u'v' offset from the target.
std::string white_zoom_chart(const VerificationResult& run) {
  const auto& steps = run.greyscale.steps;
  double span = 0.004;
  for (const auto& s : steps) {
    const auto& p = run.patches[s.patch];
    if (!(p.measured_XYZ.y() > 0) || s.signal < 0.05 - kSignalTolerance) continue;
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
    if (!(p.measured_XYZ.y() > 0) || s.signal < 0.05 - kSignalTolerance) continue;
    Point m = uv_point(p.measured_XYZ), tt = uv_point(p.target_XYZ);
    marks.push_back({{m.x - tt.x, m.y - tt.y}, &s});
  }
  std::vector<Point> trail;
  for (const auto& [d, s] : marks) trail.push_back(d);
  plot.polyline(trail, "trail");
  for (const auto& [d, s] : marks) {
    plot.dot(d, 4, "dot-measured", {},
             fmt::format("{}% · Δu′v′ {} · CCT {} K", percent_text(s->signal), num(std::hypot(d.x, d.y), 4),
                         num(s->cct, 0)));
    plot.text(d, percent_text(s->signal), "locus-label", 6, -5);
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
  std::vector<std::pair<std::string, std::string>> legend{{"curve-target", "target " + run.target.eotf},
                                                          {"curve-measured", "measured"}};
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
  svg::Axis x{0, 100, false, is_hdr(run) ? "PQ signal (%)" : "signal (%)", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
              0};
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
             fmt::format("{}%: {} cd/m² for {} cd/m² ({}%)", percent_text(s->signal), num(s->measured_nits, 3),
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
    plot.bar(
        static_cast<double>(i + 1), 0.72, de, "bar-" + de_grade(run.thresholds, de, itp),
        fmt::format("#{} {} {} · {} {}", i + 1, p.group, signal_text(p.signal), itp ? "dE ITP" : "dE2000", num(de, 2)));
  }
  plot.hline(mean_limit, "thr-mean", fmt::format("mean limit {}", num(mean_limit, 1)));
  plot.hline(max_limit, "thr-max", fmt::format("max limit {}", num(max_limit, 1)));
  return plot.finish("dE per patch");
}

// ---- tables

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
    out += fmt::format(
        R"(<tr><td>{}</td><td class="l"><span class="group-tag">{}</span></td><td>{}</td><td class="l">{}</td><td>{}</td><td>{}</td>)",
        i + 1, group, signal_text(p.signal), swatch_pair("target | measured", p.target_XYZ, p.measured_XYZ, ref),
        xyY_text(p.target_XYZ), xyY_text(p.measured_XYZ));
    out += fmt::format(R"(<td class="{}">{}</td><td class="{}">{}</td>)",
                       itp ? "" : de_grade(run.thresholds, p.de2000, false), num(p.de2000, 2),
                       itp ? de_grade(run.thresholds, p.de_itp, true) : "", num(p.de_itp, 2));
    if (run.extra_metrics) out += fmt::format("<td>{}</td><td>{}</td>", num(p.de76, 2), num(p.de94, 2));
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string greyscale_table(const VerificationResult& run) {
  bool hdr = is_hdr(run);
  std::string out =
      R"(<div class="table-wrap"><table><thead><tr><th>signal %</th><th>target cd/m²</th>)"
      R"(<th>measured cd/m²</th><th>error %</th><th>R %</th><th>G %</th><th>B %</th><th>CCT K</th><th>Duv</th>)";
  out += hdr ? "<th>dE ITP</th>" : "<th>gamma target</th><th>gamma measured</th><th>dE2000</th>";
  out += "</tr></thead><tbody>";
  for (const auto& s : run.greyscale.steps) {
    int d = s.measured_nits < 1 ? 4 : s.measured_nits < 100 ? 3 : 1;
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        percent_text(s.signal), num(s.target_nits, d), num(s.measured_nits, d), num(s.luminance_error_pct, 1),
        num(s.rgb_balance.x(), 1), num(s.rgb_balance.y(), 1), num(s.rgb_balance.z(), 1), num(s.cct, 0), num(s.duv, 4));
    if (hdr)
      out += fmt::format(R"(<td class="{}">{}</td>)", de_grade(run.thresholds, s.de_itp, true), num(s.de_itp, 2));
    else
      out += fmt::format(R"(<td>{}</td><td>{}</td><td class="{}">{}</td>)", num(s.target_gamma, 2),
                         num(s.measured_gamma, 2), de_grade(run.thresholds, s.de2000, false), num(s.de2000, 2));
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string group_table(const VerificationResult& run) {
  std::string out =
      R"(<div class="table-wrap"><table><thead><tr><th class="l">group</th><th>patches</th>)"
      R"(<th>mean dE2000</th><th>median</th><th>p95</th><th>max</th><th>mean dE ITP</th><th>max dE ITP</th></tr></thead><tbody>)";
  // Colour the figures the verdict is about: dE2000 for SDR, dE ITP for HDR.
  bool hdr = is_hdr(run);
  const auto& t = run.thresholds;
  auto row = [&](const std::string& name, const DeStats& de, const DeStats& itp) {
    out += fmt::format(
        R"(<tr><td class="l">{}</td><td>{}</td><td class="{}">{}</td><td>{}</td><td>{}</td><td class="{}">{}</td><td class="{}">{}</td><td class="{}">{}</td></tr>)",
        escape(name), de.count, hdr ? "" : de_grade(t, de.mean, false), num(de.mean, 2), num(de.median, 2),
        num(de.p95, 2), hdr ? "" : de_grade(t, de.max, false), num(de.max, 2), hdr ? de_grade(t, itp.mean, true) : "",
        num(itp.mean, 2), hdr ? de_grade(t, itp.max, true) : "", num(itp.max, 2));
  };
  for (const auto& g : run.summary.groups) row(g.group, g.de2000, g.de_itp);
  row("all patches", run.summary.de2000, run.summary.de_itp);
  if (run.extra_metrics) {
    out += fmt::format(
        R"(<tr><td class="l">dE76 / dE94, all</td><td>{}</td><td>{} / {}</td><td>{} / {}</td><td>{} / {}</td><td>{} / {}</td><td></td><td></td></tr>)",
        run.summary.de76.count, num(run.summary.de76.mean, 2), num(run.summary.de94.mean, 2),
        num(run.summary.de76.median, 2), num(run.summary.de94.median, 2), num(run.summary.de76.p95, 2),
        num(run.summary.de94.p95, 2), num(run.summary.de76.max, 2), num(run.summary.de94.max, 2));
  }
  out += "</tbody></table></div>";
  return out;
}

// One section: per run, a card with the run's title over `body(run)`.
template <class Body>
std::string per_run(const std::vector<VerificationResult>& runs, const std::vector<std::string>& titles, Body body,
                    bool side_by_side = true) {
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

std::string render_html(const std::vector<VerificationResult>& runs) {
  if (runs.empty()) throw ValueError("runs", "nothing to report");
  std::vector<std::string> titles;
  for (std::size_t i = 0; i < runs.size(); ++i) titles.push_back(run_title(runs[i], i, runs.size()));
  const auto& last = runs.back();
  std::string display = last.info.display.empty() ? "Display" : last.info.display;
  std::string target = last.info.target.empty() ? last.target.name : last.info.target;

  std::string html = html_head("Verification · " + display + " · " + target);
  html += page_header(
      runs.size() == 2 ? "calkit display verification · before and after" : "calkit display verification",
      escape(display), fmt::format("{} · {} patches · {}", escape(target), last.patches.size(), escape(last.info.date)),
      last.verdict.pass);

  html += "<h2>Summary</h2>";
  if (runs.size() == 2) html += comparison_strip(runs[0], runs[1]);
  html += fmt::format(R"(<div class="runs keep" style="--n:{}">)", runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) html += summary_card(runs[i], titles[i]);
  html += "</div>";

  html += "<h2 class=\"page\">Gamut and chromaticity</h2>";
  html += per_run(
      runs, titles,
      [](const VerificationResult& run) {
        return fmt::format(R"(<div class="charts">{}{}</div>)",
                           figure(uv_chart(run),
                                  "CIE 1976 u′v′. Spectral locus: CIE 1931 2° observer. Dashed: target "
                                  "gamut; blue: measured 100% primaries; ○ target, ● measured (in its "
                                  "screen colour), joined per patch."),
                           figure(white_zoom_chart(run),
                                  "Greyscale chromaticity as Δu′v′ from each step's target, "
                                  "labelled with the signal in %."));
      },
      false);

  html += "<h2 class=\"page\">Greyscale</h2>";
  html += per_run(
      runs, titles,
      [](const VerificationResult& run) {
        std::string charts = figure(balance_chart(run),
                                    "RGB balance: each channel of the measured grey in the "
                                    "target's linear RGB, chromaticity only, as % of the target.");
        charts += figure(luminance_error_chart(run),
                         is_hdr(run) ? "Luminance error per step; hollow: above the display's peak, not counted."
                                     : "Luminance error per step: measured against the target EOTF.");
        if (is_hdr(run)) {
          charts += "<div class=\"wide\">" +
                    figure(eotf_chart(run, 1160),
                           "PQ tracking: measured luminance against the target, counted up to the "
                           "display's peak; the roll-off is the last step still within the "
                           "tolerance of the PQ curve.") +
                    "</div>";
        } else {
          charts += figure(eotf_chart(run), "EOTF tracking: measured luminance against the target.");
          charts += figure(gamma_chart(run),
                           "Point gamma log(Y/Y<sub>white</sub>) / log(V) of the target and "
                           "of the measurement.");
        }
        return fmt::format(R"(<div class="charts">{}</div>)", charts) +
               "<div class=\"card\" style=\"margin-top:16px\">" + greyscale_table(run) + "</div>";
      },
      false);

  html += "<h2 class=\"page\">Colour error</h2>";
  html += per_run(
      runs, titles,
      [](const VerificationResult& run) {
        return fmt::format(
            R"(<div class="charts one">{}</div><div class="card" style="margin-top:16px">{}</div>)",
            figure(de_bar_chart(run), is_hdr(run) ? "dE ITP (ITU-R BT.2124) per patch, with the "
                                                    "report's thresholds."
                                                  : "dE2000 (CIE 142-2001) per patch, CIELAB relative "
                                                    "to the target white, with the report's thresholds."),
            group_table(run));
      },
      false);

  html += "<h2 class=\"page\">Patches</h2>";
  html += per_run(
      runs, titles,
      [](const VerificationResult& run) {
        return "<div class=\"card\">" + patch_table(run) +
               "<p class=\"note\">Swatches are the target and the measured colour converted to sRGB for this screen "
               "(relative to the target white" +
               std::string(is_hdr(run) ? ", HDR at 203 cd/m² = sRGB white (BT.2408), clipped" : "") +
               "): a guide for the eye, not a reference. Judge the numbers.</p></div>";
      },
      false);

  html +=
      page_end(fmt::format("Generated by calkit {}. dE2000: CIE 142-2001 on CIELAB relative to the target white; "
                           "dE ITP: ITU-R BT.2124 on absolute ICtCp; CCT: Ohno 2013; Duv: Ohno 2014; percentiles: "
                           "linear between order statistics. All luminances in cd/m².",
                           escape(last.info.calkit_version)));
  return html;
}

void write_html_report(const std::filesystem::path& path, const std::vector<VerificationResult>& runs) {
  write_file_atomically(path, render_html(runs));
}

}  // namespace calkit
