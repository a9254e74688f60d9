#include "measure/progress.hpp"

#include <fmt/core.h>

#include "color/colorimetry.hpp"

namespace calkit {

std::string reading_detail(const Vec3& rgb, const Vec3& XYZ) {
  Xy xy = xy_from_XYZ(XYZ);
  return fmt::format("RGB {:.3f} {:.3f} {:.3f}  Y {:.3f} cd/m²  xy {:.4f} {:.4f}", rgb.x(), rgb.y(), rgb.z(), XYZ.y(),
                     xy.x, xy.y);
}

}  // namespace calkit
