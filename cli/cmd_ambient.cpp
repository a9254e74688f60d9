// `calkit ambient`: the room light seen through the probe's ambient diffuser (illuminance, CCT,
// Duv), judged against the viewing environments review rooms follow.
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "color/cct.hpp"
#include "color/colorimetry.hpp"

namespace calkit::cli {
namespace {

// A uniform Lambertian surround of luminance L lights the diffuser with E = π·L.
// ITU-R BT.2100 reference environment: surround <= 5 cd/m², neutral grey at D65 -> ~16 lux.
// ITU-R BT.2035 (HDTV evaluation): background 10 cd/m² -> ~31 lux.
// Poynton (2013, "Gamma in studio and CE"): HD mastering at about 1 lux, living rooms ~100 lux.
constexpr double kReferenceLux = std::numbers::pi * 5;
constexpr double kReviewLux = std::numbers::pi * 10;
// Neutral: within 0.005 Δu'v' of D65 (calkit's choice: about the size of a visible white-point
// shift on a grey surround).
constexpr double kNeutralDuv = 0.005;

}  // namespace

void print_ambient(AmbientArgs args) {
  args.rig.needs_pattern = false;
  if (args.rig.probe.rfind("emulated:", 0) == 0) {
    // The emulated user swings the diffuser over the sensor; the display only hosts the emulator.
    if (args.rig.probe.find("diffuser=") == std::string::npos) args.rig.probe += ",diffuser=ambient";
    if (args.rig.display.empty()) args.rig.display = "sim:reference";
  }
  Rig rig = build_rig(args.rig);
  AmbientReading a = rig.probe->read_ambient();
  // A monochrome sensor (SpyderX) gives lux only: the light's colour is then not judged.
  CctDuv cct{std::nan(""), std::nan("")};
  double delta_uv = std::nan("");
  if (a.has_chromaticity) {
    cct = cct_ohno2013(a.xy);
    Uv uv = uv_prime_from_xy(a.xy), d65 = uv_prime_from_xy(kD65);
    delta_uv = std::hypot(uv.u - d65.u, uv.v - d65.v);
  }
  const bool neutral = !a.has_chromaticity || delta_uv <= kNeutralDuv;
  const char* level = a.lux <= kReferenceLux ? "reference" : a.lux <= kReviewLux ? "review" : "bright";
  const bool ok = neutral && a.lux <= kReviewLux;
  std::string advice;
  if (a.lux > kReviewLux)
    advice += fmt::format("dim the room to <= {:.0f} lux (BT.2035 review) or <= {:.0f} lux (BT.2100 reference). ",
                          kReviewLux, kReferenceLux);
  if (!neutral)
    advice += fmt::format("the light is {:.0f} K, Duv {:+.4f}: use D65 bias lighting (within {} of D65 in u'v'). ",
                          cct.cct, cct.duv, kNeutralDuv);
  if (a.lux < 0.5) advice += "very dark: BT.2100 asks for a 5 cd/m² neutral surround (D65 bias light). ";
  if (args.json) {
    auto number = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
    nlohmann::json xy = a.has_chromaticity ? nlohmann::json{a.xy.x, a.xy.y} : nlohmann::json(nullptr);
    nlohmann::json j{
        {"lux", a.lux},
        {"xy", xy},
        {"cct_k", number(cct.cct)},
        {"duv", number(cct.duv)},
        {"delta_uv_d65", number(delta_uv)},
        {"level", level},
        {"neutral", neutral},
        {"verdict", ok ? "pass" : "fail"},
        {"advice", advice},
        {"probe", rig.probe->identity().model},
        {"limits", {{"reference_lux", kReferenceLux}, {"review_lux", kReviewLux}, {"neutral_delta_uv", kNeutralDuv}}}};
    std::puts(j.dump(2).c_str());
    return;
  }
  std::printf("illuminance  %.2f lux\n", a.lux);
  if (a.has_chromaticity) {
    std::printf("xy           %.4f %.4f\n", a.xy.x, a.xy.y);
    std::printf("CCT          %.0f K  Duv %+.4f  (Δu'v' from D65 %.4f)\n", cct.cct, cct.duv, delta_uv);
  } else {
    std::printf("colour       not measured (%s has a monochrome ambient sensor)\n",
                rig.probe->identity().model.c_str());
  }
  std::printf("level        %s (reference <= %.0f lux, review <= %.0f lux)\n", level, kReferenceLux, kReviewLux);
  std::printf("verdict      %s%s\n",
              ok ? "PASS: fit for colour review" : "FAIL: ", ok ? "" : "not a review-room environment");
  if (!advice.empty()) std::printf("advice       %s\n", advice.c_str());
}

void add_ambient(CLI::App& app) {
  auto args = std::make_shared<AmbientArgs>();
  args->rig.probe = "i1d3";
  auto* cmd = app.add_subcommand(
      "ambient",
      "Measure the room light with the probe's ambient diffuser: lux, CCT, Duv, and a verdict against\n"
      "review-room guidance (ITU-R BT.2100 surround <= 5 cd/m² at D65, BT.2035 background 10 cd/m²).\n"
      "Example: calkit ambient --probe emulated:i1d3,lux=12,kelvin=5600 --json");
  cmd->add_option("--probe", args->rig.probe, "i1d3, emulated:i1d3[,lux=L,kelvin=K] or sim")->capture_default_str();
  cmd->add_option("--display", args->rig.display, "simulated display hosting an emulated probe (sim:NAME)");
  add_trace_option(cmd, args->rig);
  cmd->add_flag("--json", args->json, "print a JSON object");
  cmd->callback([args] { print_ambient(*args); });
}

}  // namespace calkit::cli
