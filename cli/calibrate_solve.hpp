#pragma once
// The solve stage of `calkit calibrate`, in its own file because solver/solve.hpp and
// patterns/pattern_generator.hpp both declare calkit::SignalRange and cannot meet in one file.
#include <filesystem>
#include <functional>
#include <string>

#include "formats/measurement_set.hpp"
#include "luts/lut.hpp"
#include "solver/target.hpp"

namespace calkit::cli {

struct SolveStageOptions {
  int size = 0;  // 3D LUT nodes per axis; 0: the target's default
  // 1D calibration curves (white point and tone, for displays that take no 3D LUT) instead of
  // the 3D correction: written as <lut stem>.cal and <lut stem>-curves.cube (a 1D .cube), and as
  // the LUT file (a 3D LUT that applies the same curves, for destinations that take only 3D).
  bool curves_only = false;
  int icc_version = 0;  // --icc-version; 0: 4 for an ICC device link, 2 for the display profile
};

// Solves a LUT from the profile, writes it (format by extension) and the solver's summary JSON,
// and reports one line per fact through `say` (the solver's warnings go to stderr). Either way,
// <lut stem>-display.icc is the display's ICC profile (through the curves, with them as 'vcgt').
void solve_to_files(const MeasurementSet& profile, const Target& target, const SolveStageOptions& stage,
                    const std::filesystem::path& lut, const std::filesystem::path& summary,
                    const std::function<void(const std::string&)>& say);

}  // namespace calkit::cli
