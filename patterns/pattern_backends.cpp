#include "patterns/pattern_backends.hpp"
#include "patterns/web_pattern.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "patterns/pgenerator_client.hpp"
#include "patterns/resolve_server.hpp"
#include "patterns/tcp_socket.hpp"
#include "patterns/window_pattern_generator.hpp"

namespace calkit {
namespace {

std::unique_ptr<PatternGenerator> open_window(const std::string& spec) { return open_window_pattern(spec); }

std::unique_ptr<PatternGenerator> open_web(const std::string& spec) {
  return std::make_unique<WebPatternServer>(parse_web_pattern_spec(spec));
}

std::unique_ptr<PatternGenerator> open_resolve(const std::string& spec) {
  bool emulate = false;
  ResolveOptions options = parse_resolve_spec(spec, &emulate);
  if (emulate)
    throw ValueError("--pattern", "resolve:emulate needs a simulated display (--probe sim --display sim:NAME)");
  return std::make_unique<ResolveServer>(options);
}

std::unique_ptr<PatternGenerator> open_pgenerator(const std::string& spec) {
  PGeneratorSpec parsed = parse_pgenerator_spec(spec);
  if (parsed.emulate)
    throw ValueError("--pattern", "pgenerator:emulate needs a simulated display (--probe sim --display sim:NAME)");
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

const std::vector<PatternBackend>& pattern_backend_table() {
  static const std::vector<PatternBackend> table = {
      {"window", window_pattern_usage(), open_window},
      {"resolve", "resolve[:port=20002,bind=ADDR,allow=IP[+IP],dialect=cm|ls] (DaVinci Resolve connects to calkit)",
       open_resolve},
      {"pgenerator", "pgenerator:HOST[:port=85,bits=8|10,hdr=sdr|pq|hlg,maxcll=N,maxfall=N] or pgenerator:discover",
       open_pgenerator},
      {"web", web_pattern_usage(), open_web},
  };
  return table;
}

std::string pattern_head(std::string_view spec) { return std::string(spec.substr(0, spec.find(':'))); }

const PatternBackend* find_pattern_backend(std::string_view spec) {
  const std::string head = pattern_head(spec);
  for (const PatternBackend& b : pattern_backend_table())
    if (b.name == head) return &b;
  return nullptr;
}

}  // namespace calkit
