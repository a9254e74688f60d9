// The single-effect virtual displays (single_effect_displays.hpp). Ranges: a tone curve's toe
// and shoulder as sim/builtin_displays.cpp and reviews of LCDs and projectors show them (0 to
// 0.1, ±0.15); black from an OLED's 0.002 cd/m² to a poor LCD's 0.3; a white sub-pixel from a
// DLP wheel's white segment (~15 %) to a WOLED's share of white (~35-45 %); crosstalk of 1-3 %
// per neighbour (IPS and VA panels); supply sag of 0.5-3 % at full load; ABL that starts below a
// 10 % window (an APL of 0.02-0.09), from a gentle one to a power cap (gain ∝ 1/APL: a full
// field at a tenth of the peak); PQ tracking errors of ±4-8 % and roll-offs from 400-600 cd/m².
#include "sim/single_effect_displays.hpp"

#include <fmt/core.h>

namespace calkit {

namespace {

Mat3 crosstalk(double share) {
  Mat3 m = Mat3::Constant(share);
  m.diagonal().setConstant(1 - 2 * share);
  return m;
}

}  // namespace

DisplayModel clean_display_model(bool hdr) {
  DisplayModel m;
  m.name = hdr ? "clean-hdr" : "clean-sdr";
  m.description = hdr ? "clean PQ panel: exact ST 2084 decode, 1000 cd/m2, hard clip"
                      : "clean additive panel: gamma 2.2, 200 cd/m2, 0.05 cd/m2 black";
  m.technology = "reference";
  m.red = {0.6790, 0.3200};
  m.green = {0.2650, 0.6900};
  m.blue = {0.1500, 0.0600};
  m.white = kD65;
  m.black_xy = kD65;
  m.settle = {0.02, 0.02};
  if (hdr) {
    m.eotf = PanelEotf::Pq;
    m.peak_nits = 1000;
    m.black_nits = 0.002;
    m.tone = {ToneCurve::power(1), ToneCurve::power(1), ToneCurve::power(1)};
  } else {
    m.peak_nits = 200;
    m.black_nits = 0.05;
    m.tone = {ToneCurve::power(2.2), ToneCurve::power(2.2), ToneCurve::power(2.2)};
  }
  return m;
}

std::vector<SingleEffectDisplay> single_effect_displays() {
  std::vector<SingleEffectDisplay> out;
  auto add = [&](const std::string& effect, const std::string& level, bool hdr, auto change) {
    DisplayModel m = clean_display_model(hdr);
    change(m);
    m.name += ": " + effect + ", " + level;
    out.push_back({effect, level, m});
  };
  add("none", "clean SDR panel", false, [](DisplayModel&) {});
  add("none", "clean PQ panel", true, [](DisplayModel&) {});
  for (double toe : {0.02, 0.05, 0.1})
    add("shadow tone", fmt::format("toe {:g}", toe), false, [=](DisplayModel& m) {
      for (ToneCurve& t : m.tone) t.toe = toe;
    });
  for (double nits : {0.002, 0.3})
    add("black level", fmt::format("black {:g} cd/m2", nits), false, [=](DisplayModel& m) { m.black_nits = nits; });
  add("black level", "bluish black xy 0.265 0.255", false, [](DisplayModel& m) { m.black_xy = {0.265, 0.255}; });
  for (double shoulder : {-0.15, 0.15})
    add("tone shape", fmt::format("shoulder {:g}", shoulder), false, [=](DisplayModel& m) {
      for (ToneCurve& t : m.tone) t.shoulder = shoulder;
    });
  add("tone shape", "gammas 2.1 2.2 2.35", false, [](DisplayModel& m) {
    m.tone = {ToneCurve::power(2.1), ToneCurve::power(2.2), ToneCurve::power(2.35)};
  });
  for (double share : {0.15, 0.35, 0.45})
    add("white sub-pixel", fmt::format("share {:g}", share), false,
        [=](DisplayModel& m) { m.white_subpixel_fraction = share; });
  add("white sub-pixel", "share 0.35, xy 0.305 0.330", false, [](DisplayModel& m) {
    m.white_subpixel_fraction = 0.35;
    m.white_subpixel_xy = {0.305, 0.330};
  });
  for (double share : {0.01, 0.03})
    add("crosstalk", fmt::format("{:g} per neighbour", share), false,
        [=](DisplayModel& m) { m.crosstalk = crosstalk(share); });
  for (double sag : {0.005, 0.015, 0.03})
    add("power sag", fmt::format("sag {:g}", sag), false, [=](DisplayModel& m) { m.power_sag = sag; });
  add("frame load", "ABL knee 0.08, full field 60 cd/m2", false, [](DisplayModel& m) { m.abl = {0.08, 60}; });
  add("frame load", "ABL knee 0.05, full field 100 cd/m2", false, [](DisplayModel& m) { m.abl = {0.05, 100}; });
  add("frame load", "ABL knee 0.02, full field 40 cd/m2", false, [](DisplayModel& m) { m.abl = {0.02, 40}; });
  add("frame load", "ABL knee 0.09, full field 20 cd/m2 (power cap)", false, [](DisplayModel& m) {
    m.abl = {0.09, 20};
  });
  add("frame load", "black bloom 0.5 cd/m2", false, [](DisplayModel& m) { m.black_bloom_nits = 0.5; });
  add("tracking error", "PQ +-4 %", true, [](DisplayModel& m) {
    m.hdr.tracking_error = {{0.0, 0.0}, {0.2, 0.04}, {0.4, -0.03}, {0.6, 0.02}, {0.75, 0.0}};
  });
  add("tracking error", "PQ +-8 %", true, [](DisplayModel& m) {
    m.hdr.tracking_error = {{0.0, 0.0}, {0.15, 0.08}, {0.35, -0.06}, {0.5, 0.05}, {0.75, 0.0}};
  });
  add("roll-off", "knee 600, clip 1500 cd/m2", true, [](DisplayModel& m) {
    m.hdr.rolloff_start_nits = 600;
    m.hdr.clip_nits = 1500;
  });
  add("roll-off", "knee 400, clip 4000 cd/m2", true, [](DisplayModel& m) {
    m.hdr.rolloff_start_nits = 400;
    m.hdr.clip_nits = 4000;
  });
  return out;
}

}  // namespace calkit
