#include "measure/rig.hpp"

#include <fmt/format.h>

#include "color/input_error.hpp"
#include "patterns/network_patterns.hpp"
#include "patterns/virtual_pattern_generator.hpp"
#include "probes/sim_probe.hpp"
#include "sim/display_model.hpp"

namespace calkit {
namespace {

Rig simulated_rig(const RigSpec& spec) {
  if (spec.display.empty())
    throw InputError("", 0, "--display", "the simulated probe needs --display sim:NAME or a model .json");
  if (!spec.pattern.empty() && spec.pattern != "virtual" &&
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
  else rig.pattern = std::make_unique<VirtualPatternGenerator>(*rig.display);
  rig.probe->open();
  rig.description = fmt::format("{} on {} via {}", rig.probe->identity().model, rig.display->model().name,
                                rig.pattern->name());
  return rig;
}

}  // namespace

std::string rig_usage() {
  return "--probe sim --display sim:NAME|model.json [--pattern virtual]; built-in displays: " +
         fmt::format("{}", fmt::join(builtin_display_names(), ", "));
}

Rig build_rig(const RigSpec& spec) {
  if (spec.probe == "sim") return simulated_rig(spec);
  // Real probes run on the system clock; their drivers plug in here.
  throw InputError("", 0, "--probe", fmt::format("unknown probe '{}' (available: sim)", spec.probe));
}

}  // namespace calkit
