#pragma once
// A uniformity session: the grey levels asked for, read at the centre of every zone of a
// rows x cols grid. The pattern generator places the patch in the zone (Patch::centre_x/y); the
// user moves the probe there when asked (a virtual display's probe follows the patch by itself).
// Readings go to a journal as they are taken (measure/journal.hpp), so a stopped run resumes.
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "measure/session.hpp"

namespace calkit {

struct UniformityZone {
  int row = 1, col = 1;                   // 1-based, top row = 1
  double centre_x = 0.5, centre_y = 0.5;  // screen fractions from the top left
};

// "5x3" (rows x columns) or "5" (5x5); each side 3, 5, 7 or 9. InputError naming --grid.
void parse_uniformity_grid(const std::string& text, int& rows, int& cols);
// "100,50": grey levels in % of signal, each in (0, 100]; returned as 0..1. InputError naming --level.
std::vector<double> parse_uniformity_levels(const std::string& text);
// Zones row by row from the top left, each centred in its cell.
std::vector<UniformityZone> uniformity_zones(int rows, int cols);
// The default patch: a square (in screen fractions) as large as the narrower zone side allows,
// so neighbouring patches never overlap: side 1 / max(rows, cols), area 100 / max² %.
double uniformity_window_percent(int rows, int cols);

struct ZoneReading {
  int row = 1, col = 1;
  double level = 1;  // 0..1
  Vec3 XYZ = Vec3::Zero();
};

struct UniformitySessionOptions {
  int rows = 5, cols = 5;
  std::vector<double> levels{1.0};
  SessionOptions session;  // bits, range, background, settle; session.patch.window_percent is the patch size
  // Called once per zone, after its first patch is up and before it is read: move the probe there.
  // Returning false stops the run (the readings so far stay in the journal).
  std::function<bool(const UniformityZone&)> place_probe;
  bool resume = false;                      // continue an existing journal; without it an existing journal is refused
  std::map<std::string, std::string> rig;   // bound into the journal's header (measure/journaled_run.hpp)
  bool quiet = false;                       // no progress line
  const std::atomic<bool>* stop = nullptr;  // SIGINT flag, checked between readings
};

struct UniformitySessionResult {
  std::vector<ZoneReading> readings;  // every zone and level when complete, zone by zone
  bool complete = false;
  int taken = 0;  // readings taken in this run (not resumed ones)
};

// The order of readings (and journal indices): zone by zone, every level at each zone.
std::vector<ZoneReading> uniformity_plan(const UniformitySessionOptions& options);

// Measures what the journal at `journal_path` does not hold yet. The journal is left in place
// (the caller removes it once the results are written). Throws InputError for a journal that
// exists without resume, or that belongs to another grid, level list or patch size.
UniformitySessionResult measure_uniformity(Probe& probe, PatternGenerator& pattern, Clock& clock,
                                           const std::filesystem::path& journal_path,
                                           const UniformitySessionOptions& options);

}  // namespace calkit
