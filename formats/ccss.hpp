#pragma once
// ArgyllCMS colorimeter calibration spectral sets (.ccss): sample spectra of a display type,
// used to compute a colorimeter's matrix for that display. Absolute scale does not matter.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "formats/measurement_set.hpp"

namespace calkit {

struct DisplaySpectra {
  std::string description;        // DESCRIPTOR
  std::string display;            // DISPLAY
  std::string technology;         // TECHNOLOGY
  std::string reference;          // REFERENCE
  std::string originator;         // ORIGINATOR
  std::string created;            // CREATED
  std::string ui_selectors;       // UI_SELECTORS
  bool refresh = false;           // DISPLAY_TYPE_REFRESH "YES"
  bool oem = false;               // OEM "YES"
  double norm = 1.0;              // SPECTRAL_NORM
  std::vector<Spectrum> samples;  // same start/step for all, at least 3
};

DisplaySpectra read_ccss(const std::filesystem::path& path);
DisplaySpectra parse_ccss(std::string_view text, const std::string& name);
void write_ccss(const std::filesystem::path& path, const DisplaySpectra& ccss);  // atomic
std::string format_ccss(const DisplaySpectra& ccss);

}  // namespace calkit
