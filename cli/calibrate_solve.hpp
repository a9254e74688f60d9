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

// Solves a size³ LUT from the profile, writes it (format by extension) and the solver's summary
// JSON, and reports one line per fact through `say` (the solver's warnings go to stderr).
void solve_to_files(const MeasurementSet& profile, const Target& target, int size, const std::filesystem::path& lut,
                    const std::filesystem::path& summary, const std::function<void(const std::string&)>& say);

}  // namespace calkit::cli
