#pragma once
// RGB colour spaces from primaries and white (SMPTE RP 177 normalised primary matrix).
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace calkit {

struct RgbSpace {
  std::string name;
  Xy red, green, blue, white;

  Mat3 rgb_to_XYZ() const;  // linear RGB (white = 1,1,1) -> XYZ with Y(white) = 1
  Mat3 XYZ_to_rgb() const;
};

RgbSpace rec709_space();   // ITU-R BT.709-6
RgbSpace p3d65_space();    // SMPTE EG 432-1 primaries, D65 white
RgbSpace dci_p3_space();   // SMPTE RP 431-2, DCI white
RgbSpace rec2020_space();  // ITU-R BT.2020-2 / BT.2100-2

// "rec709", "p3d65", "dcip3", "rec2020" (case-insensitive, a few aliases); throws InputError.
RgbSpace rgb_space_by_name(std::string_view name);
std::vector<std::string> rgb_space_names();

}  // namespace calkit
