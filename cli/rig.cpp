#include "cli/rig.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/fnv.hpp"
#include "core/text.hpp"
#include "emulators/emulated_patterns.hpp"
#include "emulators/emulated_probes.hpp"
#include "emulators/sim_probe.hpp"
#include "patterns/pattern_backends.hpp"
#include "probes/corrections.hpp"
#include "probes/probe_table.hpp"
#include "sim/display_model.hpp"

namespace calkit::cli {
namespace {

std::unique_ptr<VirtualDisplay> simulated_display(const RigSpec& spec, const std::string& probe, Clock& clock) {
  if (spec.display.empty())
    throw ValueError("--display", probe + " reads a simulated display: add --display sim:NAME or a model .json");
  return std::make_unique<VirtualDisplay>(load_display_model(spec.display), clock);
}

std::unique_ptr<PatternGenerator> open_real_pattern(const std::string& spec) {
  if (spec.empty() || spec == "virtual")
    throw ValueError("--pattern", "a real probe needs a pattern generator: " + pattern_usage());
  const PatternBackend* backend = find_pattern_backend(spec);
  if (!backend)
    throw ValueError("--pattern", fmt::format("unknown pattern generator '{}' ({})", spec, pattern_usage()));
  return backend->open(spec);
}

std::string usage() {
  std::vector<std::string> emulated;
  for (const EmulatedProbeKind& kind : emulated_probe_table()) emulated.push_back("emulated:" + kind.name);
  return fmt::format("sim, {}, {} or replay:TRACE; built-in displays: {}", fmt::join(probe_names(), ", "),
                     fmt::join(emulated, ", "), fmt::join(builtin_display_names(), ", "));
}

// The trace a --trace FILE asks for, on the wire of the probe kind.
std::shared_ptr<TraceWriter> trace_writer(const RigSpec& spec, const ProbeSpec& probe, Clock& clock) {
  if (spec.trace.empty()) return nullptr;
  return std::make_shared<TraceWriter>(spec.trace, find_probe_kind(probe.name)->transport, clock);
}

}  // namespace

Rig build_rig(const RigSpec& requested) {
  RigSpec spec = requested;
  // `--pattern sim:NAME` names the virtual display the patches go to: the same chain as
  // `--display sim:NAME --pattern virtual`.
  if (spec.pattern.rfind("sim:", 0) == 0) {
    if (!spec.display.empty() && spec.display != spec.pattern)
      throw ValueError("--pattern", fmt::format("{} and --display {} name two displays", spec.pattern, spec.display));
    spec.display = spec.pattern;
    spec.pattern = "virtual";
  }
  Rig rig;
  std::string correction = spec.correction;
  if (spec.probe == "sim" || spec.probe.rfind("sim,", 0) == 0) {
    if (spec.probe != "sim") throw ValueError("--probe", "sim takes no options (use --seed)");
    if (!spec.trace.empty()) throw ValueError("--trace", "the simulated probe has no wire to trace");
    rig.simulated = true;
    rig.clock = std::make_unique<SimulatedClock>(0, spec.sim_speed);
    rig.display = simulated_display(spec, "the simulated probe", *rig.clock);
    SimProbeOptions options;
    options.seed = spec.seed;
    rig.probe = std::make_unique<SimProbe>(*rig.display, options);
  } else if (spec.probe.rfind("replay:", 0) == 0) {
    if (!spec.trace.empty()) throw ValueError("--trace", "a replay plays a trace; it records none");
    if (!spec.display.empty())
      throw ValueError("--display", "a replay reads what the trace recorded: --display is for sim and emulated:NAME");
    rig.clock = std::make_unique<SimulatedClock>();  // the trace's times, without waiting for them
    rig.probe = open_replayed_probe(spec.probe.substr(7), *rig.clock);
  } else {
    ProbeSpec probe = parse_probe_spec(spec.probe);
    if (correction.empty()) correction = probe.correction;
    rig.simulated = probe.emulated;
    if (probe.emulated) {
      rig.clock = std::make_unique<SimulatedClock>(0, spec.sim_speed);
      rig.display = simulated_display(spec, "emulated:" + probe.name, *rig.clock);
      rig.probe = open_emulated_probe(probe, *rig.display, trace_writer(spec, probe, *rig.clock));
    } else {
      if (!spec.display.empty())
        throw ValueError("--display", "a real probe reads a real screen: --display is for sim and emulated:NAME");
      rig.clock = std::make_unique<SystemClock>();
      rig.probe = open_real_probe(probe, *rig.clock, trace_writer(spec, probe, *rig.clock));
    }
  }
  rig.probe->open();
  if (!correction.empty()) rig.probe = apply_correction_file(std::move(rig.probe), correction);
  rig.correction = correction;
  if (spec.needs_pattern) rig.pattern = open_pattern(spec.pattern, rig.display.get());
  rig.description = fmt::format("{} on {} via {}", rig.probe->identity().model,
                                rig.display ? rig.display->model().name : "the screen",
                                rig.pattern ? rig.pattern->name() : "no pattern generator");
  return rig;
}

std::map<std::string, std::string> rig_binding(const RigSpec& spec, const Rig& rig) {
  // A file is bound by its bytes too: an edited model or correction changes the readings.
  auto with_content = [](const std::string& path) { return path + " (" + fnv1a64_hex(read_file_bytes(path)) + ")"; };
  const ProbeIdentity id = rig.probe->identity();
  std::map<std::string, std::string> out{
      {"probe", printable(id.serial.empty() ? id.model : id.model + " #" + id.serial)},
      {"pattern", spec.pattern.empty() ? "virtual" : spec.pattern}};
  if (!spec.display.empty())
    out["display"] = spec.display.rfind("sim:", 0) == 0 ? spec.display : with_content(spec.display);
  if (!rig.correction.empty()) out["correction"] = with_content(rig.correction);
  if (rig.simulated) out["seed"] = std::to_string(spec.seed);
  return out;
}

std::string pattern_usage() {
  std::vector<std::string> usages;
  for (const PatternBackend& b : pattern_backend_table()) usages.push_back(b.usage);
  for (const EmulatedPatternBackend& b : emulated_pattern_table())
    usages.push_back(b.usage + " with a simulated display");
  return fmt::format("{}", fmt::join(usages, "; "));
}

std::unique_ptr<PatternGenerator> open_pattern(const std::string& spec, VirtualDisplay* display) {
  return display ? open_emulated_pattern(spec, *display) : open_real_pattern(spec);
}

void add_rig_options(CLI::App* cmd, RigSpec& rig) {
  cmd->add_option("--probe", rig.probe, "probe: " + usage())->capture_default_str();
  cmd->add_option("--display", rig.display, "simulated display: sim:NAME or a display-model .json");
  cmd->add_option("--pattern", rig.pattern, "pattern generator: sim:NAME (a simulated display), " + pattern_usage());
  cmd->add_option("--correction", rig.correction, "probe correction: .ccmx, or .ccss for an i1d3");
  cmd->add_option("--seed", rig.seed, "seed of the simulated probe's noise")->capture_default_str();
  cmd->add_option("--sim-speed", rig.sim_speed,
                  "simulated probe and display: run at this many times real time (settling, integration), "
                  "e.g. 50 to follow a run; 0: as fast as the computer goes")
      ->check(CLI::NonNegativeNumber);
  add_trace_option(cmd, rig);
}

void add_trace_option(CLI::App* cmd, RigSpec& rig) {
  cmd->add_option("--trace", rig.trace,
                  "write every transaction with the probe to this file (docs/probes.md); replay it with "
                  "--probe replay:FILE");
}

}  // namespace calkit::cli
