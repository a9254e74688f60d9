#include "report/html/match_page.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "core/files.hpp"
#include "report/html/charts.hpp"
#include "report/html/page_kit.hpp"
#include "report/html/svg_plot.hpp"

namespace calkit {

namespace {

using namespace html;
using svg::escape;
using svg::Point;

// Run A: circles; run B: squares (distinct in print and for colour-blind readers).
constexpr const char* kMatchCss = R"css(
.pt-a{stroke:#1c1c1e;stroke-width:.9}.pt-b{stroke:#c62828;stroke-width:1.1}
.key-a{fill:#fff;stroke:#1c1c1e;stroke-width:1.2}.key-b{fill:#fff;stroke:#c62828;stroke-width:1.4}
.curve-a{fill:none;stroke:var(--target);stroke-width:1.8;stroke-dasharray:6 4}
.curve-b{fill:none;stroke:var(--accent);stroke-width:2}
.warn-box{background:var(--warn-bg);color:var(--warn);border-radius:8px;padding:8px 12px;margin:8px 0 0;font-size:13px}
)css";

std::string meta(const VerificationInfo& i, const std::string& file) {
  return "<dl class=\"meta\">" + meta_row("File", file, true) + meta_row("Run", i.label) +
         meta_row("Display", i.display) + meta_row("Probe", i.probe.empty() ? "—" : i.probe) +
         meta_row("Correction", i.correction.empty() ? "none" : i.correction) + meta_row("Target", i.target) +
         meta_row("LUT file", i.lut_file, true) + meta_row("LUT xxHash64", i.lut_xxh64, true) +
         meta_row("Date", i.date) + "</dl>";
}

std::string summary(const MatchResult& r) {
  const auto& t = r.thresholds;
  const auto& w = r.white;
  const auto& l = r.levels;
  std::string out = R"(<section class="card"><div class="kpis">)";
  if (r.hdr) {
    out += kpi("mean dE ITP", num(r.de_itp.mean, 2), "", limit_state(r.de_itp.mean, t.mean_de_itp));
    out += kpi("median dE ITP", num(r.de_itp.median, 2), "");
    out += kpi("p95 dE ITP", num(r.de_itp.p95, 2), "");
    out += kpi("max dE ITP", num(r.de_itp.max, 2), "", limit_state(r.de_itp.max, t.max_de_itp));
  } else {
    out += kpi("mean dE2000", num(r.de2000.mean, 2), "", limit_state(r.de2000.mean, t.mean_de2000));
    out += kpi("median dE2000", num(r.de2000.median, 2), "");
    out += kpi("p95 dE2000", num(r.de2000.p95, 2), "");
    out += kpi("max dE2000", num(r.de2000.max, 2), "", limit_state(r.de2000.max, t.max_de2000));
  }
  out += kpi("white dE2000", num(w.de2000, 2), "", r.hdr ? "" : limit_state(w.de2000, t.white_de2000));
  out += kpi("white Δxy", num(w.delta_xy, 4), "");
  out += kpi("white ΔCCT (B − A)", num(w.delta_cct, 0), "K");
  out += kpi("white Δu′v′", num(w.delta_uv, 4), "");
  out += kpi("white A → B", num(w.reference_nits, 1) + " → " + num(w.display_nits, 1), "cd/m²");
  out += kpi("black A → B", num(l.reference_black_nits, 4) + " → " + num(l.display_black_nits, 4), "cd/m²");
  out += kpi("peak A → B", num(l.reference_peak_nits, 1) + " → " + num(l.display_peak_nits, 1), "cd/m²");
  out += kpi("peak difference", num(l.peak_difference_pct, 1), "%");
  return out + "</div></section>";
}

std::string uv_chart(const MatchResult& r) {
  svg::Plot plot = uv_diagram();
  Vec3 ref = swatch_white(r.lab_white_XYZ, r.hdr);
  for (std::size_t i = 0; i < r.patches.size(); ++i) {
    const auto& p = r.patches[i];
    if (!(p.reference_XYZ.y() > 0) || !(p.display_XYZ.y() > 0)) continue;
    Point a = uv_point(p.reference_XYZ), b = uv_point(p.display_XYZ);
    plot.segment(a, b, "link");
    std::string tip =
        fmt::format("#{} {} · dE2000 {} · dE ITP {}", i + 1, signal_text(p.signal), num(p.de2000, 2), num(p.de_itp, 2));
    plot.dot(a, 3.4, "pt-a", srgb_hex(p.reference_XYZ, ref), "A " + tip);
    double s = 3.2;
    plot.raw(fmt::format(
        R"(<rect class="pt-b" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="{}"><title>{}</title></rect>)",
        plot.px(b.x) - s, plot.py(b.y) - s, 2 * s, 2 * s, srgb_hex(p.display_XYZ, ref), escape("B " + tip)));
  }
  plot.legend({{"key-a", "A (reference) ●"}, {"key-b", "B (display) ■"}, {"link", "A → B per patch"}}, true);
  return plot.finish("CIE 1976 u′v′ diagram of both displays' patches");
}

std::vector<const MatchGreyStep*> lit(const MatchResult& r) {
  std::vector<const MatchGreyStep*> out;
  for (const auto& s : r.greyscale)
    if (s.signal > 0) out.push_back(&s);
  return out;
}

std::string luminance_chart(const MatchResult& r) {
  std::vector<Point> a, b;
  double top = 1;
  for (const auto& s : r.greyscale) {
    a.push_back({s.signal, std::max(s.reference_nits, 0.01)});
    b.push_back({s.signal, std::max(s.display_nits, 0.01)});
    top = std::max({top, s.reference_nits, s.display_nits});
  }
  svg::Axis x{0, 1, false, r.hdr ? "PQ signal" : "signal", {0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1}, 1};
  svg::Axis y{0.01, std::pow(10, std::ceil(std::log10(top))), true, "luminance (cd/m², log)", {}, -1};
  svg::Plot plot(560, 300, x, y);
  plot.axes();
  plot.polyline(a, "curve-a");
  plot.polyline(b, "curve-b");
  for (const auto& p : b) plot.dot(p, 2.6, "dot-measured");
  plot.legend({{"curve-a", "A (reference)"}, {"curve-b", "B (display)"}});
  return plot.finish("Greyscale luminance of both displays");
}

std::string balance_chart(const MatchResult& r) {
  std::vector<std::pair<double, Vec3>> steps;
  for (const auto* s : lit(r)) steps.push_back({s->signal, s->rgb_balance});
  return rgb_balance_chart(steps, "B's channel level (% of A)", "Greyscale RGB balance of B against A");
}

std::string greyscale_table(const MatchResult& r) {
  std::string out =
      R"(<div class="table-wrap"><table><thead><tr><th>signal %</th><th>A cd/m²</th><th>B cd/m²</th>)"
      R"(<th>B − A %</th><th>R %</th><th>G %</th><th>B %</th><th>dE2000</th><th>dE ITP</th></tr></thead><tbody>)";
  for (const auto& s : r.greyscale) {
    int d = s.reference_nits < 1 ? 4 : s.reference_nits < 100 ? 3 : 1;
    out += fmt::format(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="{}">{}</td><td class="{}">{}</td></tr>)",
        num(100 * s.signal, 1), num(s.reference_nits, d), num(s.display_nits, d), num(s.luminance_difference_pct, 1),
        num(s.rgb_balance.x(), 1), num(s.rgb_balance.y(), 1), num(s.rgb_balance.z(), 1),
        r.hdr ? "" : de_grade(r.thresholds, s.de2000, false), num(s.de2000, 2),
        r.hdr ? de_grade(r.thresholds, s.de_itp, true) : "", num(s.de_itp, 2));
  }
  return out + "</tbody></table></div>";
}

std::string patch_table(const MatchResult& r) {
  Vec3 ref = swatch_white(r.lab_white_XYZ, r.hdr);
  std::string out = R"(<div class="table-wrap"><table><thead><tr><th>#</th><th class="l">group</th>)"
                    R"(<th>signal R G B (%)</th><th class="l">A | B</th><th>A x y Y</th><th>B x y Y</th>)"
                    R"(<th>dE2000</th><th>dE ITP</th><th class="l">not counted</th></tr></thead><tbody>)";
  for (std::size_t i = 0; i < r.patches.size(); ++i) {
    const auto& p = r.patches[i];
    out += fmt::format(R"(<tr><td>{}</td><td class="l"><span class="group-tag">{}</span></td><td>{}</td>)"
                       R"(<td class="l">{}</td><td>{}</td><td>{}</td><td class="{}">{}</td><td class="{}">{}</td>)"
                       R"(<td class="l">{}</td></tr>)",
                       i + 1, escape(p.group), signal_text(p.signal),
                       swatch_pair("A | B", p.reference_XYZ, p.display_XYZ, ref), xyY_text(p.reference_XYZ),
                       xyY_text(p.display_XYZ), r.hdr ? "" : de_grade(r.thresholds, p.de2000, false), num(p.de2000, 2),
                       r.hdr ? de_grade(r.thresholds, p.de_itp, true) : "", num(p.de_itp, 2), escape(p.not_shown));
  }
  return out + "</tbody></table></div>";
}

std::string display_name(const VerificationInfo& i, const std::string& file, const char* fallback) {
  if (!i.display.empty()) return i.display;
  return file.empty() ? fallback : file;
}

}  // namespace

std::string render_match_html(const MatchResult& r) {
  std::string a = display_name(r.reference, r.reference_file, "reference");
  std::string b = display_name(r.display, r.display_file, "display");
  std::string html = html_head("Display match · " + b + " against " + a, kMatchCss);
  html += page_header("calkit display match", escape(b) + " against " + escape(a),
                      fmt::format("B against A (reference) · {} patches · {}", r.patches.size(),
                                  r.hdr ? "dE ITP (ITU-R BT.2124)" : "dE2000 (CIE 142-2001)"),
                      r.verdict.pass);
  html += fmt::format(R"(<p class="verdict {}">{}</p>)", pass_class(r.verdict.pass), escape(r.verdict.line));
  if (r.probes_differ)
    html +=
        R"(<p class="warn-box"><b>Different probes or corrections.</b> The runs were not read with the same )"
        R"(instrument setup, so part of any difference may be the probes': each run's probe and correction are below.</p>)";
  for (const auto& note : r.notes) html += fmt::format(R"(<p class="note">{}</p>)", escape(note));
  if (!r.advice.empty()) {
    html += R"(<section class="card"><h2>What differs and what to do</h2><ul class="advice">)";
    for (const auto& line : r.advice) html += "<li>" + escape(line) + "</li>";
    html += "</ul></section>";
  }

  html += R"(<div class="runs keep" style="--n:2">)";
  html += fmt::format(
      R"(<section class="card"><div class="run-head"><span class="run-label">A · reference</span></div>{}</section>)",
      meta(r.reference, r.reference_file));
  html += fmt::format(
      R"(<section class="card"><div class="run-head"><span class="run-label">B · display</span></div>{}</section>)",
      meta(r.display, r.display_file));
  html += "</div>";

  html += "<h2>Summary</h2>" + summary(r);

  html += R"(<h2 class="page">Chromaticity and greyscale</h2><div class="charts">)";
  html += figure(uv_chart(r),
                 "CIE 1976 u′v′. Spectral locus: CIE 1931 2° observer. ● A, ■ B, each in its screen "
                 "colour, joined per patch.");
  html += figure(luminance_chart(r), "Luminance of every grey step on A (dashed) and B.");
  html += figure(balance_chart(r),
                 "RGB balance: each channel of B's grey in the reference target's linear RGB, "
                 "chromaticity only, as % of A's grey.");
  html += "</div>";
  html += R"(<div class="card" style="margin-top:16px">)" + greyscale_table(r) + "</div>";

  html += R"(<h2 class="page">Patches</h2><div class="card">)" + patch_table(r) +
          "<p class=\"note\">Swatches A | B are both measured colours converted to sRGB for this screen (relative to "
          "the reference target white" +
          std::string(r.hdr ? ", HDR at 203 cd/m² = sRGB white (BT.2408), clipped" : "") +
          "): a guide for the eye, not a reference. Judge the numbers.</p></div>";
  html +=
      page_end(fmt::format("Generated by calkit {}. dE2000: CIE 142-2001 on CIELAB relative to the reference "
                           "run's target white ({} cd/m²); dE ITP: ITU-R BT.2124 on absolute ICtCp; CCT: Ohno 2013. "
                           "All luminances in cd/m².",
                           escape(CALKIT_VERSION), num(r.lab_white_XYZ.y(), 1)));
  return html;
}

void write_match_html(const std::filesystem::path& path, const MatchResult& result) {
  write_file_atomically(path, render_match_html(result));
}

}  // namespace calkit
