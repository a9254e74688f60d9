#pragma once
// What the progress line of a measuring run shows after each reading (core/progress.hpp draws it).
#include <string>

#include "core/types.hpp"

namespace calkit {

// "RGB 0.500 0.500 0.500  Y 21.4 cd/m²  xy 0.3127 0.3290"
std::string reading_detail(const Vec3& rgb, const Vec3& XYZ);

}  // namespace calkit
