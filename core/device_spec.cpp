#include "core/device_spec.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace calkit {

std::vector<SpecOption> split_spec_options(std::string_view text, const std::string& option) {
  std::vector<SpecOption> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      if (eq == std::string_view::npos)
        out.push_back({option, std::string(item), ""});
      else
        out.push_back({option, std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))});
    }
    start = end + 1;
  }
  return out;
}

void bad_spec_option(const SpecOption& option, const std::string& why) {
  throw ValueError(option.option + " " + option.key, why);
}

int spec_int(const SpecOption& option, int lo, int hi) {
  int value = 0;
  const char* first = option.value.data();
  const char* last = first + option.value.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || value < lo || value > hi)
    bad_spec_option(option,
                    "'" + option.value + "' is not an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return value;
}

double spec_double(const SpecOption& option, double lo, double hi) {
  char* end = nullptr;
  double value = std::strtod(option.value.c_str(), &end);
  if (option.value.empty() || *end != '\0' || !std::isfinite(value) || value < lo || value > hi)
    bad_spec_option(option,
                    "'" + option.value + "' is not a number in " + std::to_string(lo) + ".." + std::to_string(hi));
  return value;
}

bool spec_flag(const SpecOption& option) {
  const std::string& v = option.value;
  if (v.empty() || v == "yes" || v == "true" || v == "1") return true;
  if (v == "no" || v == "false" || v == "0") return false;
  bad_spec_option(option, "'" + v + "' is not yes or no");
}

}  // namespace calkit
