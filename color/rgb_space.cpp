// RGB colour spaces: SMPTE RP 177-1993 normalised primary matrix from primaries and white.
#include "color/rgb_space.hpp"

#include <algorithm>
#include <cctype>

#include "color/colorimetry.hpp"
#include "core/error.hpp"

namespace calkit {

namespace {

Vec3 xyz_column(Xy xy) { return {xy.x, xy.y, 1.0 - xy.x - xy.y}; }

std::string lower_alnum(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// RP 177 section 3.3: P = [r g b] chromaticity columns, S = P^-1 W (W with Y = 1), NPM = P diag(S).
Mat3 RgbSpace::rgb_to_XYZ() const {
  Mat3 p;
  p.col(0) = xyz_column(red);
  p.col(1) = xyz_column(green);
  p.col(2) = xyz_column(blue);
  Vec3 w = XYZ_from_xyY(white, 1.0);
  Vec3 s = p.partialPivLu().solve(w);
  return p * s.asDiagonal();
}

Mat3 RgbSpace::XYZ_to_rgb() const { return rgb_to_XYZ().inverse(); }

RgbSpace rec709_space() { return {"Rec.709", {0.640, 0.330}, {0.300, 0.600}, {0.150, 0.060}, kD65}; }
RgbSpace p3d65_space() { return {"P3-D65", {0.680, 0.320}, {0.265, 0.690}, {0.150, 0.060}, kD65}; }
RgbSpace dci_p3_space() { return {"DCI-P3", {0.680, 0.320}, {0.265, 0.690}, {0.150, 0.060}, kDciWhite}; }
RgbSpace rec2020_space() { return {"Rec.2020", {0.708, 0.292}, {0.170, 0.797}, {0.131, 0.046}, kD65}; }

RgbSpace rgb_space_by_name(std::string_view name) {
  std::string key = lower_alnum(name);
  if (key == "rec709" || key == "bt709" || key == "709" || key == "srgb") return rec709_space();
  if (key == "p3d65" || key == "displayp3" || key == "p3") return p3d65_space();
  if (key == "dcip3" || key == "dci" || key == "p3dci") return dci_p3_space();
  if (key == "rec2020" || key == "bt2020" || key == "2020" || key == "rec2100" || key == "bt2100")
    return rec2020_space();
  throw ValueError("colour space",
                   "unknown RGB colour space '" + std::string(name) + "' (expected rec709, p3d65, dcip3 or rec2020)");
}

std::vector<std::string> rgb_space_names() { return {"rec709", "p3d65", "dcip3", "rec2020"}; }

}  // namespace calkit
