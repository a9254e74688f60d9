// The page kit's screen colours per IEC 61966-2-1.
#include <doctest/doctest.h>

#include "color/colorimetry.hpp"
#include "color/rgb_space.hpp"
#include "report/html/page_kit.hpp"

using namespace calkit;

TEST_CASE("swatch colours follow the sRGB encoding (IEC 61966-2-1)") {
  Vec3 white = XYZ_from_xyY(kD65, 100);
  CHECK(srgb_hex(white, white) == "#ffffff");
  CHECK(srgb_hex(Vec3::Zero(), white) == "#000000");
  // sRGB code 128 (128/255 = 0.50196) decodes to linear 0.2158605; code 64 to 0.0512695.
  CHECK(srgb_hex(white * 0.2158605, white) == "#808080");
  CHECK(srgb_hex(white * 0.0512695, white) == "#404040");
  Mat3 npm = rec709_space().rgb_to_XYZ();
  CHECK(srgb_hex(npm * Vec3(100, 0, 0), white) == "#ff0000");
  CHECK(srgb_hex(npm * Vec3(0, 0, 100), white) == "#0000ff");
}
