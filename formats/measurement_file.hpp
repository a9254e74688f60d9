#pragma once
// Measurement and patch files by extension: .ti3 (ArgyllCMS), .json (calkit), .csv; patch sets
// .ti1 or .json. Writes are atomic (core/files.hpp).
#include <filesystem>
#include <string>

#include "formats/measurement_set.hpp"

namespace calkit {

MeasurementSet read_measurements(const std::filesystem::path& path);
void write_measurements(const std::filesystem::path& path, const MeasurementSet& set);

PatchSet read_patches(const std::filesystem::path& path);  // .ti1 or .json
void write_patches(const std::filesystem::path& path, const PatchSet& patches);

}  // namespace calkit
