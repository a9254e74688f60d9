#pragma once
// A target two rooms can both reach (`calkit match plan`): from each display's readings as it is
// (uncalibrated), the white luminance both show at the target white, the higher of the two
// blacks shared by both (so BT.1886 no longer follows each display's own black), and the target
// gamut limited to what both show. Saved as a target file (calkit-target) that `calibrate`,
// `solve` and `verify` take with `--target FILE` in both rooms.
#include <filesystem>
#include <string>
#include <vector>

#include "formats/measurement_set.hpp"
#include "solver/target.hpp"

namespace calkit {

// What one room's readings say about its display (black-subtracted primaries, so additivity
// gives the brightest grey of any white).
struct RoomFacts {
  std::string file, display, probe, correction;
  Vec3 black_XYZ = Vec3::Zero(), white_XYZ = Vec3::Zero();
  Xy red{}, green{}, blue{};    // chromaticity of each full primary, black subtracted
  double max_neutral_nits = 0;  // brightest grey of the target white it shows
};

struct MatchPlan {
  Target target;
  RoomFacts a, b;
  std::vector<std::string> reasons;  // in words, one line each: why the plan is what it is
};

struct MatchPlanOptions {
  double white_nits = 100;  // the white wanted, lowered to what both rooms show
  double gamma = 2.4;
  bool pure_power = false;
};

// Readings need black (0 0 0), white (1 1 1) and the three full primaries (each read once or
// more; repeats are averaged). Throws InputError naming the file when one is missing or the
// target white is outside a display's primaries.
RoomFacts room_facts(const MeasurementSet& readings, const std::string& file, Xy target_white);
MatchPlan plan_match(const MeasurementSet& a, const std::string& a_file, const MeasurementSet& b,
                     const std::string& b_file, const MatchPlanOptions& options = {});

// "calkit-target" version 1: the target plus the plan's reasons and both rooms' facts. Reading
// takes only the target (the rest is for people); bad fields throw InputError naming the field.
std::string format_target_file(const MatchPlan& plan);
Target read_target_file(const std::filesystem::path& path);
// A target name (target_by_name) or the path of a target file.
Target target_by_name_or_file(const std::string& name_or_path, const TargetOptions& options);

}  // namespace calkit
