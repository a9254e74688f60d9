#pragma once
// ArgyllCMS .ti3 display measurements (dispread output, colprof input). In the file XYZ is
// normalised to Y = 100 for the white, with the absolute white in LUMINANCE_XYZ_CDM2; calkit
// keeps absolute cd/m² in memory. Spectra go to SPEC_nnn fields with SPECTRAL_* keywords.
// MeasurementSet::info round-trips as keywords.
#include <filesystem>
#include <string>
#include <string_view>

#include "formats/measurement_set.hpp"

namespace calkit {

MeasurementSet read_ti3(const std::filesystem::path& path);
MeasurementSet parse_ti3(std::string_view text, const std::string& name);
void write_ti3(const std::filesystem::path& path, const MeasurementSet& set);  // atomic
std::string format_ti3(const MeasurementSet& set);

}  // namespace calkit
