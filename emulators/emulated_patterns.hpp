#pragma once
// The table of pattern backends that drive a virtual display (emulated_patterns.cpp), one row
// each: "virtual" shows patches on the display directly; "resolve" and "pgenerator:emulate" run
// the production Resolve server or PGenerator client against an in-process emulator of the other
// end over 127.0.0.1, which shows what it receives on the display. A new one is a file plus a row.
#include <memory>
#include <string>
#include <vector>

#include "patterns/pattern_generator.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct EmulatedPatternBackend {
  std::string name;   // the spec's head
  std::string usage;  // for --help and errors
  std::unique_ptr<PatternGenerator> (*open)(const std::string& spec, VirtualDisplay& display);
};

const std::vector<EmulatedPatternBackend>& emulated_pattern_table();

// The backend a spec names, on `display`; "" means virtual. ValueError for a spec that cannot
// drive a virtual display (the real backends' names say so).
std::unique_ptr<PatternGenerator> open_emulated_pattern(const std::string& spec, VirtualDisplay& display);

}  // namespace calkit
