#include "patterns/network_patterns.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "color/input_error.hpp"
#include "patterns/pgenerator_client.hpp"
#include "patterns/pgenerator_emulator.hpp"
#include "patterns/resolve_client_emulator.hpp"
#include "patterns/resolve_server.hpp"

namespace calkit {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::unique_ptr<PatternGenerator> open_resolve(const std::string& spec, VirtualDisplay* display) {
  bool emulate = false;
  ResolveOptions options = parse_resolve_spec(spec, &emulate);
  if (display) return std::make_unique<EmulatedResolve>(*display, options);
  if (emulate)
    throw InputError("", 0, "--pattern", "resolve:emulate needs a simulated display (--probe sim --display sim:NAME)");
  return std::make_unique<ResolveServer>(options);
}

std::unique_ptr<PatternGenerator> open_pgenerator(const std::string& spec, VirtualDisplay* display) {
  PGeneratorSpec parsed = parse_pgenerator_spec(spec);
  if (parsed.emulate) {
    if (!display)
      throw InputError("", 0, "--pattern", "pgenerator:emulate needs a simulated display (--probe sim --display sim:NAME)");
    return std::make_unique<EmulatedPGenerator>(*display, parsed.options);
  }
  if (display)
    throw InputError("", 0, "--pattern",
                     fmt::format("'{}' cannot drive a simulated display (use pgenerator:emulate)", spec));
  if (parsed.discover) {
    auto found = discover_pgenerators();
    if (found.empty()) throw NetworkError("no PGenerator answered the discovery broadcast on UDP port 1977");
    std::fprintf(stderr, "calkit: pgenerator: using %s (%s), the first of %zu found\n", found[0].address.c_str(),
                 found[0].name.c_str(), found.size());
    parsed.options.host = found[0].address;
  }
  return std::make_unique<PGeneratorClient>(parsed.options);
}

}  // namespace

bool is_network_pattern(const std::string& spec) {
  return spec == "resolve" || starts_with(spec, "resolve:") || starts_with(spec, "pgenerator");
}

std::unique_ptr<PatternGenerator> open_network_pattern(const std::string& spec, VirtualDisplay* display) {
  if (spec == "resolve" || starts_with(spec, "resolve:")) return open_resolve(spec, display);
  if (starts_with(spec, "pgenerator")) return open_pgenerator(spec, display);
  throw InputError("", 0, "--pattern", "'" + spec + "' is not a network pattern generator (resolve, pgenerator)");
}

std::string network_pattern_usage() {
  return "resolve[:port=20002,bind=ADDR,allow=IP[+IP],dialect=cm|ls] (with a sim display: the in-process "
         "Resolve emulator), pgenerator:HOST[:port=85,bits=8|10,hdr=sdr|pq|hlg,maxcll=N,maxfall=N], "
         "pgenerator:discover, pgenerator:emulate";
}

}  // namespace calkit
