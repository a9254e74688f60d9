#pragma once
// CSV measurements for spreadsheets: "# key: value" info lines, then a header
// R,G,B,X,Y,Z[,nm...] (RGB 0..1, XYZ absolute cd/m², spectral columns named by wavelength).
#include <filesystem>
#include <string>
#include <string_view>

#include "formats/measurement_set.hpp"

namespace calkit {

MeasurementSet read_measurement_csv(const std::filesystem::path& path);
MeasurementSet parse_measurement_csv(std::string_view text, const std::string& name);
void write_measurement_csv(const std::filesystem::path& path, const MeasurementSet& set);
std::string format_measurement_csv(const MeasurementSet& set);

}  // namespace calkit
