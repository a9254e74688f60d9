#pragma once
// calkit's own JSON measurement file:
//   {"format": "calkit-measurements", "version": 1, "info": {"key": "value", ...},
//    "readings": [{"rgb": [r,g,b], "XYZ": [X,Y,Z],
//                  "spectrum": {"start_nm": 380, "step_nm": 5, "values": [...]}}, ...]}
// rgb is device RGB 0..1, XYZ absolute cd/m², spectrum optional.
#include <filesystem>
#include <string>
#include <string_view>

#include "formats/measurement_set.hpp"

namespace calkit {

MeasurementSet read_measurement_json(const std::filesystem::path& path);
MeasurementSet parse_measurement_json(std::string_view text, const std::string& name);
void write_measurement_json(const std::filesystem::path& path, const MeasurementSet& set);
std::string format_measurement_json(const MeasurementSet& set);

// Patch sets in the same spirit: {"format": "calkit-patches", "version": 1,
// "description": "...", "rgb": [[r,g,b], ...]}.
PatchSet read_patch_json(const std::filesystem::path& path);
PatchSet parse_patch_json(std::string_view text, const std::string& name);
void write_patch_json(const std::filesystem::path& path, const PatchSet& patches);
std::string format_patch_json(const PatchSet& patches);

}  // namespace calkit
