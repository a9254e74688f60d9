#pragma once
// JSON for calkit's plain value types, the same array layout in every file calkit writes.
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/types.hpp"

namespace calkit {

inline nlohmann::json vec_json(const Vec3& v) { return nlohmann::json::array({v[0], v[1], v[2]}); }
inline nlohmann::json xy_json(Xy c) { return nlohmann::json::array({c.x, c.y}); }

// A value that may not have been measured: the number, or null when it is NaN or infinite.
template <class Json = nlohmann::json>
Json number_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

}  // namespace calkit
