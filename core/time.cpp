#include "core/time.hpp"

namespace calkit {

std::string utc_timestamp(std::time_t utc) {
  std::tm tm{};
  gmtime_r(&utc, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string utc_now() { return utc_timestamp(std::time(nullptr)); }

}  // namespace calkit
