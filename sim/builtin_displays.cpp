// The built-in virtual displays. Figures are typical of published reviews of each technology
// (primaries, peak and full-field luminance, black level), not of any one product. They are meant
// to be diverse and plausible, so that a solver which works on all of them works on real panels.
#include <algorithm>

#include "core/error.hpp"
#include "sim/display_model.hpp"

namespace calkit {

namespace {

Mat3 rows(std::initializer_list<double> v) {
  Mat3 m;
  auto it = v.begin();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) m(r, c) = *it++;
  return m;
}

// A dual-layer-LCD-class reference monitor: native P3 gamut, BT.1886-like native response,
// defects at the limit of what a good probe resolves.
DisplayModel reference() {
  DisplayModel m;
  m.name = "sim:reference";
  m.description = "near-ideal reference monitor, native P3-D65, 250 cd/m2, tiny defects";
  m.technology = "reference";
  m.red = {0.6790, 0.3200};
  m.green = {0.2655, 0.6895};
  m.blue = {0.1502, 0.0601};
  m.white = {0.3129, 0.3292};
  m.peak_nits = 250;
  m.black_nits = 0.002;
  m.black_xy = {0.3100, 0.3250};
  m.tone = {ToneCurve::power(2.40, 0.0, 0.0), ToneCurve::power(2.405, 0.0, 0.005),
            ToneCurve::power(2.395, 0.0, -0.005)};
  m.crosstalk = rows({0.999, 0.001, 0.0, 0.0005, 0.999, 0.0005, 0.0, 0.001, 0.999});
  m.power_sag = 0.002;
  m.settle = {0.03, 0.05};
  m.panel_bits = 12;
  m.probe_mismatch = rows({1.004, -0.003, 0.001, 0.001, 0.998, 0.001, 0.0, 0.002, 0.996});
  // Uniformity compensation keeps the corner zones of a 3x3 grid within ~2 %.
  m.uniformity.corner_falloff = 0.045;
  m.uniformity.corner_tint_xy = {0.0004, 0.0005};
  return m;
}

// A white-LED IPS office monitor: near-sRGB but off-standard primaries, cool white, bluish IPS
// glow, tone curves that are not power laws, channel crosstalk and supply sag.
DisplayModel ips_lcd() {
  DisplayModel m;
  m.name = "sim:ips-lcd";
  m.description = "sRGB-ish white-LED IPS LCD, 320 cd/m2, 0.15 cd/m2 bluish black, crosstalk";
  m.technology = "lcd-white-led";
  m.red = {0.6450, 0.3350};
  m.green = {0.3050, 0.6150};
  m.blue = {0.1520, 0.0580};
  m.white = {0.3070, 0.3230};
  m.peak_nits = 320;
  m.black_nits = 0.15;
  m.black_xy = {0.2650, 0.2550};
  m.tone = {ToneCurve::power(2.15, 0.030, 0.10), ToneCurve::power(2.25, 0.020, 0.05),
            ToneCurve::power(2.05, 0.050, -0.05)};
  m.crosstalk = rows({0.985, 0.012, 0.003, 0.010, 0.980, 0.010, 0.002, 0.015, 0.983});
  m.power_sag = 0.012;
  m.settle = {0.06, 0.15};  // LCD dark transitions are the slow ones
  m.panel_bits = 10;        // 8-bit + FRC
  m.probe_mismatch = rows({1.012, -0.008, 0.004, 0.003, 0.995, 0.002, -0.002, 0.006, 0.985});
  // Edge-lit IPS: corner zones of a 3x3 grid ~12 % darker than the centre (r = 2/3 there, so
  // 4/9 of the screen-corner loss), warmer towards the right edge, cooler to the left.
  m.uniformity.corner_falloff = 0.28;
  m.uniformity.corner_tint_xy = {0.0015, 0.0025};
  m.uniformity.horizontal_tint_xy = {0.0030, 0.0020};
  return m;
}

// A WOLED TV in its HDR mode: PQ input, a white sub-pixel that adds light to every mix of all
// three channels, near-zero black, strong ABL (650 cd/m² on a 10% window, 150 full field) and the
// TV's own tone-mapping roll-off towards a 1000 cd/m² content clip.
DisplayModel woled_tv() {
  DisplayModel m;
  m.name = "sim:woled-tv";
  m.description = "WOLED TV, HDR mode: PQ input, white sub-pixel, 650 cd/m2 10% / 150 full field";
  m.technology = "woled";
  m.eotf = PanelEotf::Pq;
  m.red = {0.6740, 0.3220};
  m.green = {0.2810, 0.6640};
  m.blue = {0.1390, 0.0530};
  m.white = {0.3125, 0.3285};
  m.peak_nits = 650;
  m.black_nits = 0.0005;
  m.black_xy = {0.3000, 0.3150};
  m.tone = {ToneCurve::power(1.0), ToneCurve::power(1.01), ToneCurve::power(0.99)};
  m.white_subpixel_fraction = 0.35;
  m.white_subpixel_xy = {0.3050, 0.3300};
  m.hdr.rolloff_start_nits = 420;
  m.hdr.clip_nits = 1000;
  m.hdr.tracking_error = {{0.0, 0.0}, {0.15, 0.06}, {0.35, 0.03}, {0.5, -0.02}, {0.62, 0.01}};
  m.abl = {0.10, 150};
  m.settle = {0.02, 0.02};
  m.panel_bits = 10;
  m.probe_mismatch = rows({1.021, -0.015, 0.006, 0.006, 0.991, 0.004, -0.004, 0.010, 0.972});
  // Self-emissive: ~3 % in the corner zones, a faint vertical tint (panel banding).
  m.uniformity.corner_falloff = 0.07;
  m.uniformity.vertical_tint_xy = {0.0008, 0.0012};
  return m;
}

// A QD-OLED HDR monitor/TV: wide gamut beyond P3, PQ tracking error, roll-off and clip near
// 1000 cd/m², ABL on bright full fields.
DisplayModel qdoled_hdr() {
  DisplayModel m;
  m.name = "sim:qdoled-hdr";
  m.description = "QD-OLED, HDR: gamut beyond P3, 1000 cd/m2 peak with roll-off, 250 full field";
  m.technology = "qd-oled";
  m.eotf = PanelEotf::Pq;
  m.red = {0.6880, 0.3110};
  m.green = {0.2320, 0.7110};
  m.blue = {0.1480, 0.0520};
  m.white = {0.3115, 0.3300};
  m.peak_nits = 1000;
  m.black_nits = 0.0003;
  m.black_xy = {0.3100, 0.3200};
  m.tone = {ToneCurve::power(1.02), ToneCurve::power(1.0), ToneCurve::power(0.97)};
  m.crosstalk = rows({0.997, 0.003, 0.0, 0.002, 0.996, 0.002, 0.0, 0.004, 0.996});
  m.power_sag = 0.004;
  m.hdr.rolloff_start_nits = 700;
  m.hdr.clip_nits = 1500;
  m.hdr.tracking_error = {{0.0, 0.0}, {0.10, 0.08}, {0.25, 0.04}, {0.45, -0.03}, {0.6, 0.02}, {0.7, 0.0}};
  m.abl = {0.20, 250};
  m.settle = {0.02, 0.02};
  m.panel_bits = 10;
  m.probe_mismatch = rows({1.030, -0.022, 0.009, 0.010, 0.985, 0.006, -0.006, 0.015, 0.960});
  m.uniformity.corner_falloff = 0.06;
  m.uniformity.corner_tint_xy = {-0.0010, -0.0012};
  return m;
}

// A mini-LED LCD with local dimming: bright (1500 cd/m²), QD gamut, LCD crosstalk, and a black
// that blooms up with the picture level.
DisplayModel miniled_hdr() {
  DisplayModel m;
  m.name = "sim:miniled-hdr";
  m.description = "mini-LED LCD, HDR: 1500 cd/m2, 600 full field, local-dimming black bloom";
  m.technology = "miniled";
  m.eotf = PanelEotf::Pq;
  m.red = {0.6820, 0.3110};
  m.green = {0.2620, 0.6900};
  m.blue = {0.1510, 0.0510};
  m.white = {0.3140, 0.3270};
  m.peak_nits = 1500;
  m.black_nits = 0.02;
  m.black_xy = {0.2800, 0.2850};
  m.black_bloom_nits = 0.4;
  m.tone = {ToneCurve::power(1.03, 0.0, 0.02), ToneCurve::power(1.0), ToneCurve::power(0.98, 0.0, -0.02)};
  m.crosstalk = rows({0.990, 0.008, 0.002, 0.006, 0.986, 0.008, 0.001, 0.010, 0.989});
  m.power_sag = 0.006;
  m.hdr.rolloff_start_nits = 1000;
  m.hdr.clip_nits = 2000;
  m.hdr.tracking_error = {{0.0, 0.0}, {0.2, -0.05}, {0.4, 0.03}, {0.6, 0.0}};
  m.abl = {0.30, 600};
  m.settle = {0.05, 0.12};
  m.panel_bits = 10;
  m.probe_mismatch = rows({1.015, -0.010, 0.005, 0.004, 0.993, 0.003, -0.003, 0.008, 0.978});
  // Full-array backlight: no edge bleed, but ~5 % darker corner zones and a slight cast.
  m.uniformity.corner_falloff = 0.11;
  m.uniformity.horizontal_tint_xy = {0.0010, 0.0006};
  return m;
}

// A single-chip DLP home-cinema projector on a screen: low peak, poor black with the lamp's
// colour, a white colour-wheel segment (additivity failure), slow iris/wheel settling.
DisplayModel projector() {
  DisplayModel m;
  m.name = "sim:projector";
  m.description = "DLP projector on a screen: 80 cd/m2, 0.08 cd/m2 black, white segment, slow settle";
  m.technology = "dlp";
  m.red = {0.6550, 0.3350};
  m.green = {0.3000, 0.6300};
  m.blue = {0.1500, 0.0600};
  m.white = {0.3095, 0.3390};
  m.peak_nits = 80;
  m.black_nits = 0.08;
  m.black_xy = {0.3150, 0.3450};
  m.tone = {ToneCurve::power(2.30, 0.040, 0.15), ToneCurve::power(2.35, 0.040, 0.12),
            ToneCurve::power(2.25, 0.050, 0.18)};
  m.crosstalk = rows({0.995, 0.004, 0.001, 0.003, 0.994, 0.003, 0.001, 0.004, 0.995});
  m.white_subpixel_fraction = 0.15;
  m.white_subpixel_xy = {0.3200, 0.3500};
  m.power_sag = 0.005;
  m.settle = {0.25, 0.25};
  m.panel_bits = 10;
  m.probe_mismatch = rows({1.008, -0.006, 0.003, 0.002, 0.997, 0.001, -0.001, 0.005, 0.990});
  // Lens and screen-gain hot spot: corner zones ~20 % below the centre, yellower at the edges.
  m.uniformity.corner_falloff = 0.45;
  m.uniformity.corner_tint_xy = {0.0030, 0.0035};
  return m;
}

using Factory = DisplayModel (*)();
struct Builtin {
  const char* name;
  Factory make;
};
constexpr Builtin kBuiltins[] = {
    {"sim:reference", reference},   {"sim:ips-lcd", ips_lcd},         {"sim:woled-tv", woled_tv},
    {"sim:qdoled-hdr", qdoled_hdr}, {"sim:miniled-hdr", miniled_hdr}, {"sim:projector", projector},
};

}  // namespace

std::vector<std::string> builtin_display_names() {
  std::vector<std::string> names;
  for (const Builtin& b : kBuiltins) names.emplace_back(b.name);
  return names;
}

DisplayModel builtin_display_model(const std::string& name) {
  for (const Builtin& b : kBuiltins)
    if (name == b.name) return b.make();
  std::string known;
  for (const Builtin& b : kBuiltins) known += std::string(known.empty() ? "" : ", ") + b.name;
  throw ValueError("display", "unknown virtual display \"" + name + "\" (known: " + known + ")");
}

}  // namespace calkit
