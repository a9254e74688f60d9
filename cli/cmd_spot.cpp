// `calkit spot`: shows one colour and prints what the probe reads (XYZ, xyY, u'v', CCT, nits).
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "cli/verify_steps.hpp"
#include "color/cct.hpp"
#include "color/colorimetry.hpp"
#include "color/units.hpp"
#include "core/error.hpp"
#include "measure/options.hpp"
#include "measure/session.hpp"

namespace calkit::cli {
namespace {

struct SpotArgs {
  RigSpec rig;
  std::string rgb = "1,1,1";
  std::string settle = "0.2";
  int bits = 10;
  std::string range = "full";
  double window = 10;
  std::string background = "black";
  bool json = false;
  bool ambient = false;
  bool continuous = false;
  int count = 0;  // continuous: readings to take, 0 = until Ctrl-C
};

// A saturated colour has no CCT (Ohno 2013 is defined near the Planckian locus only): NaN.
CctDuv cct_or_nan(Xy xy) {
  try {
    return cct_ohno2013(xy);
  } catch (const InputError&) {
    return {std::nan(""), std::nan("")};
  }
}

nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

void print_reading(const SpotArgs& args, const Rig& rig, const Vec3& rgb, const Vec3& XYZ) {
  Xy xy = xy_from_XYZ(XYZ);
  Uv uv = uv_prime_from_XYZ(XYZ);
  CctDuv cct = cct_or_nan(xy);
  if (args.json) {
    nlohmann::json j{{"rgb", {rgb.x(), rgb.y(), rgb.z()}},
                     {"XYZ", {XYZ.x(), XYZ.y(), XYZ.z()}},
                     {"xyY", {xy.x, xy.y, XYZ.y()}},
                     {"uv_prime", {uv.u, uv.v}},
                     {"cct_k", number_or_null(cct.cct)},
                     {"duv", number_or_null(cct.duv)},
                     {"nits", XYZ.y()},
                     {"foot_lamberts", foot_lamberts_from_nits(XYZ.y())},
                     {"probe", rig.probe->identity().model},
                     {"display", args.rig.display}};
    // Continuous readings are JSON lines, one object each.
    std::puts(j.dump(args.continuous ? -1 : 2).c_str());
  } else if (args.continuous) {
    std::printf("Y %10.4f cd/m²  x %.4f  y %.4f  CCT %s\n", XYZ.y(), xy.x, xy.y,
                std::isnan(cct.cct) ? "none" : fmt::format("{:.0f} K  Duv {:+.4f}", cct.cct, cct.duv).c_str());
  } else {
    std::printf("RGB    %.4f %.4f %.4f\n", rgb.x(), rgb.y(), rgb.z());
    std::printf("XYZ    %.4f %.4f %.4f cd/m²\n", XYZ.x(), XYZ.y(), XYZ.z());
    std::printf("xyY    %.4f %.4f %.4f\n", xy.x, xy.y, XYZ.y());
    std::printf("u'v'   %.4f %.4f\n", uv.u, uv.v);
    if (std::isnan(cct.cct))
      std::printf("CCT    none (too far from the Planckian locus)\n");
    else
      std::printf("CCT    %.0f K  Duv %+.4f\n", cct.cct, cct.duv);
    std::printf("nits   %.3f cd/m² (%.3f fL)\n", XYZ.y(), foot_lamberts_from_nits(XYZ.y()));
  }
  std::fflush(stdout);
}

void run(const SpotArgs& args) {
  if (args.ambient) {
    print_ambient(AmbientArgs{args.rig, args.json});
    return;
  }
  SessionOptions options;
  options.patch = make_patch_options(args.bits, args.range, args.window, args.background);
  options.settle = parse_settle(args.settle);
  Vec3 rgb = parse_rgb(args.rgb, "--rgb");
  if (args.count < 0) throw ValueError("--count", "must be 0 (until Ctrl-C) or more");

  Rig rig = build_rig(args.rig);
  Session session(*rig.probe, *rig.pattern, *rig.clock, options);
  print_reading(args, rig, rgb, session.measure(rgb).XYZ);
  if (!args.continuous) return;
  // The patch stays up; read again and again (probe placement, warm-up, adjusting a display).
  const std::atomic<bool>* stop = install_stop_flag();
  for (int taken = 1; !stop->load() && (args.count == 0 || taken < args.count); ++taken)
    print_reading(args, rig, rgb, rig.probe->read().XYZ);
}

}  // namespace

void add_spot(CLI::App& app) {
  auto args = std::make_shared<SpotArgs>();
  auto* cmd = app.add_subcommand("spot",
                                 "Show one colour and read it: XYZ, xyY, u'v', CCT/Duv, luminance.\n"
                                 "Example: calkit spot --probe sim --display sim:woled-tv --rgb 0.5,0.5,0.5 --json\n"
                                 "         calkit spot --probe i1d3 --pattern window --rgb 1,1,1 --continuous");
  add_rig_options(cmd, args->rig);
  cmd->add_option("--rgb", args->rgb, "the colour: R,G,B in 0..1")->capture_default_str();
  cmd->add_option("--settle", args->settle, "SECONDS or stable[:SECONDS]")->capture_default_str();
  cmd->add_option("--bits", args->bits, "code value depth: 8, 10 or 12")->capture_default_str();
  cmd->add_option("--range", args->range, "full or legal (video levels)")->capture_default_str();
  cmd->add_option("--window", args->window, "patch area in % of the screen")->capture_default_str();
  cmd->add_option("--background", args->background, "black, grey:LEVEL or apl:LEVEL")->capture_default_str();
  cmd->add_flag("--json", args->json, "print a JSON object (JSON lines with --continuous)");
  cmd->add_flag("--ambient", args->ambient, "read the room light with the ambient diffuser (as `calkit ambient`)");
  cmd->add_flag("--continuous", args->continuous, "keep reading the patch until Ctrl-C, one line per reading");
  cmd->add_option("--count", args->count, "--continuous: stop after N readings (0: until Ctrl-C)")
      ->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
