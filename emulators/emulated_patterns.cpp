#include "emulators/emulated_patterns.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "emulators/pgenerator_emulator.hpp"
#include "emulators/resolve_client_emulator.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "patterns/pattern_backends.hpp"
#include "patterns/pgenerator_client.hpp"
#include "patterns/resolve_server.hpp"

namespace calkit {
namespace {

std::unique_ptr<PatternGenerator> open_virtual(const std::string& spec, VirtualDisplay& display) {
  if (spec != "virtual") throw ValueError("--pattern", "virtual takes no options");
  return std::make_unique<VirtualPatternGenerator>(display);
}

std::unique_ptr<PatternGenerator> open_resolve(const std::string& spec, VirtualDisplay& display) {
  bool emulate = false;  // resolve and resolve:emulate alike drive the emulated Resolve
  return std::make_unique<EmulatedResolve>(display, parse_resolve_spec(spec, &emulate));
}

std::unique_ptr<PatternGenerator> open_pgenerator(const std::string& spec, VirtualDisplay& display) {
  PGeneratorSpec parsed = parse_pgenerator_spec(spec);
  if (!parsed.emulate)
    throw ValueError("--pattern", fmt::format("'{}' cannot drive a simulated display (use pgenerator:emulate)", spec));
  return std::make_unique<EmulatedPGenerator>(display, parsed.options);
}

}  // namespace

const std::vector<EmulatedPatternBackend>& emulated_pattern_table() {
  static const std::vector<EmulatedPatternBackend> table = {
      {"virtual", "virtual (the default with a simulated display)", open_virtual},
      {"resolve", "resolve[:OPTIONS] or resolve:emulate (the Resolve server and an emulated Resolve)", open_resolve},
      {"pgenerator", "pgenerator:emulate (the PGenerator client and an emulated PGenerator)", open_pgenerator},
  };
  return table;
}

std::unique_ptr<PatternGenerator> open_emulated_pattern(const std::string& spec, VirtualDisplay& display) {
  const std::string head = spec.empty() ? "virtual" : pattern_head(spec);
  for (const EmulatedPatternBackend& b : emulated_pattern_table())
    if (b.name == head) return b.open(spec.empty() ? "virtual" : spec, display);
  throw ValueError("--pattern", fmt::format("'{}' cannot drive a simulated display (use virtual, "
                                            "resolve or pgenerator:emulate)",
                                            spec));
}

}  // namespace calkit
