#include "measure/rig.hpp"

#include <fmt/format.h>

#include "color/input_error.hpp"
#include "patterns/network_patterns.hpp"
#include "patterns/virtual_pattern_generator.hpp"
#include "patterns/window_pattern_generator.hpp"
#include "probes/corrections.hpp"
#include "probes/device_probes.hpp"
#include "probes/sim_probe.hpp"
#include "sim/display_model.hpp"

namespace calkit {
namespace {

Rig simulated_rig(const RigSpec& spec) {
  if (spec.display.empty())
    throw InputError("", 0, "--display", "the simulated probe needs --display sim:NAME or a model .json");
  if (!spec.pattern.empty() && spec.pattern != "virtual" && spec.pattern != "none" &&
      !is_network_pattern(spec.pattern))
    throw InputError("", 0, "--pattern",
                     fmt::format("'{}' cannot drive a simulated display (use virtual, resolve or pgenerator:emulate)", spec.pattern));
  Rig rig;
  rig.simulated = true;
  rig.clock = std::make_unique<SimulatedClock>();
  rig.display = std::make_unique<VirtualDisplay>(load_display_model(spec.display), *rig.clock);
  SimProbeOptions options;
  options.seed = spec.seed;
  rig.probe = std::make_unique<SimProbe>(*rig.display, options);
  // resolve / pgenerator:emulate: the real protocol code against an in-process emulator.
  if (is_network_pattern(spec.pattern)) rig.pattern = open_network_pattern(spec.pattern, rig.display.get());
  else if (spec.pattern != "none") rig.pattern = std::make_unique<VirtualPatternGenerator>(*rig.display);
  rig.probe->open();
  if (!spec.correction.empty()) rig.probe = apply_correction_file(std::move(rig.probe), spec.correction);
  rig.description = fmt::format("{} on {} via {}", rig.probe->identity().model, rig.display->model().name,
                                rig.pattern ? rig.pattern->name() : "no pattern generator");
  return rig;
}

// USB probes, real (system clock) or emulated at their transport on a virtual display.
Rig device_rig(const RigSpec& spec) {
  DeviceProbeSpec probe = parse_device_probe_spec(spec.probe);
  Rig rig;
  rig.simulated = is_emulated_probe(probe.name);
  if (rig.simulated) {
    if (spec.display.empty())
      throw InputError("", 0, "--display", probe.name + " reads a virtual display: add --display sim:NAME");
    rig.clock = std::make_unique<SimulatedClock>();
    rig.display = std::make_unique<VirtualDisplay>(load_display_model(spec.display), *rig.clock);
  } else {
    rig.clock = std::make_unique<SystemClock>();
  }
  rig.probe = make_device_probe(probe, *rig.clock, rig.display.get());
  rig.probe->open();
  const std::string correction = spec.correction.empty() ? probe.correction : spec.correction;
  if (!correction.empty()) rig.probe = apply_correction_file(std::move(rig.probe), correction);
  if (spec.pattern == "none") {
    // probe only (calkit probe info, calkit ambient)
  } else if (rig.display && (spec.pattern.empty() || spec.pattern == "virtual")) {
    rig.pattern = std::make_unique<VirtualPatternGenerator>(*rig.display);
  } else if (is_network_pattern(spec.pattern)) {
    rig.pattern = open_network_pattern(spec.pattern, rig.display.get());
  } else if (is_window_pattern(spec.pattern)) {
    // The local window drives this computer's screen; an emulated probe reads a virtual display.
    if (rig.display) throw InputError("", 0, "--pattern", "window shows on the screen; an emulated probe needs --pattern virtual");
    rig.pattern = open_window_pattern(spec.pattern);
  } else {
    throw InputError("", 0, "--pattern", fmt::format("a real probe needs a pattern generator ({}, {})",
                                                     window_pattern_usage(), network_pattern_usage()));
  }
  rig.description = fmt::format("{} on {} via {}", rig.probe->identity().model,
                                rig.display ? rig.display->model().name : "the screen",
                                rig.pattern ? rig.pattern->name() : "no pattern generator");
  return rig;
}

}  // namespace

std::string rig_usage() {
  return "--probe sim|emulated:NAME --display sim:NAME|model.json [--pattern virtual|sim:NAME|resolve:emulate|"
         "pgenerator:emulate], or --probe " + fmt::format("{}", fmt::join(device_probe_names(), "|")) + " "
         "--pattern window[:display=N]|resolve|pgenerator:HOST; built-in displays: " +
         fmt::format("{}", fmt::join(builtin_display_names(), ", "));
}

Rig build_rig(const RigSpec& requested) {
  RigSpec spec = requested;
  // `--pattern sim:NAME` names the virtual display the patches go to: the same chain as
  // `--display sim:NAME --pattern virtual`.
  if (spec.pattern.rfind("sim:", 0) == 0) {
    if (!spec.display.empty() && spec.display != spec.pattern)
      throw InputError("", 0, "--pattern", fmt::format("{} and --display {} name two displays", spec.pattern, spec.display));
    spec.display = spec.pattern;
    spec.pattern = "virtual";
  }
  if (spec.probe == "sim") return simulated_rig(spec);
  if (is_device_probe(spec.probe)) return device_rig(spec);
  throw InputError("", 0, "--probe", fmt::format("unknown probe '{}' (available: sim, {})", spec.probe,
                                                 fmt::join(device_probe_names(), ", ")));
}

}  // namespace calkit
