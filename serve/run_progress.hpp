#pragma once
// How far a `calkit calibrate` run has got, read from its output folder alone (the stage files
// and the measurement journals, docs/files.md), so that a page can follow a run that another
// process is making, and pick it up again after either restarts.
#include <filesystem>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace calkit {

struct RunProgress {
  std::string stage;                       // "profile", "verify before", "verify after", "report", "done", "starting"
  int done = 0, total = 0;                 // readings of the stage in hand, and its patch count (0: not known yet)
  double fraction = 0;                     // of the whole run, 0..1
  std::optional<Vec3> last_rgb, last_XYZ;  // the latest reading
};

// Stage weights by their share of the readings of a default run (1000 profile patches, two
// verifications of ~330): profile 0.7, each verification 0.14, solve and report 0.02.
RunProgress calibrate_run_progress(const std::filesystem::path& folder);

}  // namespace calkit
