#pragma once
// Screen uniformity: readings of one patch level at every zone of a rows x cols grid, judged
// against the centre zone, as DisplayCAL's uniformity test and ISO 12646 / ISO 14861 do. Per zone
// and level: luminance deviation in % of the centre's, and CIELAB relative to the centre zone's
// reading at that level (the centre is L* 100, a* = b* = 0), so dE2000 and ΔC*ab are the zone's
// difference from the centre. Verdict: every zone within the thresholds.
#include <filesystem>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace calkit {

struct UniformityReading {
  int row = 1, col = 1;     // 1-based, top row = 1, left column = 1
  double level = 1;         // signal 0..1 of the grey shown (1 = white)
  Vec3 XYZ = Vec3::Zero();  // absolute cd/m²
};

// ISO 12646 / ISO 14861 style tolerances (DisplayCAL "nominal"): dE2000 <= 4 and luminance
// deviation < 10 %. ΔC*ab is reported and judged only when max_delta_c is set (DisplayCAL's
// "recommended" criterion uses ΔC <= 3). Values are judged as reported, rounded to 0.01.
struct UniformityThresholds {
  double max_de2000 = 4.0;                    // passes when <=
  double max_luminance_deviation_pct = 10.0;  // passes when |deviation| <
  double max_delta_c = -1;                    // passes when <=; negative: not judged
};

struct UniformityInfo {
  std::string display, probe, pattern_generator, date, calkit_version;
  double window_percent = 0;
};

struct UniformityZoneResult {
  int row = 1, col = 1;
  Vec3 XYZ = Vec3::Zero();
  double luminance_deviation_pct = 0;  // 100 (Y / Y_centre - 1)
  Vec3 lab = Vec3::Zero();             // CIELAB with the centre zone's XYZ as white
  double de2000 = 0;                   // against the centre (L* 100, 0, 0)
  double delta_c = 0;                  // ΔC*ab against the centre = C*ab of the zone
  bool pass = true;
};

struct UniformityLevelResult {
  double level = 1;
  Vec3 centre_XYZ = Vec3::Zero();
  std::vector<UniformityZoneResult> zones;  // row-major from the top left
  double max_abs_luminance_deviation_pct = 0;
  double max_de2000 = 0;
  double max_delta_c = 0;
  bool pass = true;
  const UniformityZoneResult& zone(int row, int col, int cols) const { return zones[(row - 1) * cols + (col - 1)]; }
};

struct UniformityResult {
  UniformityInfo info;
  int rows = 0, cols = 0;
  UniformityThresholds thresholds;
  std::vector<UniformityLevelResult> levels;  // in the order given
  bool pass = true;
  std::string verdict_line;  // "PASS: ..." / "FAIL: ..."
};

// Grid sides are 3, 5, 7 or 9 (an odd count has a centre zone); InputError otherwise.
void check_uniformity_grid(int rows, int cols);

// Needs one reading per zone and level (any order; levels keep their first-seen order); a
// missing or duplicated zone, or a centre with no light, throws InputError.
UniformityResult evaluate_uniformity(const std::vector<UniformityReading>& readings, int rows, int cols,
                                     const UniformityThresholds& thresholds, const UniformityInfo& info = {});

// JSON (schema in README "Uniformity"), 17 significant digits. The page: report/html/uniformity_page.hpp.
std::string format_uniformity_json(const UniformityResult& result);
void write_uniformity_json(const std::filesystem::path& path, const UniformityResult& result);

// A level in % as the verdict line and the page name it: "100", "12.5".
std::string uniformity_level_text(double level);

}  // namespace calkit
