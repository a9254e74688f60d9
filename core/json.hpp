#pragma once
// JSON for calkit's plain value types, the same array layout in every file calkit writes, and
// the one way calkit parses a JSON file.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/types.hpp"

namespace calkit {

inline nlohmann::json vec_json(const Vec3& v) { return nlohmann::json::array({v[0], v[1], v[2]}); }
inline nlohmann::json xy_json(Xy c) { return nlohmann::json::array({c.x, c.y}); }

// A value that may not have been measured: the number, or null when it is NaN or infinite.
template <class Json = nlohmann::json>
Json number_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

// Parses JSON text from `file`; InputError naming the file, the line of a syntax error and the
// reason (also for a number beyond a double, 1e400), never a raw nlohmann exception.
template <class Json = nlohmann::json>
Json parse_json(std::string_view text, const std::string& file) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    // nlohmann's messages start "[json.exception.parse_error.101] ...".
    if (std::size_t bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    int line = 0;
    if (auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&e)) {
      const std::size_t byte = std::min<std::size_t>(parse->byte, text.size());
      line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n'));
    }
    throw InputError(file, line, "", "invalid JSON: " + what);
  }
}

}  // namespace calkit
