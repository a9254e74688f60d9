#pragma once
// The measuring chain a command builds from its options: clock, display, probe and pattern
// generator. The one place that joins the production tables (probes/probe_table.hpp,
// patterns/pattern_backends.hpp) with the emulator tables (emulators/), so every command that
// measures accepts the same names and checks them the same way.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/clock.hpp"
#include "patterns/pattern_generator.hpp"
#include "probes/probe.hpp"
#include "sim/virtual_display.hpp"

namespace calkit::cli {

struct RigSpec {
  std::string probe = "sim";  // "sim", a probe-table name, "emulated:NAME", with ,OPTIONS, or "replay:TRACE"
  std::string display;        // "sim:NAME" or a display-model JSON file (simulation)
  std::string pattern;        // a backend spec; empty: virtual with a simulated display
  std::uint64_t seed = 1;     // simulated probe noise
  std::string correction;     // .ccmx (any probe) or .ccss (i1d3); also probe option correction=FILE
  bool needs_pattern = true;  // false: the probe alone (probe info, ambient)
  std::string trace;          // --trace FILE: every transaction of the probe's wire (probes/transport/trace.hpp)
  double sim_speed = 0;       // simulated rigs: times real time (0: as fast as the computer goes)
};

struct Rig {
  // Declared in dependency order: destroyed pattern first, clock last.
  std::unique_ptr<Clock> clock;               // SimulatedClock for simulation, SystemClock otherwise
  std::unique_ptr<VirtualDisplay> display;    // simulation only
  std::unique_ptr<Probe> probe;               // opened
  std::unique_ptr<PatternGenerator> pattern;  // set whenever RigSpec::needs_pattern
  bool simulated = false;
  std::string correction;   // the correction file applied (--correction or the probe's correction=)
  std::string description;  // "SimProbe on sim:woled-tv via virtual:sim:woled-tv"
};

// Opens the probe and the pattern generator. ValueError for unknown or inconsistent names.
Rig build_rig(const RigSpec& spec);

// What readings taken with `rig` depend on, for a measurement journal's header: the probe (model
// and serial), the display (a model file by its content too), the pattern generator, the
// correction (by its content) and, simulated, the seed. A resumed run on another is refused.
std::map<std::string, std::string> rig_binding(const RigSpec& spec, const Rig& rig);

// The pattern generator a --pattern spec names: on `display` when there is one (virtual by
// default), else a real backend.
std::unique_ptr<PatternGenerator> open_pattern(const std::string& spec, VirtualDisplay* display);

std::string pattern_usage();  // every backend's grammar, for --help

// --probe, --display, --pattern, --correction, --seed and --trace on a command that measures.
void add_rig_options(CLI::App* cmd, RigSpec& rig);
// --trace alone (commands that take the probe without the rest of the rig).
void add_trace_option(CLI::App* cmd, RigSpec& rig);

}  // namespace calkit::cli
