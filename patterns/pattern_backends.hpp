#pragma once
// The table of pattern backends that drive a real screen, one row each (pattern_backends.cpp):
// a new backend is its file plus one row. The backends that drive a virtual display instead
// (virtual, and Resolve and PGenerator against their emulators) are in
// emulators/emulated_patterns.hpp. A --pattern spec is NAME[:OPTIONS].
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/pattern_generator.hpp"

namespace calkit {

struct PatternBackend {
  std::string name;   // the spec's head: "window", "resolve", "pgenerator"
  std::string usage;  // the whole spec grammar, for --help and errors
  // Opens the backend (a window appears, a server listens, a client connects). InputError for a
  // bad spec, NetworkError or a backend error when the world does not answer.
  std::unique_ptr<PatternGenerator> (*open)(const std::string& spec);
};

const std::vector<PatternBackend>& pattern_backend_table();
const PatternBackend* find_pattern_backend(std::string_view spec);  // by the spec's head
std::string pattern_head(std::string_view spec);                    // "resolve:port=1" -> "resolve"

}  // namespace calkit
