#pragma once
// The measuring chain built from command-line specs: clock, display, probe and pattern backend.
// The one place that knows every probe driver and pattern backend by name (later: real USB
// probes, Resolve and PGenerator backends), so every command that measures builds it the same way.
#include <cstdint>
#include <memory>
#include <string>

#include "patterns/pattern_generator.hpp"
#include "probes/probe.hpp"
#include "sim/clock.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct RigSpec {
  std::string probe = "sim";  // "sim", "i1d3", "emulated:i1d3[,OPTIONS]" (probes/device_probes.hpp)
  std::string display;        // "sim:NAME" or a display-model JSON file (simulation)
  std::string pattern;        // "virtual"; empty: the default for the probe and display
  std::uint64_t seed = 1;     // simulated probe noise
  std::string correction;     // .ccmx (any probe) or .ccss (i1d3 display type); also probe option correction=FILE
};

struct Rig {
  // Declared in dependency order: destroyed pattern first, clock last.
  std::unique_ptr<Clock> clock;             // SimulatedClock for simulation, SystemClock otherwise
  std::unique_ptr<VirtualDisplay> display;  // simulation only
  std::unique_ptr<Probe> probe;
  std::unique_ptr<PatternGenerator> pattern;  // null when RigSpec::pattern is "none" (probe only)
  bool simulated = false;
  std::string description;  // "SimProbe on sim:woled-tv via virtual:sim:woled-tv"
};

// Opens the probe. Throws InputError for unknown or inconsistent names.
Rig build_rig(const RigSpec& spec);
std::string rig_usage();  // the accepted values, for --help texts

}  // namespace calkit
