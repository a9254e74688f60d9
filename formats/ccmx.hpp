#pragma once
// ArgyllCMS colorimeter correction matrices (.ccmx): XYZ_corrected = matrix * XYZ_measured.
#include <filesystem>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace calkit {

struct ColorimeterMatrix {
  std::string description;         // DESCRIPTOR
  std::string instrument;          // INSTRUMENT (required), the colorimeter it corrects
  std::string display;             // DISPLAY
  std::string technology;          // TECHNOLOGY
  std::string reference;           // REFERENCE, the spectro it was made against
  std::string originator;          // ORIGINATOR
  std::string created;             // CREATED
  std::string ui_selectors;        // UI_SELECTORS
  int display_type_base_id = 0;    // DISPLAY_TYPE_BASE_ID, 0 = not given
  bool refresh = false;            // DISPLAY_TYPE_REFRESH "YES"
  bool oem = false;                // OEM "YES"
  Mat3 matrix = Mat3::Identity();  // row i = set i of the file

  Vec3 apply(const Vec3& measured) const { return matrix * measured; }
};

ColorimeterMatrix read_ccmx(const std::filesystem::path& path);
ColorimeterMatrix parse_ccmx(std::string_view text, const std::string& name);
void write_ccmx(const std::filesystem::path& path, const ColorimeterMatrix& ccmx);  // atomic
std::string format_ccmx(const ColorimeterMatrix& ccmx);

}  // namespace calkit
