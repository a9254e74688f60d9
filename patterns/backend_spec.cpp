#include "patterns/backend_spec.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "color/input_error.hpp"

namespace calkit {

std::vector<SpecOption> split_spec_options(const std::string& text) {
  std::vector<SpecOption> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      if (eq == std::string::npos) out.push_back({item, ""});
      else out.push_back({item.substr(0, eq), item.substr(eq + 1)});
    }
    start = end + 1;
  }
  return out;
}

void bad_spec_option(const SpecOption& option, const std::string& why) {
  throw InputError("", 0, "--pattern " + option.key, why);
}

int spec_int(const SpecOption& option, int lo, int hi) {
  int value = 0;
  const char* first = option.value.data();
  const char* last = first + option.value.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || value < lo || value > hi)
    bad_spec_option(option, "'" + option.value + "' is not an integer in " + std::to_string(lo) + ".." +
                                std::to_string(hi));
  return value;
}

double spec_double(const SpecOption& option, double lo, double hi) {
  char* end = nullptr;
  double value = std::strtod(option.value.c_str(), &end);
  if (option.value.empty() || *end != '\0' || !std::isfinite(value) || value < lo || value > hi)
    bad_spec_option(option, "'" + option.value + "' is not a number in " + std::to_string(lo) + ".." +
                                std::to_string(hi));
  return value;
}

}  // namespace calkit
